package dev.ghost.flyway;

import dev.ghost.ServerAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcUrlTest {

    @Test
    void readsHostPortAndDatabase() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mysql://db1.example.com:3307/shop?useSSL=false&user=x", "test");
        assertThat(url.server()).isEqualTo(ServerAddress.of("db1.example.com", 3307));
        assertThat(url.database()).isEqualTo("shop");
    }

    @Test
    void mariadbUrlsDefaultPortsAndMissingDatabases() {
        assertThat(JdbcUrl.parse("jdbc:mariadb://db1/shop", "test").server()).isEqualTo(ServerAddress.of("db1", 3306));
        assertThat(JdbcUrl.parse("jdbc:MySQL://db1:3306/", "test").database()).isNull();
        assertThat(JdbcUrl.parse("jdbc:mysql://db1:3306", "test").database()).isNull();
        assertThat(JdbcUrl.parse("jdbc:mysql://db1:3306?useSSL=false", "test").database()).isNull();
    }

    @Test
    void ipv6AndCredentialsInTheAuthority() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mysql://[::1]:3308/my%20db", "test");
        assertThat(url.server()).isEqualTo(ServerAddress.of("::1", 3308));
        assertThat(url.database()).isEqualTo("my db");
        assertThat(JdbcUrl.parse("jdbc:mysql://bob:secret@db1:3306/shop", "test").server())
                .isEqualTo(ServerAddress.of("db1", 3306));
    }

    @Test
    void refusesSeveralHostsAndOtherDatabasesSayingWhatToDo() {
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:mysql://db1:3306,db2:3306/shop", "Flyway's url"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("Flyway's url", "several hosts", "ghost.flyway.url", "GHOST_FLYWAY_URL");
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:postgresql://db1/shop", "Flyway's url"))
                .hasMessageContainingAll("jdbc:postgresql://db1/shop", "not a single-host MySQL or MariaDB");
        assertThatThrownBy(() -> JdbcUrl.parse("jdbc:mysql://db1:port/shop", "Flyway's url"))
                .hasMessageContaining("port `port`");
    }

    @Test
    void userAndPasswordInTheQuery() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mysql://db1/shop?useSSL=false&user=app&password=p%26w", "test");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("p&w");
        JdbcUrl noPath = JdbcUrl.parse("jdbc:mariadb://db1:3306?user=app", "test");
        assertThat(noPath.user()).isEqualTo("app");
        assertThat(noPath.password()).isNull();
        assertThat(noPath.database()).isNull();
    }

    @Test
    void messagesNeverShowPasswords() {
        assertThat(JdbcUrl.redacted("jdbc:mysql://bob:secret@db1/shop?password=secret&useSSL=false"))
                .isEqualTo("jdbc:mysql://bob:***@db1/shop?password=***&useSSL=false");
    }
}
