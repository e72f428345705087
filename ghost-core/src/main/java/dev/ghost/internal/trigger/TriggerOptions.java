package dev.ghost.internal.trigger;

/**
 * gh-ost's trigger flags, validated by the builder.
 *
 * @param include      recreate the original's triggers on the new table ({@code --include-triggers}); off, a table
 *                     with triggers is refused
 * @param suffix       appended to each trigger's name ({@code --trigger-suffix}): trigger names are unique per schema,
 *                     and the old table keeps its triggers under their names
 * @param removeSuffix a name that already ends with the suffix loses it instead ({@code
 *                     --remove-trigger-suffix-if-exists}), so that migrations can alternate between two names
 */
public record TriggerOptions(boolean include, String suffix, boolean removeSuffix) {

    public static final TriggerOptions NONE = new TriggerOptions(false, "", false);

    /** The characters gh-ost allows in a suffix. */
    public static final String SUFFIX_PATTERN = "[0-9a-zA-Z_]+";

    public TriggerOptions {
        suffix = suffix == null ? "" : suffix;
    }

    /** The name the trigger {@code original} gets on the new table. */
    public String ghostName(String original) {
        if (removeSuffix && !suffix.isEmpty() && original.endsWith(suffix)) {
            return original.substring(0, original.length() - suffix.length());
        }
        return original + suffix;
    }
}
