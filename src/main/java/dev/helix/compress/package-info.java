/**
 * Fits text into a token budget without losing the lines that matter, locally or through Headroom.
 */
@NullMarked
package dev.helix.compress;

import org.jspecify.annotations.NullMarked;
