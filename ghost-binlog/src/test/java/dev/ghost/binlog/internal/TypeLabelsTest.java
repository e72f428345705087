package dev.ghost.binlog.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypeLabelsTest {

    @Test
    void readsLabelsInOrderWithTheirCase() {
        assertThat(TypeLabels.parse("enum('a','B','c')")).containsExactly("a", "B", "c");
        assertThat(TypeLabels.parse("set('r','w','x')")).containsExactly("r", "w", "x");
        assertThat(TypeLabels.parse("ENUM('Upper')")).containsExactly("Upper");
    }

    @Test
    void undoesTheServersQuoting() {
        assertThat(TypeLabels.parse("enum('it''s','back\\\\slash','x,y','','(p)','a\\nb','nul\\0')"))
                .containsExactly("it's", "back\\slash", "x,y", "", "(p)", "a\nb", "nul\0");
        assertThat(TypeLabels.parse("enum('''','''''')")).containsExactly("'", "''");
    }

    @Test
    void keepsUnicodeLabels() {
        assertThat(TypeLabels.parse("enum('café','😀','中文')")).containsExactly("café", "😀", "中文");
    }

    @Test
    void rejectsOtherTypes() {
        assertThatThrownBy(() -> TypeLabels.parse("varchar(10)")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TypeLabels.parse("enum('a'")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TypeLabels.parse("enum('a' x)")).isInstanceOf(IllegalArgumentException.class);
    }
}
