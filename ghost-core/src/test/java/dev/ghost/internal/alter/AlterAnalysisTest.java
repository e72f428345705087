package dev.ghost.internal.alter;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlterAnalysisTest {

    @Test
    void keepsOnlyTheClauses() {
        assertThat(AlterAnalysis.of("engine=innodb").clauses()).isEqualTo("engine=innodb");
        assertThat(AlterAnalysis.of("ALTER TABLE `sh op`.`t``x` ADD COLUMN c INT;").clauses())
                .isEqualTo("ADD COLUMN c INT");
        assertThat(AlterAnalysis.of("alter table t add column c int").clauses()).isEqualTo("add column c int");
        assertThat(AlterAnalysis.of("add column `alter table` int").clauses()).isEqualTo("add column `alter table` int");
    }

    @Test
    void recognisesTableRenamesButNotIndexOrColumnRenames() {
        assertThat(AlterAnalysis.of("rename as something_else").renamesTable()).isTrue();
        assertThat(AlterAnalysis.of("ADD COLUMN x INT, RENAME TO t2").renamesTable()).isTrue();
        assertThat(AlterAnalysis.of("RENAME t2").renamesTable()).isTrue();
        assertThat(AlterAnalysis.of("RENAME INDEX a TO b").renamesTable()).isFalse();
        assertThat(AlterAnalysis.of("RENAME KEY a TO b").renamesTable()).isFalse();
        assertThat(AlterAnalysis.of("ADD COLUMN `rename` INT COMMENT 'rename to x'").renamesTable()).isFalse();
    }

    @Test
    void tellsTheAutoIncrementTableOptionFromTheColumnAttribute() {
        assertThat(AlterAnalysis.of("ADD COLUMN x INT, AUTO_INCREMENT=50").setsAutoIncrement()).isTrue();
        assertThat(AlterAnalysis.of("auto_increment = 7").setsAutoIncrement()).isTrue();
        assertThat(AlterAnalysis.of("ENGINE=InnoDB AUTO_INCREMENT 7").setsAutoIncrement()).isTrue();
        assertThat(AlterAnalysis.of("MODIFY id BIGINT NOT NULL AUTO_INCREMENT").setsAutoIncrement()).isFalse();
        assertThat(AlterAnalysis.of("ADD COLUMN n INT AUTO_INCREMENT, ADD KEY (n)").setsAutoIncrement()).isFalse();
        assertThat(AlterAnalysis.of("ADD COLUMN c INT COMMENT 'AUTO_INCREMENT=5'").setsAutoIncrement()).isFalse();
    }

    @Test
    void findsColumnRenames() {
        assertThat(AlterAnalysis.of("change column c2 c3 int not null").renamedColumns())
                .isEqualTo(Map.of("c2", "c3"));
        assertThat(AlterAnalysis.of("CHANGE `a b` `c``d` INT, RENAME COLUMN x TO y").renamedColumns())
                .containsExactly(Map.entry("a b", "c`d"), Map.entry("x", "y"));
        assertThat(AlterAnalysis.of("change i I int, modify j bigint").renamedColumns()).isEmpty();
        assertThat(AlterAnalysis.of("add column c int default 0 comment 'change a b', add index (c)")
                .renamedColumns()).isEmpty();
    }

    @Test
    void findsDroppedColumnsButNotDroppedKeys() {
        assertThat(AlterAnalysis.of("drop column c1, add column c1 int not null default 47").droppedColumns())
                .containsExactly("c1");
        assertThat(AlterAnalysis.of("DROP `Mixed`, DROP IF EXISTS z").droppedColumns())
                .containsExactlyInAnyOrder("mixed", "z");
        assertThat(AlterAnalysis.of("drop primary key, drop index i, drop foreign key fk, drop check ck")
                .droppedColumns()).isEmpty();
    }

    @Test
    void commentsAndStringsDoNotConfuseIt() {
        AlterAnalysis analysis = AlterAnalysis.of("/* rename to x */ add column s varchar(9) default 'a,b', -- drop c\n"
                + " drop column d # change e f\n");
        assertThat(analysis.renamesTable()).isFalse();
        assertThat(analysis.renamedColumns()).isEmpty();
        assertThat(analysis.droppedColumns()).containsExactly("d");
        assertThatThrownBy(() -> AlterAnalysis.of("add column c int default 'oops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated");
    }
}
