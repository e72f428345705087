package dev.ghost.flyway;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The url, user and password that a connection pool or driver DataSource was configured with, read through its bean
 * getters. A connection never tells its password, but the DataSource that Spring Boot (or an application) gives
 * Flyway usually does: HikariCP's ({@code getJdbcUrl}, {@code getUsername}, {@code getPassword}), Spring's
 * {@code DriverManagerDataSource} and Flyway's own ({@code getUrl}, {@code getUsername}/{@code getUser},
 * {@code getPassword}), Connector/J's {@code MysqlDataSource} ({@code getUrl}, {@code getUser}, {@code getPassword}).
 * Delegating wrappers (Spring's {@code getTargetDataSource()}) are followed. Reading them lets ghost connect as the
 * application's own migrations do, without the user repeating the password in a ghost-specific setting.
 */
record DataSourceProperties(String url, String user, String password) {

    private static final DataSourceProperties NONE = new DataSourceProperties(null, null, null);
    /** Wrappers within wrappers are rare; the bound only keeps a cycle of delegates from looping. */
    private static final int MAX_WRAPPERS = 4;

    static DataSourceProperties of(Object dataSource) {
        Object current = dataSource;
        for (int depth = 0; current != null && depth <= MAX_WRAPPERS; depth++) {
            DataSourceProperties found = new DataSourceProperties(
                    text(current, "getJdbcUrl", "getUrl", "getURL"),
                    text(current, "getUsername", "getUser"),
                    text(current, "getPassword"));
            if (found.url() != null || found.user() != null || found.password() != null) {
                return found;
            }
            current = getter(current, "getTargetDataSource");
        }
        return NONE;
    }

    private static String text(Object bean, String... getters) {
        for (String name : getters) {
            Object value = getter(bean, name);
            if (value instanceof String text && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }

    /** A public no-argument getter's value, or null when the class has none or it fails. */
    private static Object getter(Object bean, String name) {
        try {
            Method method = bean.getClass().getMethod(name);
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())) {
                return null;
            }
            return method.invoke(bean);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not such a bean, or a getter the module system or the pool refuses: treat as not configured.
            return null;
        }
    }
}
