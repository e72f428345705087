/**
 * The kit's parts, not an API: table metadata, the value generator, the writers, the fill, the row comparison and
 * the cut-over hold.
 */
package dev.ghost.testkit.internal;
