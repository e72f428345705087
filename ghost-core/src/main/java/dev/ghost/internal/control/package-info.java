/** Live control: postponing the cut-over, gh-ost's interactive commands on a unix socket, status lines. */
package dev.ghost.internal.control;
