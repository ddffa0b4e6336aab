package dev.helix.compress;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for local compression: any text, kind, budget and query gives a result within the
 * budget (counted again here, with cl100k) and no exception but a JSON target refused as too small.
 */
class CompressionFuzzTest {
  private static final Tokens TOKENS = new Tokens();
  private static final Compression COMPRESSION = Compression.local(TOKENS);
  private static final String[] PIECES = {
    "{",
    "}",
    "[",
    "]",
    "\"a\":",
    "1,",
    "null",
    "\n",
    "ERROR ",
    "at x.Y(Y.java:3)\n",
    "Caused by: ",
    "@@ -1,3 +1,4 @@\n",
    "+",
    "-",
    "diff --git a/x b/x\n",
    "class C {\n",
    "def f():\n",
    "    ",
    "The quick brown fox. ",
    "🙂",
    "日本",
    "\t",
    "\r\n",
    "  ",
    "2026-11-26T21:00:00Z INFO ",
    "\"\\u0000\""
  };

  @FuzzTest
  void anyTextKindBudgetAndQueryStaysWithinTheBudget(FuzzedDataProvider data) {
    Kind kind = data.pickValue(Kind.values());
    int target = data.consumeInt(1, 3000);
    String query = data.consumeBoolean() ? data.consumeString(30) : null;
    StringBuilder text = new StringBuilder();
    if (data.consumeBoolean()) {
      for (int n = data.consumeInt(0, 150); n > 0; n--) {
        text.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(12));
      }
    } else {
      text.append(data.consumeRemainingAsString());
    }

    CompressionResult result;
    try {
      result = COMPRESSION.compressLocally(text.toString(), target, kind, query);
    } catch (TargetTooSmallException e) {
      // Only JSON is refused, and only for a target below the one the refusal names.
      if (e.smallest() <= target) {
        throw new AssertionError(
            "refused target " + target + " naming " + e.smallest() + " as the smallest", e);
      }
      return;
    }

    // Plain checks: an assertion library's formatting would cost more than a small compression.
    int counted = TOKENS.count(result.text());
    if (counted > target || result.tokens() > target || result.omitted() < 0) {
      throw new AssertionError(
          kind
              + " text of "
              + text.length()
              + " chars to "
              + target
              + " tokens gave "
              + counted
              + " tokens (reported "
              + result.tokens()
              + "), "
              + result.omitted()
              + " omitted");
    }
  }
}
