package dev.ghost.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension: {@code @ExtendWith(RealServer.class)} gives each test method a fresh {@link TestDatabase} on the
 * JVM's shared {@link TestServer}, dropped after the test. The server is stopped when the JVM exits.
 */
public final class RealServer implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealServer.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == TestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == TestServer.class) {
            return TestServer.shared();
        }
        String prefix = context.getRequiredTestClass().getSimpleName() + "_"
                + context.getRequiredTestMethod().getName();
        TestDatabase database = TestServer.shared().createDatabase(prefix.length() > 40 ? prefix.substring(0, 40) : prefix);
        context.getStore(NAMESPACE).put(TestDatabase.class, database);
        return database;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestDatabase database = context.getStore(NAMESPACE).remove(TestDatabase.class, TestDatabase.class);
        if (database != null) {
            database.close();
        }
    }
}
