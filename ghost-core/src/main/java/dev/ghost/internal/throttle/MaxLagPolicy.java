package dev.ghost.internal.throttle;

import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

import java.time.Duration;
import java.util.Locale;

/** gh-ost's {@code --max-lag-millis}: throttles while the changelog heartbeat's lag exceeds a limit. */
public final class MaxLagPolicy implements ThrottlePolicy {

    private volatile Duration limit; // null: no limit

    public MaxLagPolicy(Duration limit) {
        this.limit = limit;
    }

    public Duration limit() {
        return limit;
    }

    public void limit(Duration next) {
        limit = next;
    }

    /** The same settings, with a state of its own (a builder's policy may serve several migrations). */
    public MaxLagPolicy copy() {
        return new MaxLagPolicy(limit);
    }

    @Override
    public String name() {
        return "max-lag";
    }

    @Override
    public ThrottleDecision evaluate(ThrottleContext context) {
        Duration current = limit;
        Duration lag = context.lag();
        if (current != null && lag.compareTo(current) > 0) {
            return ThrottleDecision.throttle(String.format(Locale.ROOT, "lag=%.3fs > max-lag-millis=%d",
                    lag.toMillis() / 1000.0, current.toMillis()));
        }
        return ThrottleDecision.proceed();
    }
}
