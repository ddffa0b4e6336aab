package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in headless Chromium: loads cleanly, shows the state, and its buttons work. */
class DashboardIT {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File DRIVER = new File("/usr/bin/chromedriver");
  @TempDir Path dir;
  Fixture fixture;
  WebDriver driver;

  @BeforeEach
  void setUp() throws Exception {
    assumeThat(CHROMIUM.canExecute() && DRIVER.canExecute())
        .as("needs chromium and chromium-driver (apt-get install -y chromium chromium-driver)")
        .isTrue();
    fixture = new Fixture(dir);
    fixture.set("launcher.start_wait", "60");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=1280,860",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  /** How many lines an inline element takes (one box a line). */
  private long lineBoxes(String id) {
    return (Long)
        ((org.openqa.selenium.JavascriptExecutor) driver)
            .executeScript(
                "return document.getElementById(arguments[0]).getClientRects().length", id);
  }

  private void awaitText(String id, String expected) {
    new WebDriverWait(driver, Duration.ofSeconds(90))
        .until(ExpectedConditions.textToBe(By.id(id), expected));
  }

  @Test
  void theDashboardShowsTheStateAndItsStopAndStartButtonsWork() throws Exception {
    Launcher launcher = fixture.start(true);
    driver.get(launcher.dashboardUrl());
    awaitText("server-status", "running");
    long pid =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(fixture.get("/api/state").body())
            .path("server")
            .path("pid")
            .asLong();
    assertThat(text("server-pid")).isEqualTo(Long.toString(pid));
    assertThat(text("server-openai")).isEqualTo("http://127.0.0.1:" + fixture.serverPort + "/v1");
    assertThat(text("routing-decision")).isEqualTo("direct");
    assertThat(text("routing-reason")).isEqualTo("config_off");
    for (int width = 600; width <= 1280; width += 20) {
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 860));
      assertThat(lineBoxes("server-openai"))
          .as("the base URL on one line at width " + width)
          .isEqualTo(1);
    }
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 860));
    assertThat(text("headroom-status"))
        .as("disabled by default: off, not a red 'absent'")
        .isEqualTo("off");
    assertThat(driver.findElement(By.id("headroom-status")).getAttribute("class"))
        .doesNotContain("absent");
    assertThat(text("headroom-hint")).contains("not installed");
    assertThat(text("store-chunks")).as("the server has no /stats yet: shown as n/a").isNotEmpty();
    Path shot = Path.of("target/screenshots/dashboard-no-stats.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));

    driver.findElement(By.id("btn-stop")).click();
    awaitText("server-status", "stopped");
    assertThat(text("server-pid")).isEqualTo("–");
    assertThat(driver.findElement(By.id("btn-start")).isEnabled()).isTrue();
    assertThat(text("message")).contains("has stopped");
    assertThat(text("roots-empty")).isEqualTo("n/a: the server is not answering.");
    driver.findElement(By.id("question")).sendKeys("how are sessions expired?");
    driver.findElement(By.id("btn-ask")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("ask-status"), "HTTP 503"));
    assertThat(text("ask-status")).contains("the helix server is stopped").contains("press Start");

    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.elementToBeClickable(By.id("btn-start")));
    driver.findElement(By.id("btn-start")).click();
    awaitText("server-status", "running");
    assertThat(text("server-pid")).isNotEqualTo(Long.toString(pid)).isNotEqualTo("–");

    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.elementToBeClickable(By.id("btn-restart")));
    driver.findElement(By.id("btn-restart")).click();
    new WebDriverWait(driver, Duration.ofSeconds(90))
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("server-restarts"), "restarted by user"));
    assertThat(text("server-restarts")).startsWith("1 ");

    List<LogEntry> errors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .filter(e -> !e.getMessage().contains("/api/context - Failed to load resource"))
            .toList();
    assertThat(errors)
        .as("console errors (besides the 503 of the question asked while stopped)")
        .isEmpty();
  }

  @Test
  void anIngestedRootIsListedAndAQuestionShowsItsVerdictCitedLinesAndInjectedBlock()
      throws Exception {
    fixture.set(
        "store.embeddings",
        "false"); // lexical ranking alone: the verdict does not wait for vectors
    Path project = dir.resolve("billing");
    Files.createDirectories(project);
    Files.writeString(
        project.resolve("SessionReaper.java"),
        """
        package demo;

        /** Expires idle sessions after thirty minutes of inactivity. */
        final class SessionReaper {
          private static final int IDLE_MINUTES = 30;

          /** Removes every session that was idle for longer than thirty minutes. */
          void expireIdleSessions(SessionStore store) {
            store.removeIdleLongerThan(IDLE_MINUTES);
          }
        }
        """);
    Files.writeString(
        project.resolve("Invoice.java"),
        """
        package demo;

        /** An invoice: its lines, the tax rate and the total due. */
        record Invoice(java.util.List<Long> lines, double taxRate) {
          long totalDue() {
            return Math.round(lines.stream().mapToLong(Long::longValue).sum() * (1 + taxRate));
          }
        }
        """);
    Launcher launcher = fixture.start(true);
    driver.get(launcher.dashboardUrl());
    awaitText("server-status", "running");
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("roots-empty"), "helix ingest PATH"));

    HttpResponse<String> ingested =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fixture.serverPort + "/ingest"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"paths\": [" + Fixture.quote(project.toString()) + "]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(200);

    By row = By.cssSelector("#roots-body tr.root[data-root='billing']");
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.visibilityOfElementLocated(row));
    assertThat(driver.findElement(row).findElement(By.className("root-path")).getText())
        .isEqualTo(project.toString());
    // The server starts watching a new root a moment after the ingest answers: "(not watched)"
    // until then.
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(
            ExpectedConditions.textToBe(
                By.cssSelector("#roots-body tr.root[data-root='billing'] .root-state"), "synced"));
    assertThat(driver.findElement(row).findElement(By.className("root-files")).getText())
        .isEqualTo("2");
    assertThat(
            Integer.parseInt(
                driver.findElement(row).findElement(By.className("root-chunks")).getText()))
        .isPositive();
    assertThat(driver.findElement(row).findElement(By.className("root-sync")).getText())
        .endsWith("ago");
    assertThat(driver.findElement(row).findElement(By.className("root-pending")).getText())
        .isEqualTo("0");
    assertThat(driver.findElement(By.id("roots-empty")).isDisplayed()).isFalse();

    driver
        .findElement(By.id("question"))
        .sendKeys("how are idle sessions expired after thirty minutes?");
    driver.findElement(By.cssSelector("#ask-scope input[value='billing']")).click();
    driver.findElement(By.id("btn-ask")).click();
    awaitText("answer-verdict", "know");
    assertThat(text("answer-detail")).startsWith("confidence ");
    WebElement citation = driver.findElement(By.cssSelector("#answer-citations button.citation"));
    String cited = citation.getText();
    assertThat(cited)
        .startsWith(project.resolve("SessionReaper.java").toString())
        .containsPattern("lines \\d+–\\d+$");
    java.util.regex.Matcher range =
        java.util.regex.Pattern.compile("lines (\\d+)–(\\d+)$").matcher(cited);
    assertThat(range.find()).isTrue();
    int start = Integer.parseInt(range.group(1));
    int end = Integer.parseInt(range.group(2));
    assertThat(start).isLessThanOrEqualTo(8);
    assertThat(end).isGreaterThanOrEqualTo(8);

    citation.click();
    By lines = By.cssSelector("#answer-citations li pre.lines");
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.visibilityOfElementLocated(lines));
    String shown = driver.findElement(lines).getText();
    assertThat(shown)
        .as("the cited lines, numbered as in the file")
        .contains("8    void expireIdleSessions(SessionStore store) {");
    assertThat(shown.strip()).startsWith(start + "  ");
    assertThat(shown.lines()).hasSize(end - start + 1);
    assertThat(citation.getAttribute("aria-expanded")).isEqualTo("true");

    assertThat(text("answer-injection"))
        .startsWith("<<<helix-context")
        .contains("SessionReaper.java")
        .contains("expireIdleSessions");
    assertThat(text("answer-tokens")).matches("\\(\\d+ tokens\\)");
    ((org.openqa.selenium.JavascriptExecutor) driver)
        .executeScript("document.getElementById('ask-card').scrollIntoView()");
    Path shot = Path.of("target/screenshots/dashboard-question.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));

    citation.click();
    assertThat(driver.findElements(lines)).as("a second click closes the cited lines").isEmpty();

    driver.findElement(By.id("question")).clear();
    driver.findElement(By.id("btn-ask")).click();
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("ask-status"), "query must not be empty"));
    assertThat(text("ask-status")).startsWith("The question was refused: HTTP 400");
    assertThat(driver.findElement(By.id("answer")).isDisplayed()).isFalse();

    // An unknown root (a root removed since the page listed it, or a script's typo) passes the
    // server's 400 through.
    HttpResponse<String> unknown =
        fixture.ask("{\"query\": \"idle sessions\", \"roots\": [\"nope\"]}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(unknown.body())
                .path("message")
                .asText())
        .contains("'nope'")
        .contains("known roots: billing");

    List<LogEntry> errors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .filter(e -> !e.getMessage().contains("/api/context - Failed to load resource"))
            .toList();
    assertThat(errors).as("console errors (besides the refused question's 400)").isEmpty();
  }

  @Test
  void theServersStatsAreShownWithAChartOfRecentQueries() throws Exception {
    fixture.set("server.token", "\"stand-in-token\"");
    fixture.spawn(
        dev.helix.testing.ChildJvm.command(
            dev.helix.testing.StandInHelix.class,
            "--port",
            Integer.toString(fixture.serverPort),
            "--token",
            "stand-in-token"),
        fixture.env,
        "stand-in-helix.log");
    dev.helix.testing.ChildJvm.awaitListening(
        fixture.serverPort, Duration.ofSeconds(60), "the stand-in helix");
    Launcher launcher = fixture.start(true);
    driver.get(launcher.dashboardUrl());
    awaitText("store-chunks", "1234");
    assertThat(text("store-size")).isEqualTo("7.0 MiB");
    assertThat(text("know-rate")).isEqualTo("70 %");
    assertThat(text("latency")).endsWith(" ms");
    assertThat(driver.findElements(By.cssSelector("#chart rect"))).hasSize(20);
    assertThat(text("store-sources")).isEqualTo("56");
    assertThat(text("store-vectors")).isEqualTo("310 chunks waiting");
    assertThat(text("upstream-reachable")).isEqualTo("reachable");
    assertThat(text("server-owned")).contains("adopted");
    Path shot = Path.of("target/screenshots/dashboard.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }
}
