package dev.ghost.internal.copy;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkSizerTest {

    private static final long MS = 1_000_000L;

    /** A chunk of {@code rows} rows on a server that copies {@code rowsPerSecond}. */
    private static void copy(ChunkSizer sizer, double rowsPerSecond) {
        int rows = sizer.rows();
        sizer.chunkCopied(rows, (long) (rows / rowsPerSecond * 1e9));
    }

    @Test
    void startsAtGhOstsDefaultAndGrowsAtMostTwofoldPerChunk() {
        ChunkSizer sizer = ChunkSizer.adaptive(Duration.ofMillis(500));
        assertThat(sizer.rows()).isEqualTo(1000);
        copy(sizer, 200_000); // 5 ms for 1000 rows: far below the target
        assertThat(sizer.rows()).isEqualTo(2000);
        copy(sizer, 200_000);
        assertThat(sizer.rows()).isEqualTo(4000);
    }

    @Test
    void settlesWhereAChunkTakesTheTargetTime() {
        ChunkSizer sizer = ChunkSizer.adaptive(Duration.ofMillis(100));
        for (int i = 0; i < 30; i++) {
            copy(sizer, 50_000);
        }
        assertThat(sizer.rows()).isEqualTo(5000);
    }

    @Test
    void neverExceedsTheCapNorFallsBelowTheFloor() {
        ChunkSizer fast = ChunkSizer.adaptive(Duration.ofSeconds(2));
        for (int i = 0; i < 30; i++) {
            copy(fast, 10_000_000);
        }
        assertThat(fast.rows()).isEqualTo(ChunkSizer.MAX_ROWS);
        ChunkSizer slow = ChunkSizer.adaptive(Duration.ofMillis(10));
        for (int i = 0; i < 30; i++) {
            copy(slow, 100);
        }
        assertThat(slow.rows()).isEqualTo(ChunkSizer.MIN_ROWS);
    }

    @Test
    void oneSlowChunkShrinksTheSizeSmoothly() {
        ChunkSizer sizer = ChunkSizer.adaptive(Duration.ofMillis(100));
        for (int i = 0; i < 30; i++) {
            copy(sizer, 100_000);
        }
        assertThat(sizer.rows()).isEqualTo(10_000);
        sizer.chunkCopied(10_000, 2000 * MS); // waited on a lock for two seconds
        assertThat(sizer.rows()).isBetween(6_000, 8_000);
        for (int i = 0; i < 30; i++) {
            copy(sizer, 100_000);
        }
        assertThat(sizer.rows()).isEqualTo(10_000);
    }

    @Test
    void aSlowerServerShrinksItAtMostFourfoldPerChunk() {
        ChunkSizer sizer = ChunkSizer.adaptive(Duration.ofMillis(100));
        for (int i = 0; i < 30; i++) {
            copy(sizer, 1_000_000);
        }
        assertThat(sizer.rows()).isEqualTo(100_000);
        sizer.chunkCopied(100_000, 100_000 * MS);
        assertThat(sizer.rows()).isEqualTo(70_030);
        for (int i = 0; i < 60; i++) {
            copy(sizer, 1_000);
        }
        assertThat(sizer.rows()).isEqualTo(100);
    }

    @Test
    void chunksWithoutRowsSayNothing() {
        ChunkSizer sizer = ChunkSizer.adaptive(Duration.ofMillis(100));
        sizer.chunkCopied(0, 50 * MS);
        assertThat(sizer.rows()).isEqualTo(1000);
    }

    @Test
    void anExplicitSizeStaysFixed() {
        ChunkSizer fixed = ChunkSizer.fixed(5000);
        copy(fixed, 1_000_000);
        assertThat(fixed.rows()).isEqualTo(5000);
        assertThat(fixed.adaptive()).isFalse();

        ChunkSizer adaptive = ChunkSizer.adaptive(Duration.ofMillis(500));
        assertThat(adaptive.adaptive()).isTrue();
        adaptive.fix(300); // the operator's chunk-size= command
        copy(adaptive, 1_000_000);
        assertThat(adaptive.rows()).isEqualTo(300);
        assertThat(adaptive.adaptive()).isFalse();
    }

    @Test
    void refusesSizesOutOfBoundsAndANonPositiveTarget() {
        assertThatThrownBy(() -> ChunkSizer.fixed(9)).hasMessageContaining("9 is not in 10..100000");
        assertThatThrownBy(() -> ChunkSizer.adaptive(Duration.ZERO)).hasMessageContaining("must be positive");
    }
}
