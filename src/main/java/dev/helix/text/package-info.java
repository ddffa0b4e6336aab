/** Text helpers every room shares: cuts that never split a character. */
@NullMarked
package dev.helix.text;

import org.jspecify.annotations.NullMarked;
