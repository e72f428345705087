/**
 * The gh-ost-compatible command line: {@link dev.ghost.examples.cli.GhostCli} parses gh-ost's flags with Go's rules
 * ({@link dev.ghost.examples.cli.GoFlags}), decides per flag whether ghost uses, ignores or refuses it
 * ({@code FlagTable}), resolves them into immutable options ({@code CliOptions}) and runs the migration through the
 * public {@link dev.ghost.OnlineSchemaChange} API, printing gh-ost's status lines.
 */
package dev.ghost.examples.cli;
