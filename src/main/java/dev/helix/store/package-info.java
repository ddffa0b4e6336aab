/**
 * Keeps chunks of the user's files searchable: helix's own narrow store interface, its embedded
 * Lucene default and the team store on OpenSearch (docs/opensearch.md).
 */
@NullMarked
package dev.helix.store;

import org.jspecify.annotations.NullMarked;
