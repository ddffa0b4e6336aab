/**
 * Reads helix.toml and the environment once, records where each value came from, and decides the
 * Headroom routing.
 */
@NullMarked
package dev.helix.config;

import org.jspecify.annotations.NullMarked;
