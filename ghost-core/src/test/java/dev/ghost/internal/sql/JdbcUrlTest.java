package dev.ghost.internal.sql;

import dev.ghost.ServerAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcUrlTest {

    @Test
    void readsHostPortAndDatabase() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mysql://db1.example.com:3307/shop?useSSL=false&user=x");
        assertThat(url.server()).isEqualTo(ServerAddress.of("db1.example.com", 3307));
        assertThat(url.database()).isEqualTo("shop");
    }

    @Test
    void mariadbUrlsDefaultPortsAndMissingDatabases() {
        assertThat(JdbcUrl.parse("jdbc:mariadb://db1/shop").server()).isEqualTo(ServerAddress.of("db1", 3306));
        assertThat(JdbcUrl.parse("jdbc:MySQL://db1:3306/").database()).isNull();
        assertThat(JdbcUrl.parse("jdbc:mysql://db1:3306").database()).isNull();
        assertThat(JdbcUrl.parse("jdbc:mysql://db1:3306?useSSL=false").database()).isNull();
        assertThat(JdbcUrl.parse("jdbc:mysql:///shop").server()).isEqualTo(ServerAddress.of("localhost", 3306));
    }

    @Test
    void ipv6AddressFormsAndCredentialsInTheAuthority() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mysql://[::1]:3308/my%20db");
        assertThat(url.server()).isEqualTo(ServerAddress.of("::1", 3308));
        assertThat(url.database()).isEqualTo("my db");
        assertThat(JdbcUrl.parse("jdbc:mysql://bob:secret@db1:3306/shop").server())
                .isEqualTo(ServerAddress.of("db1", 3306));
        assertThat(JdbcUrl.parse("jdbc:mysql://address=(host=db4)(port=3309)/shop").server())
                .isEqualTo(ServerAddress.of("db4", 3309));
    }

    @Test
    void refusesSeveralHostsAndOtherDatabasesSayingWhy() {
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:mysql://db1:3306,db2:3306/shop"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("several hosts");
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:mysql:loadbalance://db1,db2/shop"))
                .hasMessageContaining("several hosts");
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:postgresql://db1/shop"))
                .hasMessageContainingAll("jdbc:postgresql://db1/shop", "not a MySQL or MariaDB JDBC URL");
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:mysql://db1:port/shop")).hasMessageContaining("port `port`");
        assertThat(JdbcUrl.tryParse(null)).isEmpty();
        assertThat(JdbcUrl.tryParse("jdbc:mysql://db1,db2/shop")).isEmpty();
    }

    @Test
    void propertiesOfTheQuery() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mysql://db1/shop?useSSL=false&user=app&password=p%26w");
        assertThat(url.property("user")).isEqualTo("app");
        assertThat(url.property("PASSWORD")).isEqualTo("p&w");
        JdbcUrl noPath = JdbcUrl.parse("jdbc:mariadb://db1:3306?user=app");
        assertThat(noPath.property("user")).isEqualTo("app");
        assertThat(noPath.property("password")).isNull();
        assertThat(noPath.database()).isNull();
        assertThat(JdbcUrl.parse("jdbc:mariadb://db1/shop;user=app").property("user")).isEqualTo("app");
    }

    @Test
    void messagesNeverShowPasswords() {
        assertThat(JdbcUrl.redacted("jdbc:mysql://bob:secret@db1/shop?password=secret&useSSL=false"))
                .isEqualTo("jdbc:mysql://bob:***@db1/shop?password=***&useSSL=false");
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:mysql://bob:secret@db1,db2/shop?password=secret"))
                .message().doesNotContain("secret");
    }
}
