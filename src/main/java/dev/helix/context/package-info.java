/**
 * Answers "what do I know about X?": retrieval over the store, the budgeted window, the verdict.
 */
@NullMarked
package dev.helix.context;

import org.jspecify.annotations.NullMarked;
