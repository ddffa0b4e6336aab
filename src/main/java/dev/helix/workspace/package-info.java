/**
 * Live workspaces (docs/workspaces.md): a running server watches every root with the platform's
 * native file events and brings the store in line with each save, in batches, on one thread.
 */
@NullMarked
package dev.helix.workspace;

import org.jspecify.annotations.NullMarked;
