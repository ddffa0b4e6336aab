package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
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
        .as("needs chromium and chromium-driver (apt-get install -y chromium chromium-driver)").isTrue();
    fixture = new Fixture(dir);
    fixture.set("launcher.start_wait", "60");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--window-size=1280,860", "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
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
    return (Long) ((org.openqa.selenium.JavascriptExecutor) driver)
        .executeScript("return document.getElementById(arguments[0]).getClientRects().length", id);
  }

  private void awaitText(String id, String expected) {
    new WebDriverWait(driver, Duration.ofSeconds(90)).until(ExpectedConditions.textToBe(By.id(id), expected));
  }

  @Test
  void theDashboardShowsTheStateAndItsStopAndStartButtonsWork() throws Exception {
    Launcher launcher = fixture.start(true);
    driver.get(launcher.dashboardUrl());
    awaitText("server-status", "running");
    long pid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fixture.get("/api/state").body())
        .path("server").path("pid").asLong();
    assertThat(text("server-pid")).isEqualTo(Long.toString(pid));
    assertThat(text("server-openai")).isEqualTo("http://127.0.0.1:" + fixture.serverPort + "/v1");
    assertThat(text("routing-decision")).isEqualTo("direct");
    assertThat(text("routing-reason")).isEqualTo("config_off");
    for (int width = 600; width <= 1280; width += 20) {
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 860));
      assertThat(lineBoxes("server-openai")).as("the base URL on one line at width " + width).isEqualTo(1);
    }
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 860));
    assertThat(text("headroom-status")).as("disabled by default: off, not a red 'absent'").isEqualTo("off");
    assertThat(driver.findElement(By.id("headroom-status")).getAttribute("class")).doesNotContain("absent");
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

    new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(By.id("btn-start")));
    driver.findElement(By.id("btn-start")).click();
    awaitText("server-status", "running");
    assertThat(text("server-pid")).isNotEqualTo(Long.toString(pid)).isNotEqualTo("–");

    new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(By.id("btn-restart")));
    driver.findElement(By.id("btn-restart")).click();
    new WebDriverWait(driver, Duration.ofSeconds(90)).until(ExpectedConditions.textToBePresentInElementLocated(
        By.id("server-restarts"), "restarted by user"));
    assertThat(text("server-restarts")).startsWith("1 ");

    List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    assertThat(errors).as("console errors").isEmpty();
  }

  @Test
  void theServersStatsAreShownWithAChartOfRecentQueries() throws Exception {
    fixture.set("server.token", "\"stand-in-token\"");
    fixture.spawn(dev.helix.testing.ChildJvm.command(dev.helix.testing.StandInHelix.class, "--port",
        Integer.toString(fixture.serverPort), "--token", "stand-in-token"), fixture.env, "stand-in-helix.log");
    dev.helix.testing.ChildJvm.awaitListening(fixture.serverPort, Duration.ofSeconds(60), "the stand-in helix");
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
