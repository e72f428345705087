package dev.ghost.examples.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two table contents row by row, matched by their key columns: rows missing on one side, rows only on the
 * other, and rows whose columns differ, each said in one line with the column names.
 */
final class ContentComparator {

    /** What differs: the total number of differing rows, and a description of the first few. */
    record Differences(int count, List<String> first) {

        boolean none() {
            return count == 0;
        }
    }

    private ContentComparator() {
    }

    /**
     * @param columns    the column names of both contents, in the order of their values
     * @param keyColumns the positions (in {@code columns}) of the columns that identify a row
     * @param expected   rows as they should be
     * @param actual     rows as they are
     * @param max        how many differences to describe
     */
    static Differences compare(List<String> columns, List<Integer> keyColumns, List<List<String>> expected,
                               List<List<String>> actual, int max) {
        Map<List<String>, List<String>> expectedByKey = byKey(keyColumns, expected);
        Map<List<String>, List<String>> actualByKey = byKey(keyColumns, actual);
        List<String> described = new ArrayList<>();
        int count = 0;
        for (Map.Entry<List<String>, List<String>> entry : expectedByKey.entrySet()) {
            List<String> other = actualByKey.get(entry.getKey());
            if (other == null) {
                count++;
                describe(described, max, "missing row " + render(columns, entry.getValue()));
            } else if (!other.equals(entry.getValue())) {
                count++;
                describe(described, max, "row " + render(columns, keyColumns, entry.getValue()) + " differs: "
                        + changes(columns, entry.getValue(), other));
            }
        }
        for (Map.Entry<List<String>, List<String>> entry : actualByKey.entrySet()) {
            if (!expectedByKey.containsKey(entry.getKey())) {
                count++;
                describe(described, max, "unexpected row " + render(columns, entry.getValue()));
            }
        }
        if (expected.size() != expectedByKey.size() || actual.size() != actualByKey.size()) {
            count++;
            described.add(0, "duplicate keys: expected " + expected.size() + " rows (" + expectedByKey.size()
                    + " keys), actual " + actual.size() + " rows (" + actualByKey.size() + " keys)");
        }
        return new Differences(count, described);
    }

    private static Map<List<String>, List<String>> byKey(List<Integer> keyColumns, List<List<String>> rows) {
        Map<List<String>, List<String>> byKey = new LinkedHashMap<>();
        for (List<String> row : rows) {
            byKey.putIfAbsent(keyColumns.stream().map(row::get).toList(), row);
        }
        return byKey;
    }

    private static void describe(List<String> described, int max, String line) {
        if (described.size() < max) {
            described.add(line);
        }
    }

    private static String render(List<String> columns, List<String> row) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            parts.add(columns.get(i) + "=" + row.get(i));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private static String render(List<String> columns, List<Integer> keyColumns, List<String> row) {
        List<String> parts = new ArrayList<>();
        for (int i : keyColumns) {
            parts.add(columns.get(i) + "=" + row.get(i));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private static String changes(List<String> columns, List<String> expected, List<String> actual) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (!Objects.equals(expected.get(i), actual.get(i))) {
                parts.add(columns.get(i) + ": expected " + expected.get(i) + ", was " + actual.get(i));
            }
        }
        return String.join("; ", parts);
    }
}
