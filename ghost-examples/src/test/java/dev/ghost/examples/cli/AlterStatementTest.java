package dev.ghost.examples.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AlterStatementTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "ALTER TABLE shop.orders ADD COLUMN c INT        | shop | orders",
            "alter table `shop`.`orders` add column c int    | shop | orders",
            "  Alter  Table `my.db` . `t``x` engine=innodb   | my.db | t`x",
            "alter table orders add column c int             | -    | orders",
            "alter table `orders`\\n drop column c           | -    | orders",
            "add column c int                                | -    | -",
            "engine=innodb                                   | -    | -",
            "alter table orders                              | -    | -"})
    void findsTheTableNamedInTheStatement(String alter, String schema, String table) {
        assertThat(AlterStatement.parse(alter.replace("\\n", "\n")))
                .isEqualTo(new AlterStatement(Optional.ofNullable(schema), Optional.ofNullable(table)));
    }
}
