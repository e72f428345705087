/** Evaluating throttle policies on a schedule and holding the copy while any of them throttles. */
package dev.ghost.internal.throttle;
