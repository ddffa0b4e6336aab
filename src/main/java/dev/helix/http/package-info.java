/** HTTP plumbing both daemons share: the local-security guard, the body check, and OpenAI-shaped JSON errors. */
@NullMarked
package dev.helix.http;

import org.jspecify.annotations.NullMarked;
