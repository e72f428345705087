package dev.ghost.examples.fuzz;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The generators are pure: a seed always makes the same case, and every case keeps the rules the IT relies on. */
class FuzzGeneratorsTest {

    @Test
    void aSeedAlwaysMakesTheSameCase() {
        FuzzCase first = FuzzCase.generate(42);
        FuzzCase second = FuzzCase.generate(42);
        assertThat(second.table().createStatement()).isEqualTo(first.table().createStatement());
        assertThat(second.alter()).isEqualTo(first.alter());
        assertThat(second.initialRows()).isEqualTo(first.initialRows());
        assertThat(FuzzCase.generate(43).table().createStatement()).isNotEqualTo(first.table().createStatement());
    }

    @Test
    void keysUseKeyableNotNullColumnsAndHaveRoomForTheRows() {
        LongStream.range(0, 500).mapToObj(FuzzCase::generate).forEach(fuzzCase -> {
            FuzzTable table = fuzzCase.table();
            assertThat(table.keyColumns()).hasSizeBetween(1, 3);
            long room = 1;
            for (FuzzColumn column : table.keyColumnList()) {
                assertThat(column.nullable()).isFalse();
                assertThat(column.type().kind().keyable()).as(column.definition()).isTrue();
                room = Math.min(1_000_000_000L, room * column.type().denseKeyValues(fuzzCase.rows()));
            }
            assertThat(room).as(fuzzCase.summary()).isGreaterThanOrEqualTo(3L * fuzzCase.rows());
            assertThat(fuzzCase.chunkSize()).isBetween(20, 50);
        });
    }

    @Test
    void theMatrixIsCoveredAcrossSeeds() {
        List<FuzzCase> cases = LongStream.range(0, 300).mapToObj(FuzzCase::generate).toList();
        for (ColumnType.Kind kind : ColumnType.Kind.values()) {
            assertThat(cases).as("some table has a " + kind + " column").anyMatch(c -> c.table().columns().stream()
                    .anyMatch(col -> col.type().kind() == kind));
        }
        for (ColumnType.Kind leader : List.of(ColumnType.Kind.ENUM, ColumnType.Kind.SET, ColumnType.Kind.BIT)) {
            assertThat(cases).as(leader + " leads a composite key").anyMatch(c -> c.table().keyColumns().size() > 1
                    && c.table().keyColumnList().get(0).type().kind() == leader);
        }
        assertThat(cases).anyMatch(c -> !c.table().primaryKey());
        for (AlterGrammar.Change change : AlterGrammar.Change.values()) {
            assertThat(cases).as(change.name()).anyMatch(c -> c.alter().changes().contains(change));
        }
        assertThat(cases).anyMatch(c -> c.alter().changes().size() > 2);
    }

    @Test
    void noAlterTouchesAColumnTwice() {
        LongStream.range(0, 500).mapToObj(FuzzCase::generate).forEach(fuzzCase -> {
            String alter = fuzzCase.alter().sql();
            for (FuzzColumn column : fuzzCase.table().columns()) {
                String quoted = Sql.quote(column.name());
                int modified = count(alter, "MODIFY " + quoted + " ") + count(alter, "DROP COLUMN " + quoted);
                assertThat(modified).as(alter).isLessThanOrEqualTo(1);
                if (alter.contains("DROP COLUMN " + quoted)) {
                    assertThat(fuzzCase.table().isKey(column.name())).isFalse();
                    assertThat(count(alter, quoted)).as("a dropped column is named once: " + alter).isEqualTo(1);
                }
            }
        });
    }

    @Test
    void widenedTypesHoldTheOldValues() {
        Random random = new Random(1);
        ColumnType decimal = ColumnType.of(ColumnType.Kind.DECIMAL).withDecimal(10, 4);
        for (int i = 0; i < 100; i++) {
            ColumnType wider = AlterGrammar.widened(decimal, random);
            if (wider != null) {
                assertThat(wider.length() - wider.scale()).isGreaterThanOrEqualTo(6);
                assertThat(wider.scale()).isGreaterThanOrEqualTo(4);
            }
            ColumnType integer = AlterGrammar.widened(ColumnType.of(ColumnType.Kind.INT).withUnsigned(true), random);
            assertThat(integer.kind()).isEqualTo(ColumnType.Kind.BIGINT);
        }
        assertThat(AlterGrammar.widened(ColumnType.of(ColumnType.Kind.BIGINT), random)).isNull();
    }

    @Test
    void literalsEscapeQuotesBackslashesAndNul() {
        assertThat(Sql.string("a'b\\c\0")).isEqualTo("'a''b\\\\c\\0'");
    }

    @Test
    void comparatorNamesMissingUnexpectedAndChangedRows() {
        List<String> columns = List.of("k", "v");
        List<List<String>> expected = List.of(List.of("1", "a"), List.of("2", "b"), List.of("3", "c"));
        List<List<String>> actual = List.of(List.of("1", "a"), List.of("2", "x"), List.of("4", "d"));
        ContentComparator.Differences differences = ContentComparator.compare(columns, List.of(0), expected, actual, 10);
        assertThat(differences.count()).isEqualTo(3);
        assertThat(differences.first()).containsExactly("row {k=2} differs: v: expected b, was x",
                "missing row {k=3, v=c}", "unexpected row {k=4, v=d}");
        assertThat(ContentComparator.compare(columns, List.of(0), expected, expected, 10).none()).isTrue();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
