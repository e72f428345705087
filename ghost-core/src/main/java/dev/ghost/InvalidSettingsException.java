package dev.ghost;

import java.util.List;

/** {@link OnlineSchemaChange.Builder#build()} found settings that cannot work. Lists every problem at once. */
public class InvalidSettingsException extends GhostException {

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("invalid settings: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
