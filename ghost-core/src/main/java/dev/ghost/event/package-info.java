/** Listener callbacks: state changes, progress, cut-over and interactive commands, each as a small immutable record. */
package dev.ghost.event;
