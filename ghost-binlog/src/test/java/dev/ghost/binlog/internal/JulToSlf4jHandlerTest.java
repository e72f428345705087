package dev.ghost.binlog.internal;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class JulToSlf4jHandlerTest {

    @Test
    void routesTheClientsLoggerToSlf4jOnlyOnce() {
        JulToSlf4jHandler.install();
        JulToSlf4jHandler.install();
        Logger client = Logger.getLogger(JulToSlf4jHandler.CLIENT_LOGGER);
        assertThat(client.getHandlers()).hasOnlyElementsOfType(JulToSlf4jHandler.class).hasSize(1);
        assertThat(client.getUseParentHandlers()).isFalse();
        // slf4j-simple prints INFO and above by default: the client need not build finer messages
        assertThat(client.getLevel()).isEqualTo(Level.INFO);
        Logger.getLogger("com.github.shyiko.mysql.binlog.BinaryLogClient").log(Level.WARNING, "forwarded {0}", 42);
    }
}
