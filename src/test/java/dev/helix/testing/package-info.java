/**
 * Stand-ins for programs that cannot run here (Headroom, an LLM upstream), started as separate
 * processes.
 */
@NullMarked
package dev.helix.testing;

import org.jspecify.annotations.NullMarked;
