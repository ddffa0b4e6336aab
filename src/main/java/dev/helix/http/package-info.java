/**
 * HTTP plumbing both daemons share (the local-security guard, the body check, OpenAI-shaped JSON
 * errors) and the one client helix uses to call its own daemons ({@link
 * dev.helix.http.LocalClient}).
 */
@NullMarked
package dev.helix.http;

import org.jspecify.annotations.NullMarked;
