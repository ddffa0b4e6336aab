/** Keeps chunks of the user's files searchable: helix's own narrow store interface and its Lucene default. */
@NullMarked
package dev.helix.store;

import org.jspecify.annotations.NullMarked;
