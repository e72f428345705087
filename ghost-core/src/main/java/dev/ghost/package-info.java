/**
 * ghost: triggerless online schema change for MySQL and MariaDB.
 *
 * <p>The front door is {@link dev.ghost.OnlineSchemaChange#builder()}. Everything under {@code dev.ghost.internal}
 * is an implementation detail and may change without notice.
 */
package dev.ghost;
