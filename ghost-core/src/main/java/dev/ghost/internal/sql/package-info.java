/** Opening prepared sessions to a server, and small SQL text helpers shared by the other packages. */
package dev.ghost.internal.sql;
