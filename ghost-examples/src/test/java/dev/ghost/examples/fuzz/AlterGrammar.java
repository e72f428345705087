package dev.ghost.examples.fuzz;

import dev.ghost.examples.fuzz.ColumnType.Kind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random ALTERs made only of changes that keep every value: add a column (NULL, or NOT NULL with a constant
 * default), drop a non-key column, widen a type, convert a non-key string column to utf8mb4, move a column, add a
 * non-unique index, change a comment, append an ENUM or SET label; one to four of them at once, each column touched
 * by one clause at most (the server refuses two clauses on one column).
 */
final class AlterGrammar {

    enum Change { ADD_COLUMN, DROP_COLUMN, WIDEN, TO_UTF8MB4, MOVE, ADD_INDEX, COMMENT, APPEND_LABEL }

    /** The generated ALTER: its SQL (without {@code ALTER TABLE t}) and the changes it is made of. */
    record Alter(String sql, List<Change> changes) {
    }

    private AlterGrammar() {
    }

    static Alter generate(FuzzTable table, Random random) {
        Set<String> touched = new HashSet<>();
        Set<String> dropped = new HashSet<>();
        List<String> clauses = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        int wanted = 1 + (random.nextInt(100) < 40 ? random.nextInt(4) : 0);
        for (int attempt = 0; attempt < 40 && clauses.size() < wanted; attempt++) {
            Change change = Change.values()[random.nextInt(Change.values().length)];
            String clause = clause(change, table, random, touched, dropped, clauses.size());
            if (clause != null) {
                clauses.add(clause);
                changes.add(change);
            }
        }
        if (clauses.isEmpty()) {
            clauses.add("ADD COLUMN `added0` INT NULL");
            changes.add(Change.ADD_COLUMN);
        }
        return new Alter(String.join(", ", clauses), List.copyOf(changes));
    }

    private static String clause(Change change, FuzzTable table, Random random, Set<String> touched,
                                 Set<String> dropped, int number) {
        switch (change) {
            case ADD_COLUMN -> {
                return "ADD COLUMN " + addedColumn(random, number) + position(table, random, touched, dropped, null);
            }
            case DROP_COLUMN -> {
                FuzzColumn column = untouched(table, random, touched, false, c -> true);
                if (column == null || table.nonKeyColumns().size() - dropped.size() <= 1) {
                    return null;
                }
                dropped.add(column.name());
                return "DROP COLUMN " + Sql.quote(column.name());
            }
            case WIDEN -> {
                // Key columns too: the key keeps its name, and its values keep their order.
                FuzzColumn column = untouched(table, random, touched, true, c -> canWiden(c.type()));
                ColumnType wider = column == null ? null : widened(column.type(), random);
                return wider == null ? null : "MODIFY " + column.withType(wider).definition();
            }
            case TO_UTF8MB4 -> {
                FuzzColumn column = untouched(table, random, touched, false,
                        c -> c.type().kind().character() || c.type().kind().labelled());
                if (column == null) {
                    return null;
                }
                String[] collations = TableGenerator.UTF8MB4_COLLATIONS;
                return "MODIFY " + column.withType(column.type().withCharset("utf8mb4",
                        collations[random.nextInt(collations.length)])).definition();
            }
            case MOVE -> {
                FuzzColumn column = untouched(table, random, touched, true, c -> true);
                return column == null ? null
                        : "MODIFY " + column.definition() + position(table, random, touched, dropped, column.name());
            }
            case ADD_INDEX -> {
                List<String> indexed = new ArrayList<>();
                for (int i = 0; i < 4 && indexed.size() < 2; i++) {
                    FuzzColumn column = table.columns().get(random.nextInt(table.columns().size()));
                    if (column.type().kind() != Kind.JSON && !dropped.contains(column.name())
                            && !indexed.contains(column.name())) {
                        indexed.add(column.name());
                    }
                }
                touched.addAll(indexed); // no later clause may drop them
                return indexed.isEmpty() ? null : "ADD INDEX fz_ix" + number + " (" + table.indexList(indexed) + ")";
            }
            case COMMENT -> {
                if (random.nextInt(3) == 0) {
                    return number == 0 ? "COMMENT = 'fuzzed table'" : null; // a table option, once
                }
                FuzzColumn column = untouched(table, random, touched, true, c -> true);
                return column == null ? null
                        : "MODIFY " + column.withComment(column.comment() == null ? "new comment" : null).definition();
            }
            case APPEND_LABEL -> {
                FuzzColumn column = untouched(table, random, touched, false, c -> c.type().kind().labelled());
                if (column == null || column.type().labels().size() >= 9) {
                    return null;
                }
                List<String> labels = new ArrayList<>(column.type().labels());
                labels.add("appended");
                return "MODIFY " + column.withType(column.type().withLabels(labels)).definition();
            }
            default -> throw new IllegalStateException(change.name());
        }
    }

    /** A random column no clause has touched yet (key columns only when allowed), marked as touched. */
    private static FuzzColumn untouched(FuzzTable table, Random random, Set<String> touched, boolean keysToo,
                                        java.util.function.Predicate<FuzzColumn> fits) {
        List<FuzzColumn> candidates = table.columns().stream()
                .filter(c -> !touched.contains(c.name()) && (keysToo || !table.isKey(c.name())) && fits.test(c))
                .toList();
        if (candidates.isEmpty()) {
            return null;
        }
        FuzzColumn column = candidates.get(random.nextInt(candidates.size()));
        touched.add(column.name());
        return column;
    }

    /** Nothing, FIRST or AFTER a column; the anchor counts as touched so that no later clause drops it. */
    private static String position(FuzzTable table, Random random, Set<String> touched, Set<String> dropped,
                                   String self) {
        int choice = random.nextInt(3);
        if (choice == 0 && self == null) {
            return "";
        }
        if (choice == 1) {
            return " FIRST";
        }
        List<FuzzColumn> anchors = table.columns().stream()
                .filter(c -> !dropped.contains(c.name()) && !c.name().equals(self)).toList();
        if (anchors.isEmpty()) {
            return " FIRST";
        }
        String anchor = anchors.get(random.nextInt(anchors.size())).name();
        touched.add(anchor);
        return " AFTER " + Sql.quote(anchor);
    }

    private static String addedColumn(Random random, int number) {
        String name = Sql.quote("added" + number) + " ";
        return switch (random.nextInt(7)) {
            case 0 -> name + "INT NULL";
            case 1 -> name + "BIGINT UNSIGNED NOT NULL DEFAULT 18446744073709551615";
            case 2 -> name + "VARCHAR(20) CHARACTER SET utf8mb4 NOT NULL DEFAULT 'dflt 😀'";
            case 3 -> name + "DECIMAL(12,4) NULL DEFAULT -1.5";
            case 4 -> name + "DATETIME(6) NOT NULL DEFAULT '2020-02-29 12:34:56.000001'";
            case 5 -> name + "ENUM('p','q') NOT NULL DEFAULT 'q'";
            default -> name + "TEXT CHARACTER SET latin1 NULL";
        };
    }

    private static boolean canWiden(ColumnType type) {
        return switch (type.kind()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, DECIMAL, VARCHAR, VARBINARY, TIME, DATETIME, TIMESTAMP, BIT -> true;
            default -> false;
        };
    }

    /** A wider type that holds every value of the old one unchanged, or null when there is none here. */
    static ColumnType widened(ColumnType type, Random random) {
        Kind kind = type.kind();
        if (kind.integer()) {
            List<Kind> wider = new ArrayList<>();
            for (Kind candidate : List.of(Kind.SMALLINT, Kind.MEDIUMINT, Kind.INT, Kind.BIGINT)) {
                if (candidate.integerBytes > kind.integerBytes) {
                    wider.add(candidate);
                }
            }
            if (wider.isEmpty()) {
                return null;
            }
            // Strictly wider, so a signed target holds every unsigned value too; a signed column stays signed.
            return type.withKind(wider.get(random.nextInt(wider.size())))
                    .withUnsigned(type.unsigned() && random.nextBoolean());
        }
        return switch (kind) {
            case DECIMAL -> {
                int whole = type.length() - type.scale();
                int scale = Math.min(30, type.scale() + random.nextInt(3));
                int precision = Math.min(65, whole + random.nextInt(3) + scale);
                yield precision - scale < whole || precision == type.length() && scale == type.scale() ? null
                        : type.withDecimal(precision, scale);
            }
            case VARCHAR, VARBINARY -> type.length() >= 250 ? null : type.withLength(type.length() + 1 + random.nextInt(40));
            case TIME, DATETIME, TIMESTAMP -> type.length() == 6 ? null : type.withLength(type.length() + 1);
            case BIT -> type.length() == 64 ? null : type.withLength(Math.min(64, type.length() + 1 + random.nextInt(8)));
            default -> null;
        };
    }
}
