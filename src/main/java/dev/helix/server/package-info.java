/** The helix server daemon: HTTP routes over the store, the chat proxy, health and metrics. */
@NullMarked
package dev.helix.server;

import org.jspecify.annotations.NullMarked;
