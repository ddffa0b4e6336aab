/**
 * The OpenAI-compatible chat proxy: injects helix context into chat requests and relays the
 * upstream's answer.
 */
@NullMarked
package dev.helix.proxy;

import org.jspecify.annotations.NullMarked;
