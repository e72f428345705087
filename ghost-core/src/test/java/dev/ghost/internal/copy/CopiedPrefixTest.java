package dev.ghost.internal.copy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopiedPrefixTest {

    @Test
    void reportsOnlyTheEndOfAnUnbrokenRunOfCopiedChunks() {
        List<List<Object>> reported = new ArrayList<>();
        CopiedPrefix prefix = new CopiedPrefix(reported::add);
        long first = prefix.planned(new Object[] {10});
        long second = prefix.planned(new Object[] {20});
        long third = prefix.planned(new Object[] {30});

        prefix.copied(second); // finished before the first: nothing is proven yet
        assertThat(reported).isEmpty();
        prefix.copied(first);
        assertThat(reported).containsExactly(List.of(20));
        prefix.copied(third);
        assertThat(reported).containsExactly(List.of(20), List.of(30));
        assertThatThrownBy(() -> prefix.copied(third)).isInstanceOf(IllegalStateException.class);
    }
}
