package dev.ghost.examples.bench;

import dev.ghost.testing.TestDatabase;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fallback when sysbench is missing: {@link MigrationBenchmark.Load}'s Java writers (point update, delete and
 * re-insert by id, client-side statements, autocommit), sampled once a second.
 */
final class JavaWritersLoad implements ForegroundLoad {

    private final MigrationBenchmark.Load writers;
    private final ScheduledExecutorService sampler;
    private final SampleLog samples = new SampleLog();
    private final String description;
    private long lastNanos = System.nanoTime();
    private long lastCommitted;
    private long lastErrors;

    private JavaWritersLoad(MigrationBenchmark.Load writers, int threads) {
        this.writers = writers;
        this.description = "Java writers (sysbench is missing), " + threads
                + " threads, client-side statements: update, delete, insert by id";
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-writers-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    static JavaWritersLoad start(TestDatabase db, int rows, int threads) {
        return new JavaWritersLoad(MigrationBenchmark.Load.start(db, rows, threads), threads);
    }

    private void sample() {
        long now = System.nanoTime();
        long committed = writers.committed();
        long errors = writers.errors();
        double seconds = (now - lastNanos) / 1e9;
        samples.add(new Sample(lastNanos, now, (committed - lastCommitted) / seconds, (errors - lastErrors) / seconds));
        lastNanos = now;
        lastCommitted = committed;
        lastErrors = errors;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public SampleLog samples() {
        return samples;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            writers.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
