package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogCompressionTest {
  private static final Tokens TOKENS = new Tokens();
  private final Compression compression = Compression.local(TOKENS);

  private static List<String> buildLog(int lines, long seed) {
    Random random = new Random(seed);
    List<String> log = new ArrayList<>();
    String[] words = {
      "compiling", "module", "resolved", "artifact", "copying", "resource", "scanning", "task"
    };
    for (int i = 0; i < lines; i++) {
      log.add(
          "[INFO] "
              + words[random.nextInt(words.length)]
              + " "
              + words[random.nextInt(words.length)]
              + "-"
              + Integer.toHexString(random.nextInt())
              + " in "
              + random.nextInt(900)
              + " ms");
    }
    return log;
  }

  @Test
  void errorLineAndItsStackTraceSurviveInALongBuildLog() {
    List<String> log = buildLog(3000, 1);
    log.add(
        1700,
        "[ERROR] Failed to execute goal compile: DataSourceConfig.java:[42,7] cannot find symbol");
    log.add(1701, "java.lang.IllegalStateException: pool exhausted");
    log.add(1702, "\tat com.acme.db.Pool.borrow(Pool.java:88)");
    log.add(1703, "\tat com.acme.db.Repository.load(Repository.java:17)");
    log.add(1704, "Caused by: java.net.SocketTimeoutException: connect timed out");
    log.add(
        1705, "\tat java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:546)");
    String text = String.join("\n", log) + "\n";

    CompressionResult result = compression.compressLocally(text, 300, Kind.LOG, null);

    assertThat(result.tokens()).isLessThanOrEqualTo(300).isEqualTo(TOKENS.count(result.text()));
    assertThat(result.text())
        .contains(
            "[ERROR] Failed to execute goal compile: DataSourceConfig.java:[42,7] cannot find symbol")
        .contains("java.lang.IllegalStateException: pool exhausted")
        .contains("\tat com.acme.db.Pool.borrow(Pool.java:88)")
        .contains("Caused by: java.net.SocketTimeoutException: connect timed out")
        .contains("lines omitted");
    assertThat(result.kind()).isEqualTo(Kind.LOG);
    assertThat(result.omitted())
        .isEqualTo(Notes.omitted(result.text(), "line"))
        .isGreaterThan(2900);
  }

  /**
   * Issue 20: in a dpkg and apt log, the packages liberror-perl and libgpg-error-dev hold the word
   * "error" in their names; ranked as errors, they crowded out the one real stack trace.
   */
  @Test
  void aStackTraceInADpkgLogOutranksPackageNamesThatHoldTheWordError() {
    String log = Excerpts.read("dpkg-with-trace.log");

    CompressionResult result = compression.compressLocally(log, 200, Kind.AUTO, null);

    assertThat(result.kind()).isEqualTo(Kind.LOG);
    assertThat(result.text())
        .contains("org.opensearch.index.IndexNotFoundException: no such index [catalog-v2]")
        .contains(
            "\tat org.opensearch.cluster.metadata.IndexNameExpressionResolver.concreteIndices("
                + "IndexNameExpressionResolver.java:214)")
        .contains(
            "\tat org.opensearch.cluster.metadata.IndexNameExpressionResolver.concreteIndexNames(");
    List<String> lines = Lines.split(log);
    for (int i = 0; i < lines.size(); i++) {
      String line = Lines.strip(lines.get(i));
      if (line.contains("error-") || line.contains("error_")) {
        assertThat(LogCompressor.priority(line, i, lines.size(), false, 0, Query.NONE))
            .as(line)
            .isLessThan(Signals.WARNING);
      }
    }
  }

  /**
   * Issue 20, found by the real-input measurement: in a failing Maven build at 400 tokens, the
   * ERROR-level advice ("Re-run Maven using the -X switch") crowded out every exception line.
   */
  @Test
  void exceptionLinesAndTheirFirstFramesOutrankMavensErrorLevelAdvice() {
    String log = Excerpts.read("maven-failing-test.log");

    String out = compression.compressLocally(log, 400, Kind.AUTO, null).text();

    assertThat(out)
        .contains(
            "java.lang.IllegalStateException: cannot total invoice line '4.50'\n"
                + "\tat demo.Invoice.total(Invoice.java:10)\n")
        .contains(
            "Caused by: java.lang.NumberFormatException: For input string: \"4.50\"\n"
                + "\tat java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)\n")
        .contains(
            "org.opentest4j.AssertionFailedError: expected: <5> but was: <4>\n"
                + "\tat org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:569)\n")
        .contains("[ERROR] Tests run: 3, Failures: 1, Errors: 1, Skipped: 0");
  }

  @Test
  void theTopFramesOfAnErrorRankWithItAndAWarningsFramesDoNot() {
    List<String> lines =
        List.of(
            "[WARNING] retrying the upload\n",
            "\tat com.acme.Upload.send(Upload.java:12)\n",
            "java.lang.IllegalStateException: pool exhausted\n",
            "\tat com.acme.db.Pool.borrow(Pool.java:88)\n",
            "\tat com.acme.db.Repository.load(Repository.java:17)\n",
            "\tat com.acme.Main.main(Main.java:5)\n",
            "[ERROR] the import failed\n");

    List<Unit> units = new LogCompressor(new Packer(TOKENS)).units(lines, Query.NONE);

    double errorLevel = units.get(6).priority();
    assertThat(units.get(1).priority()).as("a warning's frame").isLessThan(errorLevel);
    assertThat(units.get(2).priority()).as("the exception line").isGreaterThan(errorLevel);
    assertThat(units.get(3).priority()).as("its first frame").isGreaterThan(errorLevel);
    assertThat(units.get(4).priority()).as("its second frame").isGreaterThan(errorLevel);
    assertThat(units.get(5).priority()).as("its third frame").isLessThan(errorLevel);
  }

  /** Issue 20: with the exception's name as the query, its line was kept and none of its frames. */
  @Test
  void theQueriedExceptionKeepsItsFirstFrames() {
    String log = Excerpts.read("dpkg-with-trace.log");

    String out = compression.compressLocally(log, 150, Kind.AUTO, "IndexNotFoundException").text();

    assertThat(out)
        .contains("org.opensearch.index.IndexNotFoundException: no such index [catalog-v2]")
        .contains(
            "IndexNameExpressionResolver.concreteIndices(IndexNameExpressionResolver.java:214)");
  }

  /**
   * Found by the needle benchmark: javac warnings that name an exception crowded a FATAL line out.
   */
  @Test
  void aWarningThatNamesAnExceptionStaysAWarningAndFatalOutranksError() {
    List<String> log = buildLog(200, 3);
    for (int i = 0; i < 40; i++) {
      log.add(
          10 + i,
          "[WARNING] /src/Fixture"
              + i
              + ".java:["
              + i
              + ",7] auto-closeable resource Fixture"
              + i
              + " has a member method close() that could throw InterruptedException");
    }
    log.add(150, "[ERROR] FATAL checksum mismatch on shard 7");
    log.add(190, "ERROR replica lost quorum");
    String text = String.join("\n", log);

    String out = compression.compressLocally(text, 40, Kind.LOG, null).text();

    assertThat(out)
        .contains("FATAL checksum mismatch on shard 7")
        .doesNotContain("InterruptedException");
    double fatal =
        LogCompressor.priority(
            "[ERROR] FATAL checksum mismatch on shard 7", 150, 242, false, 0, Query.NONE);
    double error =
        LogCompressor.priority("ERROR replica lost quorum", 190, 242, false, 0, Query.NONE);
    double warning = LogCompressor.priority(log.get(10), 10, 242, false, 0, Query.NONE);
    assertThat(fatal).isGreaterThan(error);
    assertThat(error).isGreaterThan(warning);
  }

  @Test
  void warningsAndSummaryLinesComeBeforeOrdinaryLines() {
    List<String> log = buildLog(2000, 2);
    log.add(500, "[WARNING] Using platform encoding (UTF-8 actually) to copy filtered resources");
    log.add(1500, "[INFO] Tests run: 412, Failures: 0, Errors: 0, Skipped: 3");
    String text = String.join("\n", log);

    String out = compression.compressLocally(text, 120, Kind.LOG, null).text();

    assertThat(out)
        .contains("[WARNING] Using platform encoding")
        .contains("Tests run: 412, Failures: 0");
    assertThat(TOKENS.count(out)).isLessThanOrEqualTo(120);
  }

  @Test
  void repeatedLinesAreFoldedIntoOneWithTheirCount() {
    StringBuilder text = new StringBuilder("build started\n");
    text.append("Progress (1): 4.1/8.2 kB\n".repeat(500));
    for (int i = 0; i < 300; i++) {
      text.append("Downloaded chunk ").append(i).append(" of 300\n");
    }
    text.append("build finished\n");

    String out = compression.compressLocally(text.toString(), 100, Kind.LOG, null).text();

    assertThat(out)
        .contains("Progress (1): 4.1/8.2 kB  [×500]")
        .contains("Downloaded chunk 0 of 300  [+299 similar lines]")
        .contains("build started")
        .contains("build finished");
  }

  @Test
  void omissionNotesAddUpToTheLinesThatAreMissing() {
    List<String> log = buildLog(1200, 3);
    String text = String.join("\n", log) + "\n";

    String out = compression.compressLocally(text, 400, Kind.LOG, null).text();

    int keptLines =
        (int) Lines.split(Notes.withoutNotes(out)).stream().filter(l -> !l.isBlank()).count();
    assertThat(Notes.omitted(out, "line") + keptLines).isEqualTo(1200);
  }

  @Test
  void theLinesMatchingTheQueryComeFirstEvenBeforeErrors() {
    List<String> log = buildLog(1000, 4);
    for (int i = 0; i < 200; i++) {
      log.add(10 + i * 4, "[ERROR] flaky network error number " + i);
    }
    log.add(777, "[INFO] uploading invoice-batch-20250101 to the billing bucket");
    String text = String.join("\n", log);

    String out = compression.compressLocally(text, 200, Kind.LOG, "invoice batch").text();

    assertThat(out).contains("uploading invoice-batch-20250101 to the billing bucket");
    assertThat(TOKENS.count(out)).isLessThanOrEqualTo(200);
  }

  @Test
  void aHugeErrorLineIsCutToFitRatherThanDropped() {
    String text = "start\n" + "[ERROR] " + "stack overflow in recursion ".repeat(2000) + "\nend\n";

    String out = compression.compressLocally(text, 100, Kind.LOG, null).text();

    assertThat(out).contains("[ERROR] stack overflow in recursion").contains("[…]");
    assertThat(TOKENS.count(out)).isLessThanOrEqualTo(100);
  }
}
