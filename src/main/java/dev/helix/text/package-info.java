/**
 * Text helpers every room shares: cuts that never split a character, and the one configured JSON
 * mapper.
 */
@NullMarked
package dev.helix.text;

import org.jspecify.annotations.NullMarked;
