package dev.ghost.examples.bench;

import dev.ghost.testing.TestDatabase;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * sysbench {@code oltp_write_only} in a child process against the benchmark's table, with client-side statements
 * ({@code --db-ps-mode=disable}), every error ignored and counted, and a report each second that this class parses.
 */
final class SysbenchLoad implements ForegroundLoad {

    /** {@code -Dbench.sysbench=/nowhere} tries the Java writers' fallback. */
    static final Path SYSBENCH = Path.of(System.getProperty("bench.sysbench", "/usr/bin/sysbench"));

    /** sysbench 1.0's interval report: {@code [ 3s ] thds: 4 tps: 512.02 qps: ... err/s: 0.00 reconn/s: 0.00}. */
    private static final Pattern REPORT = Pattern.compile(
            "^\\[\\s*(\\d+(?:\\.\\d+)?)s\\s*]\\s+thds:\\s*\\d+\\s+tps:\\s*(\\d+(?:\\.\\d+)?)\\b.*?\\berr/s:\\s*(\\d+(?:\\.\\d+)?)");
    private static final int KEPT_OUTPUT_LINES = 20;

    private final Process process;
    private final String description;
    private final SampleLog samples = new SampleLog();
    private final Deque<String> otherOutput = new ArrayDeque<>();

    /** One parsed report line: sysbench's second since its start, tps and errors per second in that second. */
    record Report(double atSecond, double tps, double errorsPerSecond) {
    }

    private SysbenchLoad(Process process, String description) {
        this.process = process;
        this.description = description;
    }

    /** Whether sysbench can be run here. */
    static Optional<Path> installed() {
        return Files.isExecutable(SYSBENCH) ? Optional.of(SYSBENCH) : Optional.empty();
    }

    static SysbenchLoad start(TestDatabase db, int rows, int threads) throws IOException {
        List<String> command = List.of(SYSBENCH.toString(), "oltp_write_only", "--db-driver=mysql",
                "--mysql-host=" + db.server().host(), "--mysql-port=" + db.server().port(),
                "--mysql-user=" + db.server().user(), "--mysql-password=" + db.server().password(),
                "--mysql-db=" + db.name(), "--tables=1", "--table-size=" + rows, "--threads=" + threads,
                "--db-ps-mode=disable", "--mysql-ignore-errors=all", "--report-interval=1",
                "--time=" + TimeUnit.DAYS.toSeconds(1), "--events=0", "--rand-type=uniform", "run");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        SysbenchLoad load = new SysbenchLoad(process,
                "sysbench oltp_write_only, " + threads + " threads, client-side statements");
        Thread reader = new Thread(load::readReports, "bench-sysbench-reader");
        reader.setDaemon(true);
        reader.start();
        return load;
    }

    /**
     * A report line parsed, or empty for any other line. The report covers the second that ends at
     * {@code atSecond} after sysbench started.
     */
    static Optional<Report> parse(String line) {
        Matcher matcher = REPORT.matcher(line.strip());
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(new Report(Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)),
                Double.parseDouble(matcher.group(3))));
    }

    /**
     * Timestamps each report as it arrives (sysbench prints it at the end of its second): the benchmark compares
     * them with the tool's start and end on the same clock.
     */
    private void readReports() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            double lastSecond = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                long now = System.nanoTime();
                Optional<Report> report = parse(line);
                if (report.isPresent()) {
                    long length = (long) ((report.get().atSecond() - lastSecond) * 1e9);
                    lastSecond = report.get().atSecond();
                    samples.add(new Sample(now - length, now, report.get().tps(), report.get().errorsPerSecond()));
                } else if (!line.isBlank()) {
                    synchronized (otherOutput) {
                        otherOutput.addLast(line);
                        if (otherOutput.size() > KEPT_OUTPUT_LINES) {
                            otherOutput.removeFirst();
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process was stopped: its output ends here
        }
        String output;
        synchronized (otherOutput) {
            output = String.join("\n", otherOutput);
        }
        samples.fail("sysbench stopped; its last lines:\n" + output);
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
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
