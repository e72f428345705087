/**
 * Service-provider interfaces: the four pluggable seams of a migration and the small values they exchange.
 *
 * <ul>
 *   <li>{@link dev.ghost.spi.RowCopyStrategy} copies the existing rows into the ghost table;</li>
 *   <li>{@link dev.ghost.spi.EventSource} streams row changes of the original table (the binlog);</li>
 *   <li>{@link dev.ghost.spi.ThrottlePolicy} says when the copy must pause;</li>
 *   <li>{@link dev.ghost.spi.CutoverStrategy} swaps the tables.</li>
 * </ul>
 * Every interface has a built-in default; an {@code EventSource} is found through {@link java.util.ServiceLoader}
 * ({@link dev.ghost.spi.EventSourceProvider}) so that ghost-core does not depend on a binlog client.
 */
package dev.ghost.spi;
