package dev.helix.context;

/**
 * Lines of a stored source, as {@code GET /source} answers them ({@code {path, start, end, total,
 * text, stale}}): from the file as it is now, or from the store when the file is gone; {@code
 * stale} when the file changed since it was indexed.
 */
public record SourceLines(String path, int start, int end, int total, String text, boolean stale) {}
