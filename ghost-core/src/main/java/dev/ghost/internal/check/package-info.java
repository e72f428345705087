/** Pre-flight checks of the server and the table, run before anything is created. */
package dev.ghost.internal.check;
