/** The built-in row copy: ranges of the shared unique key, copied with INSERT IGNORE ... SELECT. */
package dev.ghost.internal.copy;
