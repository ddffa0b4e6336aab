/**
 * Serves helix's context tools to coding agents over MCP on stdio, each tool one HTTP call to the
 * server.
 */
@NullMarked
package dev.helix.mcp;

import org.jspecify.annotations.NullMarked;
