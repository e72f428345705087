package dev.ghost.internal.trigger;

/**
 * One trigger of the original table, as information_schema describes it.
 *
 * @param name      its name
 * @param timing    BEFORE or AFTER
 * @param event     INSERT, UPDATE or DELETE
 * @param body      the statement it runs ({@code ACTION_STATEMENT})
 * @param sqlMode   the sql_mode it was created under, which its body runs under
 */
public record TableTrigger(String name, String timing, String event, String body, String sqlMode) {
}
