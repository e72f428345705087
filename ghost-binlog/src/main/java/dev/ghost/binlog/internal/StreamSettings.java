package dev.ghost.binlog.internal;

import java.time.Duration;
import java.util.Objects;

// The tunables of the binlog connection that the SPI does not expose: heartbeat, keep-alive, reconnect attempts.
/**
 * @param heartbeat         how often the server sends a heartbeat when it has nothing else to send
 * @param keepAlive         how long without any event (heartbeats included) before the connection counts as lost,
 *                          and the pause between reconnect attempts; larger than {@code heartbeat}. A connection the
 *                          server or the network closed is restored at once, without waiting for this.
 * @param reconnectAttempts connection attempts allowed after a loss, before the stream fails
 * @param connectTimeout    used when the context gives none
 */
public record StreamSettings(Duration heartbeat, Duration keepAlive, int reconnectAttempts, Duration connectTimeout) {

    public StreamSettings {
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (heartbeat.isNegative() || heartbeat.isZero() || keepAlive.compareTo(heartbeat) <= 0) {
            throw new IllegalArgumentException("need 0 < heartbeat < keepAlive, got " + heartbeat + " and "
                    + keepAlive);
        }
        if (reconnectAttempts < 1) {
            throw new IllegalArgumentException("reconnectAttempts must be at least 1");
        }
    }

    /**
     * Heartbeat every second; a connection silent for 5 s is lost; 5 attempts, 5 s apart. A sink that blocks the
     * reader longer than keepAlive makes the client reconnect needlessly, which is harmless: it resumes after the
     * last event it delivered.
     */
    public static StreamSettings defaults() {
        return new StreamSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), 5, Duration.ofSeconds(10));
    }

    /** System property: the heartbeat period in milliseconds. */
    public static final String HEARTBEAT_PROPERTY = "ghost.binlog.heartbeat-millis";
    /** System property: the keep-alive period in milliseconds (a silent connection is restored after 1 to 2 of them). */
    public static final String KEEP_ALIVE_PROPERTY = "ghost.binlog.keep-alive-millis";

    /**
     * The defaults, with heartbeat and keep-alive taken from the system properties {@value #HEARTBEAT_PROPERTY} and
     * {@value #KEEP_ALIVE_PROPERTY} where set. Shorter periods restore a silently lost connection sooner; a sink
     * that blocks the reader longer than the keep-alive then causes more needless (harmless) reconnects.
     *
     * @throws IllegalArgumentException when a property is not a number, or not 0 &lt; heartbeat &lt; keep-alive
     */
    public static StreamSettings fromSystemProperties() {
        StreamSettings defaults = defaults();
        return new StreamSettings(millis(HEARTBEAT_PROPERTY, defaults.heartbeat()),
                millis(KEEP_ALIVE_PROPERTY, defaults.keepAlive()), defaults.reconnectAttempts(),
                defaults.connectTimeout());
    }

    private static Duration millis(String property, Duration otherwise) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Duration.ofMillis(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a number of milliseconds, not " + value, e);
        }
    }
}
