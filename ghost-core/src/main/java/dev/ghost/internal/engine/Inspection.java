package dev.ghost.internal.engine;

import dev.ghost.internal.alter.AlterAnalysis;
import dev.ghost.internal.table.InspectedTable;

/**
 * What the inspection found, before anything was created.
 *
 * @param original    the table to migrate, as the preflight checks read it
 * @param alter       the user's ALTER, read and checked
 * @param rowEstimate the rows the copy expects, for progress and ETA
 */
record Inspection(InspectedTable original, AlterAnalysis alter, long rowEstimate) {
}
