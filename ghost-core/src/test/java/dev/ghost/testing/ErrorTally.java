package dev.ghost.testing;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Errors a write load met, by the server's error code, each with its count and the first message seen, so that a test
 * that expects none of a kind can say which ones it met.
 */
public final class ErrorTally {

    private final Map<Integer, AtomicLong> countByCode = new ConcurrentHashMap<>();
    private final Map<Integer, String> firstMessageByCode = new ConcurrentHashMap<>();

    public void count(SQLException e) {
        countByCode.computeIfAbsent(e.getErrorCode(), code -> new AtomicLong()).incrementAndGet();
        firstMessageByCode.putIfAbsent(e.getErrorCode(), String.valueOf(e.getMessage()));
    }

    /** All errors counted. */
    public long total() {
        return countByCode.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Error code to {@code "<count>x <first message>"}, in code order. */
    public Map<Integer, String> byCode() {
        Map<Integer, String> byCode = new TreeMap<>();
        countByCode.forEach((code, count) -> byCode.put(code, count.get() + "x " + firstMessageByCode.get(code)));
        return byCode;
    }
}
