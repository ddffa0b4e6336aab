/**
 * The launcher daemon: supervises the helix server and Headroom, serves the dashboard and the
 * control API.
 */
@NullMarked
package dev.helix.launcher;

import org.jspecify.annotations.NullMarked;
