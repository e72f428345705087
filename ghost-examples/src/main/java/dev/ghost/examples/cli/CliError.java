package dev.ghost.examples.cli;

import java.util.List;

/** The command line cannot run as given; each message becomes one {@code FATAL} line and the exit code is 1. */
final class CliError extends Exception {

    private final List<String> messages;

    CliError(String message) {
        this(List.of(message));
    }

    CliError(List<String> messages) {
        super(String.join("; ", messages));
        this.messages = List.copyOf(messages);
    }

    List<String> messages() {
        return messages;
    }
}
