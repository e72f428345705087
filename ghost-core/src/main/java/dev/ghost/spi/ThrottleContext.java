package dev.ghost.spi;

import java.sql.Connection;
import java.time.Duration;

/** What a {@link ThrottlePolicy} may look at. */
public interface ThrottleContext {

    /**
     * A connection to the server ghost writes on, kept open by the engine for throttle checks. Do not close it, and
     * do not keep it: ask for it at every check. When a check fails because it is dead, the engine reopens it (the
     * copy stays throttled meanwhile) and fails the migration if it cannot. Throws an unchecked exception when it
     * cannot be opened now; let it pass.
     *
     * @return the engine's throttle connection, open
     */
    Connection connection();

    /**
     * The latest replication lag measured through the changelog heartbeat.
     *
     * @return the lag, zero before the first heartbeat came back
     */
    Duration lag();
}
