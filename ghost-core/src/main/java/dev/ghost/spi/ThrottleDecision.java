package dev.ghost.spi;

/** A policy's answer: proceed, or throttle for a reason that operators can read. */
public record ThrottleDecision(boolean throttled, String reason) {

    private static final ThrottleDecision PROCEED = new ThrottleDecision(false, "");

    public static ThrottleDecision proceed() {
        return PROCEED;
    }

    public static ThrottleDecision throttle(String reason) {
        return new ThrottleDecision(true, reason);
    }
}
