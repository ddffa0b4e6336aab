package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.helix.compress.ErrorSignals.Strength;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorSignalsTest {
  @Test
  void errorWordsInsideNamesAreNoSignal() {
    List<String> lines =
        List.of(
            "2025-06-24 14:36:38 status half-installed liberror-perl:all 0.17029-2",
            "2026-05-09 07:29:12 install libgpg-error-dev:amd64 <none> 1.46-1",
            "Setting up libgpg-error0:amd64 (1.46-1) ...",
            "Unpacking liberror-prone-java (2.18.0-1) ...",
            "Preparing to unpack .../067-libgpg-error-dev_1.46-1_amd64.deb ...",
            "[INFO] --- failsafe:3.5.4:integration-test (default) @ helix ---",
            "copied target/test-failed.log and error.txt to the archive",
            "retrying a non-fatal hiccup",
            "log.error(\"could not read\")",
            "Tests run: 412, Failures: 0, Errors: 0, Skipped: 3",
            "finished with 0 errors and no failures",
            "compiled FooException.java and ErrorProne checks");
    assertEach(lines, Strength.NONE);
  }

  @Test
  void exceptionLinesAreThrown() {
    List<String> lines =
        List.of(
            "org.opensearch.index.IndexNotFoundException: no such index [catalog-v2]",
            "java.lang.NullPointerException",
            "Caused by: java.net.SocketTimeoutException: connect timed out",
            "Exception in thread \"main\" java.lang.IllegalStateException: boom",
            "ValueError: invalid literal for int() with base 10: 'x'",
            "org.opentest4j.AssertionFailedError: expected: <5> but was: <4>",
            "Error: Cannot find module 'left-pad'");
    assertEach(lines, Strength.THROWN);
    assertThat(ErrorSignals.isExceptionLine("IndexNotFoundException.java:12 compiled")).isFalse();
    assertThat(ErrorSignals.isExceptionLine("IllegalStateException thrown while closing"))
        .isFalse();
  }

  @Test
  void structuralSignalsAreStated() {
    List<String> lines =
        List.of(
            "Uncaught TypeError: x is not a function",
            "Traceback (most recent call last):",
            "src/main.c:12:5: error: expected ';' before '}' token",
            "error[E0425]: cannot find value `x` in this scope",
            "src/a.ts(3,5): error TS2345: Argument of type 'string' is not assignable",
            "fatal: not a git repository (or any of the parent directories): .git",
            "npm error code E404",
            "npm ERR! code ENOENT",
            "19 error 404 Not Found - GET https://registry.npmjs.org/nope",
            "E: Unable to locate package nope",
            "dpkg: error processing package foo (--configure):",
            "time=2026-01-01T00:00:00Z level=error msg=\"lost quorum\"",
            "{\"level\":\"error\",\"msg\":\"lost quorum\"}",
            "[error] upstream timed out",
            "--- FAIL: TestInvoice (0.00s)",
            "FAILED tests/test_invoice.py::test_total - assert 4 == 5",
            "InvoiceTest > addsTheLines() FAILED",
            "Tests run: 3, Failures: 1, Errors: 1, Skipped: 0",
            "panic: runtime error: index out of range [3] with length 3",
            "Segmentation fault (core dumped)",
            "Failed to open connection to \"system\" message bus");
    assertEach(lines, Strength.STATED);
  }

  @Test
  void anErrorWordInPassingIsOnlyMentioned() {
    List<String> lines =
        List.of(
            "retrying after the connection failed twice",
            "auto-closeable resource Fixture has a member method close() that could throw InterruptedException",
            "an unhandled exception ends the worker",
            "8 verbose stack HttpErrorGeneral: at the failure of the request");
    assertEach(lines, Strength.MENTIONED);
  }

  @Test
  void everyLineWithASignalHasAHint() {
    List<String> lines =
        List.of("E: x", "npm ERR! x", "Error: x", "FAIL x", "x failed", "core dumped", "PANIC x");
    for (String line : lines) {
      assertThat(ErrorSignals.of(line)).as(line).isNotEqualTo(Strength.NONE);
      assertThat(ErrorSignals.hasHint(line)).as(line).isTrue();
    }
    assertThat(ErrorSignals.hasHint("Setting up libc6 (2.36-9) ...")).isFalse();
  }

  private static void assertEach(List<String> lines, Strength expected) {
    for (String line : lines) {
      assertThat(ErrorSignals.of(line)).as(line).isEqualTo(expected);
    }
  }
}
