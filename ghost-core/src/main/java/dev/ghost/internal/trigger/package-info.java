/**
 * The original table's triggers: read, named for the new table, checked, and created on the ghost table under the
 * cut-over's lock (gh-ost's {@code --include-triggers}).
 */
package dev.ghost.internal.trigger;
