package dev.ghost.internal.throttle;

import dev.ghost.CriticalLoadException;
import dev.ghost.spi.ThrottleContext;
import dev.ghost.spi.ThrottleDecision;
import dev.ghost.spi.ThrottlePolicy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * gh-ost's {@code --critical-load}: when a status variable reaches its critical limit, looks again after the
 * interval (when one is set) and, if it is still reached, aborts the migration with a {@link CriticalLoadException}
 * — or, with a hibernate time, pauses the copy that long and then carries on.
 */
public final class CriticalLoadPolicy implements ThrottlePolicy {

    private volatile StatusThresholds thresholds;
    private final Duration secondLookAfter;
    private final Duration hibernate;
    private volatile long hibernatingUntilNanos;
    private volatile boolean hibernating;

    public CriticalLoadPolicy(StatusThresholds thresholds, Duration secondLookAfter, Duration hibernate) {
        this.thresholds = thresholds;
        this.secondLookAfter = secondLookAfter;
        this.hibernate = hibernate;
    }

    /** The same settings, with a state of its own (policies given to the builder may serve several migrations). */
    public CriticalLoadPolicy copy() {
        return new CriticalLoadPolicy(thresholds, secondLookAfter, hibernate);
    }

    public StatusThresholds thresholds() {
        return thresholds;
    }

    public void thresholds(StatusThresholds next) {
        thresholds = next;
    }

    @Override
    public String name() {
        return "critical-load";
    }

    @Override
    public ThrottleDecision evaluate(ThrottleContext context) throws Exception {
        if (hibernating) {
            if (System.nanoTime() - hibernatingUntilNanos < 0) {
                return ThrottleDecision.throttle("critical-load hibernation");
            }
            hibernating = false;
        }
        StatusThresholds current = thresholds;
        if (current.isEmpty()) {
            return ThrottleDecision.proceed();
        }
        Optional<String> reached = current.firstReached(context.connection());
        if (reached.isPresent() && !secondLookAfter.isZero()) {
            Thread.sleep(secondLookAfter.toMillis()); // gh-ost's second look: a spike must last to count
            reached = current.firstReached(context.connection());
        }
        if (reached.isEmpty()) {
            return ThrottleDecision.proceed();
        }
        if (!hibernate.isZero()) {
            hibernating = true;
            hibernatingUntilNanos = System.nanoTime() + hibernate.toNanos();
            return ThrottleDecision.throttle("critical-load hibernation");
        }
        throw new CriticalLoadException("critical-load met: " + reached.get() + "; the migration stopped and the "
                + "original table is untouched", reached.get(), List.of());
    }
}
