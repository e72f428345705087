package dev.ghost.internal.engine;

import dev.ghost.internal.throttle.CriticalLoadPolicy;
import dev.ghost.internal.throttle.HttpThrottlePolicy;
import dev.ghost.internal.throttle.MaxLagPolicy;
import dev.ghost.internal.throttle.MaxLoadPolicy;
import dev.ghost.internal.throttle.NiceRatioPolicy;
import dev.ghost.internal.throttle.StatusThresholds;
import dev.ghost.internal.throttle.ThrottleQueryPolicy;
import dev.ghost.spi.ThrottlePolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One migration's throttle policies, with a handle on each built-in kind that operators may change at run time: the
 * first of that kind given to the builder (copied: a builder's policy may serve several migrations), or a disabled
 * one added to change later.
 */
final class ThrottlePolicies {

    private final List<ThrottlePolicy> all = new ArrayList<>();
    private final MaxLoadPolicy maxLoad;
    private final CriticalLoadPolicy criticalLoad;
    private final MaxLagPolicy maxLag;
    private final NiceRatioPolicy niceRatio;
    private final ThrottleQueryPolicy throttleQuery;
    private final HttpThrottlePolicy throttleHttp;

    ThrottlePolicies(List<ThrottlePolicy> given) {
        MaxLoadPolicy load = null;
        CriticalLoadPolicy critical = null;
        MaxLagPolicy lagLimit = null;
        NiceRatioPolicy nice = null;
        ThrottleQueryPolicy query = null;
        HttpThrottlePolicy http = null;
        for (ThrottlePolicy policy : given) {
            ThrottlePolicy own = policy;
            if (policy instanceof MaxLoadPolicy p && load == null) {
                own = load = p.copy();
            } else if (policy instanceof CriticalLoadPolicy p && critical == null) {
                own = critical = p.copy();
            } else if (policy instanceof MaxLagPolicy p && lagLimit == null) {
                own = lagLimit = p.copy();
            } else if (policy instanceof NiceRatioPolicy p && nice == null) {
                own = nice = p.copy();
            } else if (policy instanceof ThrottleQueryPolicy p && query == null) {
                own = query = p.copy();
            } else if (policy instanceof HttpThrottlePolicy p && http == null) {
                own = http = p.copy();
            }
            all.add(own);
        }
        this.maxLoad = load != null ? load : added(new MaxLoadPolicy(StatusThresholds.NONE));
        this.criticalLoad = critical != null ? critical
                : added(new CriticalLoadPolicy(StatusThresholds.NONE, Duration.ZERO, Duration.ZERO));
        this.maxLag = lagLimit != null ? lagLimit : added(new MaxLagPolicy(null));
        this.niceRatio = nice != null ? nice : added(new NiceRatioPolicy(0));
        this.throttleQuery = query != null ? query : added(new ThrottleQueryPolicy(null));
        // gh-ost's defaults; the check makes no request until a URL is set
        this.throttleHttp = http != null ? http
                : added(new HttpThrottlePolicy(null, Duration.ofMillis(100), Duration.ofSeconds(1), false));
    }

    private <P extends ThrottlePolicy> P added(P policy) {
        all.add(policy);
        return policy;
    }

    /** Every policy, for the throttler. */
    List<ThrottlePolicy> all() {
        return all;
    }

    MaxLoadPolicy maxLoad() {
        return maxLoad;
    }

    CriticalLoadPolicy criticalLoad() {
        return criticalLoad;
    }

    MaxLagPolicy maxLag() {
        return maxLag;
    }

    NiceRatioPolicy niceRatio() {
        return niceRatio;
    }

    ThrottleQueryPolicy throttleQuery() {
        return throttleQuery;
    }

    HttpThrottlePolicy throttleHttp() {
        return throttleHttp;
    }
}
