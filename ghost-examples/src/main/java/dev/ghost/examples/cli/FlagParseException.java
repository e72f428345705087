package dev.ghost.examples.cli;

/** The command line breaks Go's flag rules; the message is Go's own text for the same mistake. */
public final class FlagParseException extends Exception {

    private final boolean helpRequested;

    public FlagParseException(String message) {
        this(message, false);
    }

    private FlagParseException(String message, boolean helpRequested) {
        super(message);
        this.helpRequested = helpRequested;
    }

    /** {@code -h} (or {@code -help} when not defined): Go prints the usage and exits 0, not 2. */
    static FlagParseException forHelp() {
        return new FlagParseException("help requested", true);
    }

    public boolean helpRequested() {
        return helpRequested;
    }
}
