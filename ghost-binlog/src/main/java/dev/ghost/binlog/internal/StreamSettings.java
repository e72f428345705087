package dev.ghost.binlog.internal;

import java.time.Duration;
import java.util.Objects;

// The tunables of the binlog connection that the SPI does not expose: heartbeat, keep-alive, reconnect attempts.
/**
 * @param heartbeat         how often the server sends a heartbeat when it has nothing else to send
 * @param keepAlive         how long without any event (heartbeats included) before the connection counts as lost,
 *                          and the pause between reconnect attempts; larger than {@code heartbeat}
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
}
