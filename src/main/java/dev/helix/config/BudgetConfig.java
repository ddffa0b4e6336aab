package dev.helix.config;

/**
 * The {@code [budget]} section: the size of an injected context window, and how a {@code sparse}
 * miss is injected into a chat: its cited locations only (the default), or the whole window.
 */
public record BudgetConfig(int contextTokens, int maxChunks, boolean sparseWindow) {}
