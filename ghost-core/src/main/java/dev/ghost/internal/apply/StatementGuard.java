package dev.ghost.internal.apply;

import dev.ghost.MigrationFailedException;
import dev.ghost.internal.alter.TableRenames;
import dev.ghost.spi.StatementEvent;
import dev.ghost.spi.TableName;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Judges the statements that reached the binlog as SQL text and name the original, ghost or changelog table. Row
 * events alone cannot say what a TRUNCATE, an ALTER or a statement-format UPDATE did to the rows, so each of them
 * stops the migration before a cut-over could swap in a ghost table that no longer matches the original. The one
 * exception is the cut-over's own renames, which reach the binlog while the stream still runs: a rename-only
 * statement passes once the replay has reached the marker of a cut-over attempt, and until the marker that ends a
 * failed attempt. Both decisions are taken in binlog order, on the replay thread.
 */
final class StatementGuard {

    /** Statements longer than this are cut in messages. */
    private static final int QUOTED_CHARS = 300;

    private final ReplayPlan plan;
    /** Written and read by the replay thread only, at the markers that open and close a cut-over's window. */
    private boolean renamesExpected;

    StatementGuard(ReplayPlan plan) {
        this.plan = plan;
    }

    /** Whether the statement could be one of a cut-over's renames; those are judged in binlog order. */
    static boolean mayBeCutoverRename(StatementEvent event) {
        return TableRenames.isRenameOnly(event.sql());
    }

    /** At a cut-over marker: renames pass from here on ({@code true}) or no longer ({@code false}). */
    void renamesExpected(boolean expected) {
        renamesExpected = expected;
    }

    /** On the replay thread, in binlog order: whether the statement is a rename of a running cut-over. */
    boolean isCutoverRename(StatementEvent event) {
        return renamesExpected && mayBeCutoverRename(event);
    }

    /** The failure a statement causes: names the table, quotes the statement, says what to do. */
    MigrationFailedException failure(StatementEvent event) {
        String tables = event.tables().stream().map(this::describe).collect(Collectors.joining(" and "));
        return new MigrationFailedException("migration of " + plan.original().quoted() + " stopped: the statement \""
                + event.shortenedSql(QUOTED_CHARS) + "\" on " + tables + " reached the binlog as a statement, not as "
                + "row events (at " + event.position() + "). ghost cannot replay statements that are not row events, "
                + "so the ghost table would no longer match the original. Nothing was cut over: the original table "
                + "is untouched by ghost. Run the migration again after the statement; for DML use "
                + "binlog_format=ROW in every session that writes to the table", null,
                List.of());
    }

    private String describe(TableName table) {
        if (table.equals(plan.original())) {
            return "the original table " + table.quoted();
        }
        if (table.equals(plan.ghost())) {
            return "ghost's ghost table " + table.quoted();
        }
        if (table.equals(plan.changelog())) {
            return "ghost's changelog table " + table.quoted();
        }
        return table.quoted();
    }
}
