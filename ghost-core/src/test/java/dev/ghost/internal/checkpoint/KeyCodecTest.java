package dev.ghost.internal.checkpoint;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyCodecTest {

    @Test
    void roundTripsEveryKindOfKeyValueExactly() {
        List<Object> key = Arrays.asList(new BigDecimal("18446744073709551615"), new BigDecimal("-12.500"),
                "a,b:c 🚀 ' \\", new byte[] {0, (byte) 0xff, ','}, null, "");
        String text = KeyCodec.encode(key).orElseThrow();

        assertThat(text).matches("[\\x20-\\x7e]+"); // ASCII only: stored in an ascii column
        List<Object> back = KeyCodec.decode(text);
        assertThat(back).hasSize(6);
        assertThat(back.get(0)).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(back.get(1)).isEqualTo(new BigDecimal("-12.500")); // scale kept: it is bound as written
        assertThat(back.get(2)).isEqualTo("a,b:c 🚀 ' \\");
        assertThat((byte[]) back.get(3)).containsExactly(0, 0xff, ',');
        assertThat(back.get(4)).isNull();
        assertThat(back.get(5)).isEqualTo("");
    }

    @Test
    void aValueOfAnUnknownTypeCannotBeStored() {
        assertThat(KeyCodec.encode(List.of(42L))).isEmpty();
        assertThatThrownBy(() -> KeyCodec.decode("x:1")).isInstanceOf(IllegalArgumentException.class);
    }
}
