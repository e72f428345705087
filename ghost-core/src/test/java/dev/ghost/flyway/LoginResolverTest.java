package dev.ghost.flyway;

import dev.ghost.GhostException;
import dev.ghost.ServerAddress;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where ghost's login comes from; the connection's part is covered by ghost-examples' FlywayExampleIT. */
class LoginResolverTest {

    private static final UnaryOperator<String> NONE = name -> null;

    @Test
    void flywaysOwnUrlUserAndPassword() {
        GhostLogin login = LoginResolver.resolve(
                new LoginResolver.FlywaySide("jdbc:mysql://db1:3306/shop", "app", "pw", null), NONE, NONE);
        assertThat(login).isEqualTo(new GhostLogin(ServerAddress.of("db1", 3306), "app", "pw", "shop"));
        assertThat(login.toString()).isEqualTo("app@db1:3306/shop").doesNotContain("pw");
    }

    @Test
    void ghostsPropertiesWinOverItsEnvironmentVariablesWhichWinOverFlyway() {
        Map<String, String> properties = Map.of(GhostLogin.USER_PROPERTY, "ghost");
        Map<String, String> environment = Map.of(GhostLogin.USER_VARIABLE, "from-env",
                GhostLogin.PASSWORD_VARIABLE, "env-secret", GhostLogin.URL_VARIABLE, "jdbc:mariadb://db2:3310/other");
        GhostLogin login = LoginResolver.resolve(
                new LoginResolver.FlywaySide("jdbc:mysql://db1:3306/shop", "app", "pw", null),
                properties::get, environment::get);
        assertThat(login).isEqualTo(new GhostLogin(ServerAddress.of("db2", 3310), "ghost", "env-secret", "other"));
    }

    @Test
    void aDataSourceWithoutPasswordIsRefusedSayingHowToSupplyIt() {
        Map<String, String> properties = Map.of(GhostLogin.URL_PROPERTY, "jdbc:mysql://db1:3306/shop",
                GhostLogin.USER_PROPERTY, "app");
        assertThatThrownBy(() -> LoginResolver.resolve(new LoginResolver.FlywaySide(null, null, null, null),
                properties::get, NONE))
                .isInstanceOf(GhostException.class)
                .hasMessageContainingAll("password of app", "db1:3306", "DataSource", "ghost.flyway.password",
                        "GHOST_FLYWAY_PASSWORD", "login(Context)");
    }

    @Test
    void aUrlOfSeveralHostsIsRefusedSayingWhereItCameFromAndHowToNameOneServer() {
        assertThatThrownBy(() -> LoginResolver.resolve(new LoginResolver.FlywaySide(
                "jdbc:mysql://db1:3306,db2:3306/shop", "app", "pw", null), NONE, NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("Flyway's url", "several hosts", GhostLogin.URL_PROPERTY,
                        GhostLogin.URL_VARIABLE);
    }

    @Test
    void credentialsInTheUrlsQueryCountAfterFlywaysOwn() {
        GhostLogin login = LoginResolver.resolve(new LoginResolver.FlywaySide(
                "jdbc:mysql://db1/shop?user=app&password=secret", null, null, null), NONE, NONE);
        assertThat(login).isEqualTo(new GhostLogin(ServerAddress.of("db1", 3306), "app", "secret", "shop"));
    }

    @Test
    void anEmptyPasswordOfFlywaysIsAPassword() {
        GhostLogin login = LoginResolver.resolve(
                new LoginResolver.FlywaySide("jdbc:mysql://db1/shop", "app", null, null), NONE, NONE);
        assertThat(login.password()).isEmpty();
    }

    @Test
    void aUrlWithoutDatabaseAndNoCurrentDatabaseIsRefused() {
        assertThatThrownBy(() -> LoginResolver.resolve(
                new LoginResolver.FlywaySide("jdbc:mysql://db1:3306/?password=x", "app", "pw", null), NONE, NONE))
                .isInstanceOf(GhostException.class)
                .hasMessageContainingAll("which database", "Flyway's url", "password=***", "defaultSchema")
                .hasMessageNotContaining("password=x");
    }

    @Test
    void ofNeedsADatabaseInTheUrl() {
        assertThat(GhostLogin.of("jdbc:mysql://db1/shop", "u", null))
                .isEqualTo(new GhostLogin(ServerAddress.of("db1", 3306), "u", "", "shop"));
        assertThatThrownBy(() -> GhostLogin.of("jdbc:mysql://db1/", "u", "p"))
                .hasMessageContaining("names no database");
    }
}
