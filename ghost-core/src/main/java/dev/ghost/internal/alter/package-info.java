/** Understanding the user's ALTER: a tokenizer, table renames, column renames and drops, the column mapping. */
package dev.ghost.internal.alter;
