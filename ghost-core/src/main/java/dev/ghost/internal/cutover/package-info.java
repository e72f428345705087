/** Cut-over strategies: swapping the ghost table in place of the original without ever leaving it missing. */
package dev.ghost.internal.cutover;
