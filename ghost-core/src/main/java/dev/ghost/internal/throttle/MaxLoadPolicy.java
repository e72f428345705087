package dev.ghost.internal.throttle;

import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

/** gh-ost's {@code --max-load}: throttles while a global status variable is at or above its limit. */
public final class MaxLoadPolicy implements ThrottlePolicy {

    private volatile StatusThresholds thresholds;

    public MaxLoadPolicy(StatusThresholds thresholds) {
        this.thresholds = thresholds;
    }

    public StatusThresholds thresholds() {
        return thresholds;
    }

    public void thresholds(StatusThresholds next) {
        thresholds = next;
    }

    /** The same settings, with a state of its own (a builder's policy may serve several migrations). */
    public MaxLoadPolicy copy() {
        return new MaxLoadPolicy(thresholds);
    }

    @Override
    public String name() {
        return "max-load";
    }

    @Override
    public ThrottleDecision evaluate(ThrottleContext context) throws Exception {
        StatusThresholds current = thresholds;
        if (current.isEmpty()) {
            return ThrottleDecision.proceed();
        }
        return current.firstReached(context.connection())
                .map(reached -> ThrottleDecision.throttle("max-load " + reached))
                .orElse(ThrottleDecision.proceed());
    }

    @Override
    public String toString() {
        return "max-load " + thresholds;
    }
}
