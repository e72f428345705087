package dev.ghost.internal.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a new connection of one role: what a component that reopens its connection after a failure is given. */
@FunctionalInterface
public interface ConnectionOpener {
    Connection open() throws SQLException;
}
