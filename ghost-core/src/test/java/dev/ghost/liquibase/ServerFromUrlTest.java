package dev.ghost.liquibase;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerFromUrlTest {

    @Test
    void takesHostAndPortOfASingleHostUrl() {
        assertThat(ServerFromUrl.parse("jdbc:mysql://db1:3307/shop?useSSL=false"))
                .contains(new ServerFromUrl("db1", 3307));
        assertThat(ServerFromUrl.parse("jdbc:mariadb://db2/shop")).contains(new ServerFromUrl("db2", 3306));
        assertThat(ServerFromUrl.parse("jdbc:mysql://[::1]:3310/shop")).contains(new ServerFromUrl("::1", 3310));
        assertThat(ServerFromUrl.parse("jdbc:mysql://app:secret@db3:3308/shop"))
                .contains(new ServerFromUrl("db3", 3308));
        assertThat(ServerFromUrl.parse("jdbc:mysql://address=(host=db4)(port=3309)/shop"))
                .contains(new ServerFromUrl("db4", 3309));
    }

    @Test
    void givesNothingForSeveralHostsOrAnotherDriver() {
        assertThat(ServerFromUrl.parse("jdbc:mysql://db1:3306,db2:3306/shop")).isEmpty();
        assertThat(ServerFromUrl.parse("jdbc:mysql:loadbalance://db1,db2/shop")).isEmpty();
        assertThat(ServerFromUrl.parse("jdbc:postgresql://db1/shop")).isEmpty();
        assertThat(ServerFromUrl.parse(null)).isEmpty();
    }
}
