package dev.helix.context;

import dev.helix.compress.Tokens;
import dev.helix.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Assembles the context window: chunks in relevance order, each under a header naming its source
 * and 1-based lines, no chunk twice and no overlapping lines of one source, within {@code
 * maxTokens} (cl100k_base) and {@code maxChunks}. A chunk that does not fit whole is cut at line
 * boundaries around its best-matching lines.
 */
final class Window {
  /** A piece that would get fewer tokens than this is not worth its header. */
  static final int MIN_PIECE_TOKENS = 48;

  /** One placed piece: the chunk, the lines actually shown, and whether it was cut. */
  record Placed(Ranking.Candidate candidate, int startLine, int endLine, String text) {}

  record Assembled(String text, List<Placed> placed) {}

  /**
   * The window cites at least this many files when the budget allows: the best chunk of each of the
   * first five files comes before any second chunk. An answer often sits in the second or third
   * file, and one file's five chunks crowded it out (69 of 340 answers in an outside test cited two
   * files or fewer although the budget had room).
   */
  static final int DISTINCT_FILES = 5;

  private Window() {}

  /**
   * The order in which ranked chunks are placed: the best chunk of each of the first {@link
   * #DISTINCT_FILES} files, then the rest in rank order; the first file's second chunk comes right
   * after its first when that file clearly leads (first in every ranker, {@code fused == best}).
   */
  static List<Ranking.Candidate> order(List<Ranking.Candidate> ranked, double best) {
    List<Ranking.Candidate> first = new ArrayList<>();
    List<Ranking.Candidate> rest = new ArrayList<>();
    Set<String> files = new HashSet<>();
    for (Ranking.Candidate c : ranked) {
      boolean newFile = files.size() < DISTINCT_FILES && files.add(c.chunk().source());
      (newFile ? first : rest).add(c);
    }
    if (!first.isEmpty()
        && first.getFirst().fused() >= best * 0.999
        && !rest.isEmpty()
        && rest.getFirst().chunk().source().equals(first.getFirst().chunk().source())) {
      first.add(1, rest.removeFirst());
    }
    first.addAll(rest);
    return first;
  }

  static Assembled assemble(
      List<Ranking.Candidate> ranked,
      Set<String> queryTerms,
      Store store,
      Tokens tokens,
      int maxTokens,
      int maxChunks) {
    StringBuilder out = new StringBuilder();
    List<Placed> placed = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int used = 0;
    for (Ranking.Candidate c : ranked) {
      if (placed.size() >= maxChunks) {
        break;
      }
      Store.Chunk chunk = c.chunk();
      if (!ids.add(chunk.id()) || overlaps(placed, chunk)) {
        continue;
      }
      String header = header(placed.size() + 1, chunk.source(), chunk.startLine(), chunk.endLine());
      String block = header + chunk.text() + "\n\n";
      int cost = tokens.count(block);
      if (used + cost <= maxTokens) {
        out.append(block);
        used += cost;
        placed.add(new Placed(c, chunk.startLine(), chunk.endLine(), chunk.text()));
        continue;
      }
      int room = maxTokens - used;
      if (room < MIN_PIECE_TOKENS) {
        break;
      }
      Placed cut = cut(c, queryTerms, store, tokens, room, placed.size() + 1);
      if (cut != null) {
        String b =
            header(placed.size() + 1, chunk.source(), cut.startLine(), cut.endLine())
                + cut.text()
                + "\n\n";
        out.append(b);
        used += tokens.count(b);
        placed.add(cut);
      }
    }
    return new Assembled(out.toString().stripTrailing(), placed);
  }

  static String header(int n, String source, int start, int end) {
    return "[" + n + "] " + source + ":" + start + "-" + end + "\n";
  }

  private static boolean overlaps(List<Placed> placed, Store.Chunk c) {
    for (Placed p : placed) {
      if (p.candidate().chunk().source().equals(c.source())
          && p.startLine() <= c.endLine()
          && c.startLine() <= p.endLine()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The best run of whole lines that fits {@code room} tokens with its header: start at the line
   * with the most query terms and grow outwards, one line at a time, toward the side with more
   * matches (ties: downwards, where a declaration's body is).
   */
  static @org.jspecify.annotations.Nullable Placed cut(
      Ranking.Candidate c, Set<String> queryTerms, Store store, Tokens tokens, int room, int n) {
    Store.Chunk chunk = c.chunk();
    List<String> lines = Chunker.lines(chunk.text());
    if (lines.isEmpty()) {
      return null;
    }
    int[] hits = new int[lines.size()];
    int best = 0;
    for (int i = 0; i < lines.size(); i++) {
      for (String t : store.terms(lines.get(i))) {
        if (queryTerms.contains(t)) {
          hits[i]++;
        }
      }
      if (hits[i] > hits[best]) {
        best = i;
      }
    }
    int lo = best;
    int hi = best;
    if (!fits(lines, lo, hi, chunk, tokens, room, n)) {
      return null;
    }
    while (true) {
      boolean canUp = lo > 0 && fits(lines, lo - 1, hi, chunk, tokens, room, n);
      boolean canDown = hi < lines.size() - 1 && fits(lines, lo, hi + 1, chunk, tokens, room, n);
      if (!canUp && !canDown) {
        break;
      }
      if (canDown && (!canUp || hits[hi + 1] >= hits[lo - 1])) {
        hi++;
      } else {
        lo--;
      }
    }
    int start = chunk.startLine() + lo;
    int end = chunk.startLine() + hi;
    return new Placed(c, start, end, String.join("\n", lines.subList(lo, hi + 1)));
  }

  private static boolean fits(
      List<String> lines, int lo, int hi, Store.Chunk chunk, Tokens tokens, int room, int n) {
    String text =
        header(n, chunk.source(), chunk.startLine() + lo, chunk.startLine() + hi)
            + String.join("\n", lines.subList(lo, hi + 1))
            + "\n\n";
    return tokens.count(text) <= room;
  }
}
