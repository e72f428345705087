package dev.ghost.spi;

/** A policy's answer: proceed, or throttle for a reason that operators can read. */
public record ThrottleDecision(boolean throttled, String reason) {

    private static final ThrottleDecision PROCEED = new ThrottleDecision(false, "");

    /**
     * The copy may go on.
     *
     * @return the one "proceed" decision
     */
    public static ThrottleDecision proceed() {
        return PROCEED;
    }

    /**
     * The copy must pause.
     *
     * @param reason what operators read in the status, e.g. {@code max-load Threads_running=26 >= 25}
     * @return a decision that throttles
     */
    public static ThrottleDecision throttle(String reason) {
        return new ThrottleDecision(true, reason);
    }
}
