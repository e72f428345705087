package dev.ghost.examples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A write load that runs beside a migration and reports, once a second, the transactions it committed and the errors
 * it saw in that second: sysbench in a child process, or Java writers when sysbench is missing.
 */
interface ForegroundLoad extends AutoCloseable {

    /** What the load is, for the output, e.g. {@code sysbench oltp_write_only, 4 threads}. */
    String description();

    /** The one-second reports so far, oldest first. */
    SampleLog samples();

    /** Stops the load. */
    @Override
    void close();

    /** One report: the interval {@code [startNanos, endNanos)} on {@link System#nanoTime()}'s clock. */
    record Sample(long startNanos, long endNanos, double tps, double errorsPerSecond) {
    }

    /** What the load saw while a tool ran. */
    record During(double tps, int secondsAtZero, long errors) {
    }

    /** The reports, filled by the load's own thread, read and awaited by the benchmark. */
    final class SampleLog {
        private final List<Sample> samples = new ArrayList<>();
        private String failure;

        synchronized void add(Sample sample) {
            samples.add(sample);
            notifyAll();
        }

        /** The load has stopped on its own, e.g. sysbench exited: whoever waits learns why at once. */
        synchronized void fail(String why) {
            failure = why;
            notifyAll();
        }

        synchronized List<Sample> snapshot() {
            return List.copyOf(samples);
        }

        /** Waits until {@code count} reports are in. */
        synchronized void awaitCount(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (samples.size() < count) {
                waitUntil(deadline, "no load report after " + timeout.toSeconds() + " s (" + samples.size()
                        + " of " + count + " in)");
            }
        }

        /** Waits until the report of the second that holds {@code nanos} is in. */
        synchronized void awaitReportCovering(long nanos, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (samples.isEmpty() || samples.get(samples.size() - 1).endNanos() < nanos) {
                waitUntil(deadline, "the load stopped reporting");
            }
        }

        private void waitUntil(long deadline, String timeoutMessage) throws InterruptedException {
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(timeoutMessage);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Mean tps of the last {@code seconds} reports that ended before {@code beforeNanos}; NaN when there are none. */
    static double baseline(List<Sample> samples, long beforeNanos, int seconds) {
        List<Sample> before = samples.stream().filter(s -> s.endNanos() <= beforeNanos).toList();
        List<Sample> last = before.subList(Math.max(0, before.size() - seconds), before.size());
        return last.stream().mapToDouble(Sample::tps).average().orElse(Double.NaN);
    }

    /**
     * The load while a tool ran from {@code fromNanos} to {@code toNanos}: tps as the mean over the tool's wall time
     * (each report weighted by how much of its second the tool ran), the seconds at zero tps and the errors of every
     * report that overlaps the run at all (a second without a single commit stalled while the tool ran, whatever
     * the overlap). Tps is NaN when no report overlaps.
     */
    static During during(List<Sample> samples, long fromNanos, long toNanos) {
        double weightedTps = 0;
        double weight = 0;
        int zeros = 0;
        double errors = 0;
        for (Sample sample : samples) {
            long overlap = Math.min(sample.endNanos(), toNanos) - Math.max(sample.startNanos(), fromNanos);
            if (overlap <= 0) {
                continue;
            }
            weightedTps += sample.tps() * overlap;
            weight += overlap;
            if (sample.tps() == 0) {
                zeros++;
            }
            errors += sample.errorsPerSecond() * (sample.endNanos() - sample.startNanos()) / 1e9;
        }
        return new During(weight == 0 ? Double.NaN : weightedTps / weight, zeros, Math.round(errors));
    }
}
