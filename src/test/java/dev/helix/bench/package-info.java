/**
 * Bench harnesses run by scripts under bench/ (named *Bench, never run by the test suite): same-run
 * comparisons of helix's parts against the libraries that could replace them.
 */
@NullMarked
package dev.helix.bench;

import org.jspecify.annotations.NullMarked;
