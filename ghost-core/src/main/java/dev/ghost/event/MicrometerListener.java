package dev.ghost.event;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Registers a migration's figures with a Micrometer {@link MeterRegistry} that the application already has, so that
 * they reach whatever backend it reports to (Prometheus, Datadog, CloudWatch, ...). Register it with
 * {@code OnlineSchemaChange.builder().listener(...)}. Micrometer ({@code io.micrometer:micrometer-core}) is an optional
 * dependency of ghost: only applications that use this class need it on their class path, and no other ghost class
 * refers to it.
 *
 * <p>Names are {@link StatsdListener}'s (gh-ost's), with the same {@code gh_ost.} prefix, so that one dashboard query
 * fits both; Micrometer's dot-separated names are turned into each backend's convention by the registry (Prometheus:
 * {@code gh_ost_row_copy_rows_copied}). Timers are the exception: they carry their unit themselves, so their names
 * drop StatsD's {@code _milliseconds} suffix.
 * <ul>
 *   <li>gauges, updated with every progress report: {@code row_copy.rows_copied}, {@code row_copy.rows_estimate},
 *       {@code row_copy.percent}, {@code row_copy.rows_per_second}, {@code row_copy.chunk_size},
 *       {@code dml.events_applied}, {@code dml.events_per_second}, {@code binlog.backlog_size},
 *       {@code lag.heartbeat_seconds}, {@code throttle.active} (0 or 1), and {@code cut_over.attempt} after the
 *       swap;</li>
 *   <li>counters: {@code startup}, {@code state.transitions_total} (tagged {@code state}),
 *       {@code migration.finished_total} (tagged {@code outcome}: completed, failed or cancelled),
 *       {@code throttle.events_total} (one per throttled spell, when it ends) and {@code cut_over.attempts_total}
 *       (tagged {@code outcome=success});</li>
 *   <li>timers: {@code cut_over.lock_held} (how long queries on the table were blocked, tagged
 *       {@code outcome=success}), {@code throttle.duration} (each throttled spell) and {@code migration.elapsed}
 *       (tagged {@code outcome}).</li>
 * </ul>
 * Every meter carries the tags given to the builder, e.g. {@code table}. Unlike StatsD, the heartbeat lag is not tagged
 * with the throttled flag and throttle spells are not tagged with their reason: a tag whose value changes would make a
 * new meter each time, and reasons are free text (unbounded cardinality). JVM figures are left to Micrometer's own
 * binders ({@code JvmMemoryMetrics}, {@code JvmGcMetrics}), which applications bind once.
 *
 * <p>The gauges are removed from the registry when the migration reaches a terminal state: they would otherwise
 * report the last figures forever, and a later migration with the same tags would find them bound to this listener.
 * Counters and timers stay (they are cumulative, and a backend that samples the registry must still see the final
 * increments); {@link #close()} removes them too. One listener serves one migration; migrations that run at the same
 * time with the same registry need tags that tell them apart.
 */
public final class MicrometerListener implements MigrationListener, AutoCloseable {

    private final MeterRegistry registry;
    private final String prefix;
    private final Tags tags;
    private final Object lock = new Object();
    private final List<Meter> gauges = new ArrayList<>(); // guarded by lock
    private final List<Meter> cumulative = new ArrayList<>(); // guarded by lock
    private volatile MigrationStatus latest; // read by the gauges, on the registry's threads
    private volatile int cutoverAttempt;
    private boolean registered; // guarded by lock
    private boolean ended; // guarded by lock
    private Instant startedAt; // guarded by lock
    private Instant throttledSince; // guarded by lock

    private MicrometerListener(Builder builder) {
        this.registry = builder.registry;
        this.prefix = builder.prefix;
        this.tags = builder.tags;
    }

    /**
     * A listener that registers its meters with {@code registry}.
     *
     * @param registry the application's registry
     * @return a builder with no tags and the prefix {@code gh_ost.}
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public void stateChanged(StateChange change) {
        synchronized (lock) {
            if (ended) {
                return;
            }
            registerGauges();
            if (change.from() == MigrationState.NEW && startedAt == null) {
                startedAt = change.at();
                counter("startup", Tags.empty()).increment();
            }
            String state = change.to().name().toLowerCase(Locale.ROOT);
            counter("state.transitions_total", Tags.of("state", state)).increment();
            if (change.to().isTerminal()) {
                Tags outcome = Tags.of("outcome", state);
                counter("migration.finished_total", outcome).increment();
                if (startedAt != null) {
                    timer("migration.elapsed", outcome).record(Duration.between(startedAt, change.at()));
                }
                removeGauges();
                ended = true;
            }
        }
    }

    @Override
    public void progress(MigrationStatus status) {
        synchronized (lock) {
            if (ended) {
                return; // the gauges are gone: a late report must not bring them back
            }
            registerGauges();
            latest = status;
            throttleSpell(status);
        }
    }

    @Override
    public void cutoverCompleted(CutoverCompleted event) {
        synchronized (lock) {
            if (ended) {
                return;
            }
            registerGauges();
            cutoverAttempt = event.attempt();
            Tags success = Tags.of("outcome", "success");
            timer("cut_over.lock_held", success).record(event.lockHeld());
            counter("cut_over.attempts_total", success).increment();
        }
    }

    /** Removes every meter this listener registered, counters and timers included. Safe to call more than once. */
    @Override
    public void close() {
        synchronized (lock) {
            removeGauges();
            cumulative.forEach(registry::remove);
            cumulative.clear();
            ended = true;
        }
    }

    @Override
    public String toString() {
        return "MicrometerListener[" + registry.getClass().getSimpleName() + ", " + tags + "]";
    }

    /**
     * The name a figure has in the registry, e.g. {@code gh_ost.row_copy.rows_copied}.
     *
     * @param name gh-ost's figure name, e.g. {@code row_copy.rows_copied}
     * @return the name with the prefix
     */
    public String meterName(String name) {
        return prefix + name;
    }

    /** Registered on the first event rather than at build time, so that a listener never used registers nothing. */
    private void registerGauges() {
        if (registered) {
            return;
        }
        registered = true;
        gauge("row_copy.rows_copied", null, status -> status.rowsCopied());
        gauge("row_copy.rows_estimate", null, status -> status.rowEstimate());
        gauge("row_copy.percent", "percent", MigrationStatus::copyPercent);
        gauge("row_copy.rows_per_second", null, MigrationStatus::copyRate);
        gauge("row_copy.chunk_size", "rows", status -> status.chunkSize());
        gauge("dml.events_applied", null, status -> status.eventsApplied());
        gauge("dml.events_per_second", null, MigrationStatus::applyRate);
        gauge("binlog.backlog_size", null, status -> status.backlog());
        gauge("lag.heartbeat_seconds", "seconds", status -> status.lag().toMillis() / 1000.0);
        gauge("throttle.active", null, status -> status.throttled() ? 1 : 0);
        gauges.add(Gauge.builder(meterName("cut_over.attempt"), this, listener -> listener.cutoverAttempt)
                .tags(tags).register(registry));
    }

    /** A gauge on the latest report; NaN (Micrometer's "no value") before the first one. */
    private void gauge(String name, String baseUnit, ToDoubleFunction<MigrationStatus> figure) {
        // The gauge holds this listener strongly enough: the listener keeps the reference the registry only weakly holds.
        gauges.add(Gauge.builder(meterName(name), this, listener -> {
            MigrationStatus status = listener.latest;
            return status == null ? Double.NaN : figure.applyAsDouble(status);
        }).baseUnit(baseUnit).tags(tags).register(registry));
    }

    private void removeGauges() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    /** A throttled spell that just ended: one event and its duration, as gh-ost reports it. */
    private void throttleSpell(MigrationStatus status) {
        if (status.throttled()) {
            if (throttledSince == null) {
                throttledSince = Instant.now();
            }
            return;
        }
        if (throttledSince != null) {
            Duration spell = Duration.between(throttledSince, Instant.now());
            throttledSince = null;
            counter("throttle.events_total", Tags.empty()).increment();
            timer("throttle.duration", Tags.empty()).record(spell);
        }
    }

    private Counter counter(String name, Tags extra) {
        Counter counter = Counter.builder(meterName(name)).tags(tags.and(extra)).register(registry);
        remember(counter);
        return counter;
    }

    private Timer timer(String name, Tags extra) {
        Timer timer = Timer.builder(meterName(name)).tags(tags.and(extra)).register(registry);
        remember(timer);
        return timer;
    }

    private void remember(Meter meter) {
        if (!cumulative.contains(meter)) {
            cumulative.add(meter);
        }
    }

    /** The registry, the tags and the name prefix. */
    public static final class Builder {
        private final MeterRegistry registry;
        private Tags tags = Tags.empty();
        private String prefix = "gh_ost.";

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * A tag on every meter, e.g. {@code tag("table", "shop.orders")}.
         *
         * @param key the tag's name; not {@code state} or {@code outcome}, which ghost uses
         * @param value the tag's value
         * @return this builder
         */
        public Builder tag(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (key.isBlank()) {
                throw new IllegalArgumentException("Micrometer tag key is empty (value '" + value + "'): give a "
                        + "name such as 'table'");
            }
            if (key.equals("state") || key.equals("outcome")) {
                throw new IllegalArgumentException("Micrometer tag key '" + key + "' is used by ghost's own "
                        + "meters: choose another name");
            }
            tags = tags.and(key, value);
            return this;
        }

        /**
         * Prepended to every meter name; default {@code gh_ost.}, as for StatsD. May be empty.
         *
         * @param prefix letters, digits, {@code _} and {@code .}
         * @return this builder
         */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (!prefix.matches("[A-Za-z0-9_.]*")) {
                throw new IllegalArgumentException("Micrometer name prefix '" + prefix + "' may hold only letters, "
                        + "digits, '_' and '.'");
            }
            this.prefix = prefix;
            return this;
        }

        /**
         * The listener; it registers its meters at the migration's first event.
         *
         * @return a listener to pass to {@code OnlineSchemaChange.Builder.listener}
         */
        public MicrometerListener build() {
            return new MicrometerListener(this);
        }
    }
}
