/** Listener callbacks: state changes, progress and cut-over, each as a small immutable record. */
package dev.ghost.event;
