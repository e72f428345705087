package dev.ghost.testkit;

import dev.ghost.GhostException;
import dev.ghost.PreflightCheckException;

import java.util.Optional;

/**
 * Ghost's refusal of a change, as {@link SchemaChangeLab#assertRefused} found it: check its reason with
 * {@link #withReasonContaining}.
 */
public final class Refusal {

    private final String change;
    private final GhostException exception;

    Refusal(String change, GhostException exception) {
        this.change = change;
        this.exception = exception;
    }

    /**
     * Asserts that ghost's reason contains each of the given texts (case-sensitive).
     *
     * @param parts texts the reason must contain, e.g. {@code "unique key"}
     * @return this refusal, to check more
     * @throws AssertionError when a text is missing; the message has ghost's whole reason
     */
    public Refusal withReasonContaining(String... parts) {
        for (String part : parts) {
            if (!reason().contains(part)) {
                throw new AssertionError("ghost refused " + change + ", but its reason does not contain \"" + part
                        + "\": " + reason(), exception);
            }
        }
        return this;
    }

    /**
     * Ghost's reason: the message of the exception, which names the table, what was found and how to fix it.
     *
     * @return the message
     */
    public String reason() {
        return String.valueOf(exception.getMessage());
    }

    /**
     * The name of ghost's pre-flight check that refused, e.g. {@code unique-key}; empty when the refusal came later
     * than the pre-flight checks (e.g. the server rejected the ALTER on the ghost table).
     *
     * @return the check's name, or empty
     */
    public Optional<String> check() {
        return exception instanceof PreflightCheckException preflight ? Optional.of(preflight.check())
                : Optional.empty();
    }

    /**
     * The exception ghost threw.
     *
     * @return the exception
     */
    public GhostException exception() {
        return exception;
    }

    @Override
    public String toString() {
        return "ghost refused " + change + ": " + reason();
    }
}
