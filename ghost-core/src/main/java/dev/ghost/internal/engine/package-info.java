/** The orchestration of one migration: phases, threads, live settings, progress. */
package dev.ghost.internal.engine;
