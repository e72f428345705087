package dev.ghost.examples.fuzz;

import dev.ghost.examples.fuzz.ColumnType.Kind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Random tables over the whole type matrix, with a random unique key of keyable types: often composite, often led by
 * an ENUM, SET or BIT column (whose sort order is not their text's), often strings in case-insensitive collations.
 */
final class TableGenerator {

    static final String[] LATIN1_COLLATIONS = {"latin1_swedish_ci", "latin1_bin", "latin1_general_ci"};
    static final String[] UTF8MB4_COLLATIONS = {"utf8mb4_bin", "utf8mb4_general_ci", "utf8mb4_unicode_ci"};
    /** Labels distinct under every collation used here, listed so that declaration order is not alphabetical. */
    private static final List<String> ENUM_LABELS_UTF8MB4 = List.of("zeta", "alpha", "Mid", "beta", "ü", "😀", "x y", "");
    private static final List<String> ENUM_LABELS_LATIN1 = List.of("zeta", "alpha", "Mid", "beta", "ü", "é", "x y", "");
    private static final List<String> SET_LABELS_UTF8MB4 = List.of("c", "a", "B", "dd", "é", "😀", "x y");
    private static final List<String> SET_LABELS_LATIN1 = List.of("c", "a", "B", "dd", "é", "ÿ", "x y");

    private static final Kind[] ALL = Kind.values();
    private static final Kind[] KEY_LEADERS = {Kind.ENUM, Kind.SET, Kind.BIT};

    private TableGenerator() {
    }

    static FuzzTable generate(String name, Random random, int rows) {
        List<FuzzColumn> key = new ArrayList<>();
        int keySize = random.nextInt(100) < 50 ? 1 : random.nextInt(100) < 70 ? 2 : 3;
        for (int i = 0; i < keySize; i++) {
            Kind kind = i == 0 && random.nextInt(100) < 35 ? KEY_LEADERS[random.nextInt(KEY_LEADERS.length)]
                    : keyableKind(random);
            key.add(new FuzzColumn("k" + (i + 1), type(kind, random, true), false, comment(random)));
        }
        // A key with too few values would hold only a handful of rows: make room with an integer column.
        while (room(key, rows) < 3L * rows) {
            ColumnType integer = ColumnType.of(random.nextBoolean() ? Kind.INT : Kind.BIGINT)
                    .withUnsigned(random.nextBoolean());
            FuzzColumn column = new FuzzColumn("k" + (key.size() + 1), integer, false, null);
            if (key.size() < 3) {
                key.add(column);
            } else {
                key.set(2, new FuzzColumn("k3", integer, false, null));
            }
        }
        List<FuzzColumn> columns = new ArrayList<>(key);
        int others = 2 + random.nextInt(8);
        for (int i = 0; i < others; i++) {
            Kind kind = ALL[random.nextInt(ALL.length)];
            columns.add(new FuzzColumn("c" + (i + 1), type(kind, random, false), random.nextBoolean(),
                    comment(random)));
        }
        Collections.shuffle(columns, random);
        List<List<String>> indexes = new ArrayList<>();
        int indexCount = random.nextInt(100) < 30 ? 1 + random.nextInt(2) : 0;
        for (int i = 0; i < indexCount; i++) {
            List<String> indexed = new ArrayList<>();
            int width = 1 + random.nextInt(2);
            for (int j = 0; j < 10 && indexed.size() < width; j++) {
                FuzzColumn candidate = columns.get(random.nextInt(columns.size()));
                if (candidate.type().kind() != Kind.JSON && !indexed.contains(candidate.name())) {
                    indexed.add(candidate.name());
                }
            }
            if (!indexed.isEmpty()) {
                indexes.add(indexed);
            }
        }
        return new FuzzTable(name, columns, key.stream().map(FuzzColumn::name).toList(), random.nextInt(100) < 80,
                indexes, random.nextBoolean() ? "utf8mb4" : "latin1");
    }

    private static long room(List<FuzzColumn> key, int rows) {
        long room = 1;
        for (FuzzColumn column : key) {
            room = Math.min(1_000_000_000L, room * column.type().denseKeyValues(rows));
        }
        return room;
    }

    private static Kind keyableKind(Random random) {
        while (true) {
            Kind kind = ALL[random.nextInt(ALL.length)];
            if (kind.keyable()) {
                return kind;
            }
        }
    }

    private static String comment(Random random) {
        return random.nextInt(100) < 15 ? "comment " + random.nextInt(100) : null;
    }

    /** A random type of the kind; key columns get shorter strings so that a 3-column key stays under 3072 bytes. */
    static ColumnType type(Kind kind, Random random, boolean forKey) {
        ColumnType base = ColumnType.of(kind);
        return switch (kind) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT -> base.withUnsigned(random.nextBoolean());
            case DECIMAL -> {
                int precision = 1 + random.nextInt(65);
                yield base.withDecimal(precision, random.nextInt(Math.min(precision, 30) + 1))
                        .withUnsigned(random.nextInt(4) == 0);
            }
            case BIT -> base.withLength(1 + random.nextInt(64));
            case TIME, DATETIME, TIMESTAMP -> base.withLength(random.nextInt(3) == 0 ? 0 : random.nextInt(7));
            case CHAR -> charset(base.withLength(1 + random.nextInt(forKey ? 20 : 30)), random);
            case VARCHAR -> charset(base.withLength(1 + random.nextInt(forKey ? 40 : 120)), random);
            case TEXT -> charset(base, random);
            case BINARY -> base.withLength(1 + random.nextInt(16));
            case VARBINARY -> base.withLength(1 + random.nextInt(forKey ? 32 : 64));
            case ENUM, SET -> {
                ColumnType typed = charset(base, random);
                boolean utf8mb4 = "utf8mb4".equals(typed.charset());
                List<String> pool = new ArrayList<>(kind == Kind.ENUM
                        ? (utf8mb4 ? ENUM_LABELS_UTF8MB4 : ENUM_LABELS_LATIN1)
                        : (utf8mb4 ? SET_LABELS_UTF8MB4 : SET_LABELS_LATIN1));
                Collections.shuffle(pool, random);
                yield typed.withLabels(pool.subList(0, 2 + random.nextInt(pool.size() - 1)));
            }
            default -> base;
        };
    }

    static ColumnType charset(ColumnType type, Random random) {
        boolean utf8mb4 = random.nextBoolean();
        String[] collations = utf8mb4 ? UTF8MB4_COLLATIONS : LATIN1_COLLATIONS;
        return type.withCharset(utf8mb4 ? "utf8mb4" : "latin1", collations[random.nextInt(collations.length)]);
    }
}
