package dev.ghost;

/** The root of every exception ghost throws. Unchecked. */
public class GhostException extends RuntimeException {

    public GhostException(String message) {
        super(message);
    }

    public GhostException(String message, Throwable cause) {
        super(message, cause);
    }
}
