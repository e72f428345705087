package dev.ghost.spi;

import java.sql.Connection;
import java.time.Duration;

/** What a {@link ThrottlePolicy} may look at. */
public interface ThrottleContext {

    /** A connection to the inspected server, kept open by the engine for throttle checks. Do not close it. */
    Connection connection();

    /** The latest replication lag measured through the changelog heartbeat. */
    Duration lag();
}
