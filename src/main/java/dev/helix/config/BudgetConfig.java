package dev.helix.config;

/** The {@code [budget]} section: the size of one injected context window. */
public record BudgetConfig(int contextTokens, int maxChunks) {}
