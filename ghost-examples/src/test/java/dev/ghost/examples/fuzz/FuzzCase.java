package dev.ghost.examples.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Everything one seed generates, before any thread runs: the table, how many rows to fill it with, the ALTER and the
 * chunk size. The same seed always gives the same case; only the writers' interleaving varies between runs.
 */
record FuzzCase(long seed, FuzzTable table, int rows, AlterGrammar.Alter alter, int chunkSize) {

    static final String TABLE = "fz";

    static FuzzCase generate(long seed) {
        Random random = new Random(seed);
        int rows = 200 + random.nextInt(1801);
        FuzzTable table = TableGenerator.generate(TABLE, random, rows);
        AlterGrammar.Alter alter = AlterGrammar.generate(table, random);
        return new FuzzCase(seed, table, rows, alter, 20 + random.nextInt(31));
    }

    ValueGenerator values() {
        return new ValueGenerator(rows);
    }

    /** The rows to fill the table with, as value lists in column order (duplicates of the key are allowed). */
    List<List<String>> initialRows() {
        Random random = new Random(seed * 1_000_003L + 1);
        ValueGenerator values = values();
        List<List<String>> result = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            result.add(row(values, random));
        }
        return result;
    }

    /** One row of random values in column order. */
    List<String> row(ValueGenerator values, Random random) {
        List<String> row = new ArrayList<>(table.columns().size());
        for (FuzzColumn column : table.columns()) {
            row.add(table.isKey(column.name()) ? values.keyValue(column, random) : values.value(column, random));
        }
        return row;
    }

    /** One line saying what the seed covers, e.g. {@code PRIMARY(ENUM,INT) rows=812 chunk=31 [WIDEN, MOVE]}. */
    String summary() {
        return (table.primaryKey() ? "PRIMARY(" : "UNIQUE(") + table.keyColumnList().stream()
                .map(c -> c.type().kind().name() + (c.type().collation() == null ? ""
                        : ":" + c.type().collation()))
                .collect(Collectors.joining(",")) + ") rows=" + rows + " chunk=" + chunkSize + " " + alter.changes();
    }
}
