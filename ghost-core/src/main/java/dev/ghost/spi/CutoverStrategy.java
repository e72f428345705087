package dev.ghost.spi;

/**
 * Swaps the ghost table in place of the original one. On success the original is at {@link CutoverContext#old()}
 * and the ghost at {@link CutoverContext#original()}. On failure it throws, and the original table must be left
 * exactly as it was: never missing, never half-renamed. The engine retries failed attempts.
 */
public interface CutoverStrategy {

    String name();

    CutoverOutcome cutOver(CutoverContext context) throws Exception;
}
