/** Checkpoints of a running migration in its {@code _<table>_ghk} table, and reading the last one back to resume. */
package dev.ghost.internal.checkpoint;
