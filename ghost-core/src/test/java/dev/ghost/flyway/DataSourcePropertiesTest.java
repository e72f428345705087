package dev.ghost.flyway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataSourcePropertiesTest {

    /** HikariCP's getter names. */
    public static final class PoolLike {
        public String getJdbcUrl() {
            return "jdbc:mysql://db1:3306/shop";
        }

        public String getUsername() {
            return "app";
        }

        public String getPassword() {
            return "secret";
        }
    }

    /** Connector/J's MysqlDataSource and Flyway's DriverDataSource getter names. */
    public static final class DriverLike {
        public String getUrl() {
            return "jdbc:mariadb://db2/shop";
        }

        public String getUser() {
            return "owner";
        }

        public String getPassword() {
            return null;
        }
    }

    /** Spring's DelegatingDataSource: nothing of its own, a target that tells. */
    public static final class Wrapper {
        public Object getTargetDataSource() {
            return new PoolLike();
        }
    }

    /** A wrapper of itself, which must not loop. */
    public static final class SelfWrapper {
        public Object getTargetDataSource() {
            return this;
        }
    }

    @Test
    void readsThePoolsAndTheDriversGetters() {
        assertThat(DataSourceProperties.of(new PoolLike()))
                .isEqualTo(new DataSourceProperties("jdbc:mysql://db1:3306/shop", "app", "secret"));
        assertThat(DataSourceProperties.of(new DriverLike()))
                .isEqualTo(new DataSourceProperties("jdbc:mariadb://db2/shop", "owner", null));
    }

    @Test
    void followsDelegatingWrappersAndStopsOnACycle() {
        assertThat(DataSourceProperties.of(new Wrapper()).password()).isEqualTo("secret");
        assertThat(DataSourceProperties.of(new SelfWrapper())).isEqualTo(new DataSourceProperties(null, null, null));
        assertThat(DataSourceProperties.of(new Object())).isEqualTo(new DataSourceProperties(null, null, null));
        assertThat(DataSourceProperties.of(null)).isEqualTo(new DataSourceProperties(null, null, null));
    }

    @Test
    void aDataSourceWithoutItsPasswordLeavesItUnknownNotEmpty() {
        LoginResolver.FlywaySide side = new LoginResolver.FlywaySide("jdbc:mysql://db1/shop", "app", null, null,
                false);
        assertThat(side.passwordKnown()).isFalse();
        assertThatThrownBy(() -> LoginResolver.resolve(side, name -> null, name -> null))
                .hasMessageContainingAll("password of app", GhostLogin.PASSWORD_PROPERTY);
        assertThat(new LoginResolver.FlywaySide("jdbc:mysql://db1/shop", "app", null, null).passwordKnown()).isTrue();
    }
}
