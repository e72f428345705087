package dev.ghost.internal.throttle;

import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

import java.time.Duration;

/** gh-ost's {@code --nice-ratio}: after a chunk that took T, the copy rests ratio × T (never throttles otherwise). */
public final class NiceRatioPolicy implements ThrottlePolicy {

    private volatile double ratio;

    public NiceRatioPolicy(double ratio) {
        this.ratio = check(ratio);
    }

    public double ratio() {
        return ratio;
    }

    public void ratio(double next) {
        ratio = check(next);
    }

    private static double check(double ratio) {
        if (!(ratio >= 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("nice-ratio " + ratio + " is not a number >= 0");
        }
        return ratio;
    }

    /** The same settings, with a state of its own (a builder's policy may serve several migrations). */
    public NiceRatioPolicy copy() {
        return new NiceRatioPolicy(ratio);
    }

    @Override
    public String name() {
        return "nice-ratio";
    }

    @Override
    public ThrottleDecision evaluate(ThrottleContext context) {
        return ThrottleDecision.proceed();
    }

    @Override
    public Duration pauseAfterChunk(Duration chunkTime) {
        return Duration.ofNanos((long) (chunkTime.toNanos() * ratio));
    }
}
