package dev.ghost.event;

import dev.ghost.MigrationState;
import dev.ghost.MigrationStatus;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a migration's progress to a StatsD server as UDP datagrams, in the DogStatsD line format
 * ({@code name:value|type|#tag:value,...}), with gh-ost's metric names so that dashboards built for gh-ost keep
 * working. Register it with {@code OnlineSchemaChange.builder().listener(...)}.
 *
 * <p>What it sends (each name after the prefix, {@code gh_ost.} unless changed):
 * <ul>
 *   <li>on every progress report, gauges: {@code row_copy.rows_copied}, {@code row_copy.rows_estimate},
 *       {@code row_copy.percent}, {@code row_copy.rows_per_second}, {@code row_copy.chunk_size},
 *       {@code dml.events_applied}, {@code dml.events_per_second}, {@code binlog.backlog_size},
 *       {@code lag.heartbeat_seconds} (tagged {@code throttled:true|false}) and {@code throttle.active} (0 or 1);</li>
 *   <li>when a throttled spell ends: the counter {@code throttle.events_total} and the timing
 *       {@code throttle.duration_milliseconds}, both tagged {@code reason:<why>};</li>
 *   <li>on state changes: the counter {@code startup} when the migration starts, the counter
 *       {@code state.transitions_total} tagged {@code state:<new state>}, and at the end the counter
 *       {@code migration.finished_total} tagged {@code outcome:completed|failed|cancelled} and the gauge
 *       {@code migration.elapsed_seconds};</li>
 *   <li>after the cut-over: the timing {@code cut_over.lock_held_milliseconds} and the counter
 *       {@code cut_over.attempts_total} tagged {@code outcome:success}, with the attempt that succeeded as the
 *       gauge {@code cut_over.attempt};</li>
 *   <li>every {@code runtimeMetricsInterval} while the migration runs, JVM gauges (gh-ost sends Go runtime ones):
 *       {@code jvm_runtime.heap_used_bytes}, {@code jvm_runtime.heap_committed_bytes},
 *       {@code jvm_runtime.non_heap_used_bytes}, {@code jvm_runtime.gc_count},
 *       {@code jvm_runtime.gc_time_milliseconds} and {@code jvm_runtime.threads}.</li>
 * </ul>
 * Every metric carries the global tags given to the builder.
 *
 * <p>Metrics never stop a migration: each report is sent at once from the callback (no queue that could grow), a
 * send that fails is dropped, and the first failure is logged as a warning, later ones only at debug level. The
 * socket is closed when the migration reaches a terminal state (or on {@link #close()}); one listener serves one
 * migration.
 */
public final class StatsdListener implements MigrationListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatsdListener.class);
    /** Datagrams stay below the common 1500-byte MTU so that no IP fragmentation can lose a whole batch. */
    static final int MAX_PAYLOAD_BYTES = 1432;

    private final InetSocketAddress target;
    private final String prefix;
    private final String globalTags;
    private final Duration runtimeMetricsInterval;
    private final DatagramSocket socket;
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final Object sendLock = new Object();
    private volatile boolean closed;
    private volatile Instant startedAt;
    private ScheduledExecutorService runtimeSampler; // guarded by sendLock
    private Instant throttledSince; // guarded by sendLock
    private String throttleReason = ""; // guarded by sendLock

    private StatsdListener(Builder builder) {
        this.target = builder.target;
        this.prefix = builder.prefix;
        this.globalTags = String.join(",", builder.tags);
        this.runtimeMetricsInterval = builder.runtimeMetricsInterval;
        try {
            // Unconnected: an ICMP "port unreachable" from a missing StatsD server must not fail later sends.
            this.socket = new DatagramSocket();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot open a UDP socket for StatsD metrics to " + describe(target)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * A listener that sends to {@code host:port}. The host is resolved here: an unknown host fails now, with an
     * {@link IllegalArgumentException}, rather than silently losing every metric.
     *
     * @param host the StatsD agent's host name or IP address
     * @param port its UDP port, 1..65535
     * @return a builder with no tags and the prefix {@code gh_ost.}
     */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    @Override
    public void stateChanged(StateChange change) {
        List<String> lines = new ArrayList<>();
        if (change.from() == MigrationState.NEW && started.compareAndSet(false, true)) {
            startedAt = change.at();
            lines.add(line("startup", "1", "c", ""));
            startRuntimeSampler();
        }
        String state = change.to().name().toLowerCase(Locale.ROOT);
        lines.add(line("state.transitions_total", "1", "c", "state:" + state));
        if (change.to().isTerminal()) {
            lines.add(line("migration.finished_total", "1", "c", "outcome:" + state));
            if (startedAt != null) {
                lines.add(gauge("migration.elapsed_seconds", Duration.between(startedAt, change.at()).toMillis()
                        / 1000.0));
            }
        }
        send(lines);
        if (change.to().isTerminal()) {
            close();
        }
    }

    @Override
    public void progress(MigrationStatus status) {
        List<String> lines = new ArrayList<>();
        String throttledTag = "throttled:" + status.throttled();
        lines.add(gauge("row_copy.rows_copied", status.rowsCopied()));
        lines.add(gauge("row_copy.rows_estimate", status.rowEstimate()));
        lines.add(gauge("row_copy.percent", status.copyPercent()));
        lines.add(gauge("row_copy.rows_per_second", status.copyRate()));
        lines.add(gauge("row_copy.chunk_size", status.chunkSize()));
        lines.add(gauge("dml.events_applied", status.eventsApplied()));
        lines.add(gauge("dml.events_per_second", status.applyRate()));
        lines.add(gauge("binlog.backlog_size", status.backlog()));
        lines.add(line("lag.heartbeat_seconds", number(status.lag().toMillis() / 1000.0), "g", throttledTag));
        lines.add(gauge("throttle.active", status.throttled() ? 1 : 0));
        synchronized (sendLock) {
            lines.addAll(throttleSpell(status));
        }
        send(lines);
    }

    @Override
    public void cutoverCompleted(CutoverCompleted event) {
        send(List.of(
                line("cut_over.lock_held_milliseconds", Long.toString(event.lockHeld().toMillis()), "ms",
                        "outcome:success"),
                line("cut_over.attempts_total", "1", "c", "outcome:success"),
                gauge("cut_over.attempt", event.attempt())));
    }

    /** Stops the runtime sampler and closes the socket; later reports are dropped. Safe to call more than once. */
    @Override
    public void close() {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (runtimeSampler != null) {
                runtimeSampler.shutdownNow();
            }
            socket.close();
        }
    }

    @Override
    public String toString() {
        return "StatsdListener[" + describe(target) + "]";
    }

    /** A throttled spell that just ended, as gh-ost reports it: one event and its duration, tagged with the reason. */
    private List<String> throttleSpell(MigrationStatus status) {
        if (status.throttled()) {
            if (throttledSince == null) {
                throttledSince = Instant.now();
            }
            throttleReason = status.throttleReason().orElse("");
            return List.of();
        }
        if (throttledSince == null) {
            return List.of();
        }
        long millis = Duration.between(throttledSince, Instant.now()).toMillis();
        String reasonTag = "reason:" + tagValue(throttleReason);
        throttledSince = null;
        return List.of(line("throttle.events_total", "1", "c", reasonTag),
                line("throttle.duration_milliseconds", Long.toString(millis), "ms", reasonTag));
    }

    private void startRuntimeSampler() {
        if (runtimeMetricsInterval.isZero()) {
            return;
        }
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            runtimeSampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "ghost-statsd-runtime");
                thread.setDaemon(true); // never keeps the JVM alive after the migration
                return thread;
            });
            long millis = runtimeMetricsInterval.toMillis();
            runtimeSampler.scheduleAtFixedRate(this::sendRuntimeMetrics, 0, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void sendRuntimeMetrics() {
        try {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long gcCount = 0;
            long gcMillis = 0;
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcCount += Math.max(0, collector.getCollectionCount()); // -1 means unknown
                gcMillis += Math.max(0, collector.getCollectionTime());
            }
            send(List.of(
                    gauge("jvm_runtime.heap_used_bytes", memory.getHeapMemoryUsage().getUsed()),
                    gauge("jvm_runtime.heap_committed_bytes", memory.getHeapMemoryUsage().getCommitted()),
                    gauge("jvm_runtime.non_heap_used_bytes", memory.getNonHeapMemoryUsage().getUsed()),
                    gauge("jvm_runtime.gc_count", gcCount),
                    gauge("jvm_runtime.gc_time_milliseconds", gcMillis),
                    gauge("jvm_runtime.threads", ManagementFactory.getThreadMXBean().getThreadCount())));
        } catch (RuntimeException e) { // an exception would silently cancel the schedule
            failed(e);
        }
    }

    private String gauge(String name, double value) {
        return line(name, number(value), "g", "");
    }

    private String line(String name, String value, String type, String tag) {
        StringBuilder line = new StringBuilder(prefix).append(name).append(':').append(value).append('|').append(type);
        if (!globalTags.isEmpty() || !tag.isEmpty()) {
            line.append("|#").append(globalTags);
            if (!globalTags.isEmpty() && !tag.isEmpty()) {
                line.append(',');
            }
            line.append(tag);
        }
        return line.toString();
    }

    /** Whole numbers without a fraction, others with up to three decimals: StatsD servers parse both. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** Several metrics per datagram, one per line, as StatsD and DogStatsD accept them. */
    private void send(List<String> lines) {
        StringBuilder batch = new StringBuilder();
        for (String line : lines) {
            if (batch.length() > 0 && batch.length() + 1 + line.length() > MAX_PAYLOAD_BYTES) {
                sendDatagram(batch.toString());
                batch.setLength(0);
            }
            if (batch.length() > 0) {
                batch.append('\n');
            }
            batch.append(line);
        }
        if (batch.length() > 0) {
            sendDatagram(batch.toString());
        }
    }

    private void sendDatagram(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            try {
                socket.send(new DatagramPacket(bytes, bytes.length, target));
            } catch (IOException | RuntimeException e) {
                failed(e);
            }
        }
    }

    private void failed(Exception e) {
        if (failureLogged.compareAndSet(false, true)) {
            log.warn("StatsD metrics to {} are failing and are dropped (the migration goes on; later failures are "
                    + "logged at debug level): {}", describe(target), e.toString());
        } else {
            log.debug("StatsD send to {} failed: {}", describe(target), e.toString());
        }
    }

    /** Tag values may not hold the format's separators; a throttle reason is free text. */
    private static String tagValue(String text) {
        String cleaned = text.replaceAll("[|,#:\\s]+", "_");
        return cleaned.isEmpty() ? "unknown" : cleaned;
    }

    private static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** Where to send, the tags and the runtime sampling interval. */
    public static final class Builder {
        private final InetSocketAddress target;
        private final List<String> tags = new ArrayList<>();
        private String prefix = "gh_ost.";
        private Duration runtimeMetricsInterval = Duration.ofSeconds(10);

        private Builder(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("StatsD host is empty: give the host (or IP) of the StatsD "
                        + "server");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("StatsD port " + port + " is outside 1..65535");
            }
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("StatsD host '" + host + "' cannot be resolved: give a host "
                        + "name DNS knows, or an IP address");
            }
            this.target = address;
        }

        /**
         * A tag added to every metric, {@code key:value} (or a bare {@code key}); may not contain {@code |},
         * {@code ,}, {@code #} or white space, which the line format uses.
         *
         * @param tag e.g. {@code env:prod}
         * @return this builder
         */
        public Builder tag(String tag) {
            Objects.requireNonNull(tag, "tag");
            if (tag.isEmpty() || !tag.matches("[^|,#\\s]+")) {
                throw new IllegalArgumentException("StatsD tag '" + tag + "' is not key:value without '|', ',', '#' "
                        + "or white space");
            }
            tags.add(tag);
            return this;
        }

        /**
         * Tags added to every metric; see {@link #tag(String)}.
         *
         * @param tags e.g. {@code List.of("env:prod", "team:db")}
         * @return this builder
         */
        public Builder tags(List<String> tags) {
            tags.forEach(this::tag);
            return this;
        }

        /**
         * Prepended to every metric name; default {@code gh_ost.}, gh-ost's namespace. May be empty.
         *
         * @param prefix letters, digits, {@code _}, {@code .} and {@code -}
         * @return this builder
         */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (!prefix.matches("[A-Za-z0-9_.\\-]*")) {
                throw new IllegalArgumentException("StatsD prefix '" + prefix + "' may hold only letters, digits, "
                        + "'_', '.' and '-'");
            }
            this.prefix = prefix;
            return this;
        }

        /**
         * How often JVM runtime gauges are sent while the migration runs (default 10 s); zero sends none.
         *
         * @param interval time between samples, at least 1 ms, or zero
         * @return this builder
         */
        public Builder runtimeMetricsInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 1)) {
                throw new IllegalArgumentException("StatsD runtime metrics interval " + interval + " must be zero "
                        + "(none) or at least 1 ms");
            }
            this.runtimeMetricsInterval = interval;
            return this;
        }

        /**
         * The listener, with its UDP socket open.
         *
         * @return a listener to pass to {@code OnlineSchemaChange.Builder.listener}
         * @throws IllegalStateException when no UDP socket can be opened
         */
        public StatsdListener build() {
            return new StatsdListener(this);
        }
    }
}
