/**
 * The {@code helix} command line: parses arguments, wires the parts, maps outcomes to exit codes.
 */
@NullMarked
package dev.helix.cli;

import org.jspecify.annotations.NullMarked;
