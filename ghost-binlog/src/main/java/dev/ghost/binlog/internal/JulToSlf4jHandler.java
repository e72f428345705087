package dev.ghost.binlog.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

// Forwards the binlog client's java.util.logging records to SLF4J, so they land where the application's logs go.
final class JulToSlf4jHandler extends Handler {

    static final String CLIENT_LOGGER = "com.github.shyiko.mysql.binlog";

    /** JUL holds loggers weakly: keep ours, or its handler and level vanish with the next garbage collection. */
    private static java.util.logging.Logger clientLogger;

    private final Formatter messageFormatter = new SimpleFormatter();

    /** Routes the client's logger to SLF4J, once per class loader; its JUL level follows the SLF4J level. */
    static synchronized void install() {
        if (clientLogger != null) {
            return;
        }
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(CLIENT_LOGGER);
        logger.setUseParentHandlers(false); // or the records would also reach the console through the root logger
        logger.addHandler(new JulToSlf4jHandler());
        logger.setLevel(julLevelFor(LoggerFactory.getLogger(CLIENT_LOGGER)));
        clientLogger = logger;
    }

    /** The finest JUL level SLF4J would print, so that the client does not build messages nobody reads. */
    static Level julLevelFor(Logger logger) {
        if (logger.isTraceEnabled()) {
            return Level.FINEST;
        }
        if (logger.isDebugEnabled()) {
            return Level.FINE;
        }
        if (logger.isInfoEnabled()) {
            return Level.INFO;
        }
        if (logger.isWarnEnabled()) {
            return Level.WARNING;
        }
        return Level.SEVERE;
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        String name = record.getLoggerName();
        Logger logger = LoggerFactory.getLogger(name == null ? CLIENT_LOGGER : name);
        int level = record.getLevel().intValue();
        String message = messageFormatter.formatMessage(record);
        Throwable thrown = record.getThrown();
        if (level >= Level.SEVERE.intValue()) {
            logger.error(message, thrown);
        } else if (level >= Level.WARNING.intValue()) {
            logger.warn(message, thrown);
        } else if (level >= Level.INFO.intValue()) {
            logger.info(message, thrown);
        } else if (level >= Level.FINE.intValue()) {
            logger.debug(message, thrown);
        } else {
            logger.trace(message, thrown);
        }
    }

    @Override
    public void flush() {
        // SLF4J has nothing to flush
    }

    @Override
    public void close() {
        // nothing held
    }
}
