package dev.ghost.internal.checkpoint;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Writes a copy's key (its columns' values as the copy reads them: exact numbers, bytes, or the server's text) as
 * ASCII text and reads it back exactly. Each value is tagged with its type, and bytes and text travel as hex, so that
 * no value, whatever its characters or collation, is changed by the round trip through the checkpoint table.
 */
public final class KeyCodec {

    private static final HexFormat HEX = HexFormat.of();

    private KeyCodec() {
    }

    /** The key as text, or empty when a value is of a type the codec does not know (the copy then starts over). */
    public static Optional<String> encode(List<Object> key) {
        List<String> parts = new ArrayList<>();
        for (Object value : key) {
            if (value == null) {
                parts.add("-");
            } else if (value instanceof BigDecimal number) {
                parts.add("n:" + number.toPlainString());
            } else if (value instanceof byte[] bytes) {
                parts.add("b:" + HEX.formatHex(bytes));
            } else if (value instanceof String text) {
                parts.add("t:" + HEX.formatHex(text.getBytes(StandardCharsets.UTF_8)));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(String.join(",", parts));
    }

    /** The key {@link #encode} wrote. */
    public static List<Object> decode(String text) {
        List<Object> key = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            if (part.equals("-")) {
                key.add(null);
            } else if (part.startsWith("n:")) {
                key.add(new BigDecimal(part.substring(2)));
            } else if (part.startsWith("b:")) {
                key.add(HEX.parseHex(part.substring(2)));
            } else if (part.startsWith("t:")) {
                key.add(new String(HEX.parseHex(part.substring(2)), StandardCharsets.UTF_8));
            } else {
                throw new IllegalArgumentException("not a key written by a checkpoint: " + text);
            }
        }
        return key;
    }
}
