/** The kit's own tests, in a package of their own so that they use only its public API, as a user's tests do. */
package dev.ghost.testkit.usage;
