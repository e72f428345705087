/** Reading a table's definition: columns, unique keys, engine, row estimate; choosing the shared unique key. */
package dev.ghost.internal.table;
