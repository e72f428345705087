package dev.ghost.examples.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.ghost.examples.bench.MigrationBenchmark.median;

/**
 * The side-by-side benchmark's figures per tool over the runs, and their table of medians: a Markdown table with
 * padded columns, readable in a terminal and pasteable into the README as it is.
 */
final class SideBySideTable {

    static final String NATIVE = "native";
    static final String PT_OSC = "pt-osc";

    /** One tool's figures, one entry per successful run; a figure a tool does not have stays empty ("n/a"). */
    static final class Figures {
        final List<Double> idleSeconds = new ArrayList<>();
        final List<Double> loadedSeconds = new ArrayList<>();
        final List<Double> tpsBefore = new ArrayList<>();
        final List<Double> tpsDuring = new ArrayList<>();
        /** During/before per run: the median of the ratios, not the ratio of the medians. */
        final List<Double> tpsShare = new ArrayList<>();
        final List<Double> secondsAtZero = new ArrayList<>();
        final List<Double> errors = new ArrayList<>();
        final List<Double> idleLockMs = new ArrayList<>();
        final List<Double> loadedLockMs = new ArrayList<>();
        final List<Double> idleHeapMb = new ArrayList<>();
        final List<Double> loadedHeapMb = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
    }

    private static final List<String> HEADER = List.of("tool", "idle s", "idle ×native", "idle ×pt-osc", "loaded s",
            "loaded ×native", "loaded ×pt-osc", "tps before", "tps during (%)", "seconds at 0", "errors",
            "cut-over lock ms (idle / loaded)", "peak heap MB (idle / loaded)");

    private final Map<String, Figures> tools;

    /** {@code tools} in the order of the table's rows, keyed by name ({@link #NATIVE}, {@link #PT_OSC}, ghost). */
    SideBySideTable(Map<String, Figures> tools) {
        this.tools = new LinkedHashMap<>(tools);
    }

    List<String> lines() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        tools.forEach((name, f) -> rows.add(row(name, f)));
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(rows.get(0), widths));
        List<String> rule = new ArrayList<>();
        for (int width : widths) {
            rule.add("-".repeat(width));
        }
        lines.add(line(rule, widths));
        rows.subList(1, rows.size()).forEach(row -> lines.add(line(row, widths)));
        return lines;
    }

    private List<String> row(String name, Figures f) {
        double idle = medianOrNaN(f.idleSeconds);
        double loaded = medianOrNaN(f.loadedSeconds);
        return List.of(name,
                number(idle, "%.2f"),
                ratio(idle, NATIVE, true),
                ratio(idle, PT_OSC, true),
                number(loaded, "%.2f"),
                ratio(loaded, NATIVE, false),
                ratio(loaded, PT_OSC, false),
                number(medianOrNaN(f.tpsBefore), "%.0f"),
                Double.isNaN(medianOrNaN(f.tpsDuring)) ? "n/a" : String.format(Locale.ROOT, "%.0f (%.0f%%)",
                        medianOrNaN(f.tpsDuring), 100 * medianOrNaN(f.tpsShare)),
                count(medianOrNaN(f.secondsAtZero)),
                count(medianOrNaN(f.errors)),
                pair(f.idleLockMs, f.loadedLockMs, "%.1f"),
                pair(f.idleHeapMb, f.loadedHeapMb, "%.0f"));
    }

    private String ratio(double seconds, String reference, boolean idle) {
        Figures other = tools.get(reference);
        if (other == null) {
            return "n/a";
        }
        double base = medianOrNaN(idle ? other.idleSeconds : other.loadedSeconds);
        return Double.isNaN(seconds) || Double.isNaN(base) || base == 0 ? "n/a"
                : String.format(Locale.ROOT, "%.2f", seconds / base);
    }

    private static String pair(List<Double> idle, List<Double> loaded, String format) {
        if (idle.isEmpty() && loaded.isEmpty()) {
            return "n/a";
        }
        return number(medianOrNaN(idle), format) + " / " + number(medianOrNaN(loaded), format);
    }

    /** A median of counts: whole unless two runs straddle it. */
    private static String count(double value) {
        return value == Math.rint(value) ? number(value, "%.0f") : number(value, "%.1f");
    }

    private static String number(double value, String format) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
    }

    static double medianOrNaN(List<Double> values) {
        return values.isEmpty() ? Double.NaN : median(values);
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < cells.size(); i++) {
            line.append(' ').append(String.format(Locale.ROOT, "%-" + widths[i] + "s", cells.get(i))).append(" |");
        }
        return line.toString();
    }
}
