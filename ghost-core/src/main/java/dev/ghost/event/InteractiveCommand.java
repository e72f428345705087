package dev.ghost.event;

import java.time.Instant;
import java.util.Optional;

/**
 * One line an operator sent to the migration's command socket (gh-ost's interactive commands), before it is applied.
 * A line {@code chunk-size=500} has the command {@code chunk-size} and the argument {@code 500}; {@code throttle} has
 * no argument; {@code max-load=?} asks for a value and changes nothing.
 *
 * @param table      the migrated table, {@code schema.table}
 * @param command    the part before the first {@code =}, trimmed, as sent (gh-ost's {@code GH_OST_COMMAND})
 * @param argument   the part after the first {@code =}, trimmed; empty when the line has no {@code =}
 * @param line       the whole line, trimmed
 * @param receivedAt when it arrived
 */
public record InteractiveCommand(String table, String command, Optional<String> argument, String line,
                                 Instant receivedAt) {
}
