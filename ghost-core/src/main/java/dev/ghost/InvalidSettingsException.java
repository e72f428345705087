package dev.ghost;

import java.util.List;

/** {@link OnlineSchemaChange.Builder#build()} found settings that cannot work. Lists every problem at once. */
public class InvalidSettingsException extends GhostException {

    /** Every problem found, one per setting. */
    private final List<String> problems;

    /**
     * Creates the exception for the problems {@link OnlineSchemaChange.Builder#build()} found.
     *
     * @param problems one text per problem, each naming the setting, e.g. {@code chunkSize: 5 is not in 10..100000}
     */
    public InvalidSettingsException(List<String> problems) {
        super("invalid settings: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found, each naming its setting.
     *
     * @return the problems, unmodifiable, in the order the settings were checked
     */
    public List<String> problems() {
        return problems;
    }
}
