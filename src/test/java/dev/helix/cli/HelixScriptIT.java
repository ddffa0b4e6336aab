package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./helix} entry script: finding a JDK, building once, and building safely in parallel.
 */
class HelixScriptIT {
  private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

  @TempDir Path tmp;

  private record Outcome(int code, String stdout, String stderr) {}

  private static Outcome run(Path script, Path cwd, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/bin/bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    builder.environment().putAll(env);
    Path out = Files.createTempFile("helix-out", ".txt");
    Path err = Files.createTempFile("helix-err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    try {
      assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("helix finished").isTrue();
      return new Outcome(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** A bin folder with the few tools the script uses, and no java. */
  private Path toolsWithoutJava() throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    for (String tool :
        List.of("bash", "sed", "dirname", "readlink", "ls", "sort", "cut", "head", "cat")) {
      for (String dir : List.of("/usr/bin", "/bin")) {
        Path source = Path.of(dir, tool);
        if (Files.isExecutable(source) && !Files.exists(bin.resolve(tool))) {
          Files.createSymbolicLink(bin.resolve(tool), source);
        }
      }
    }
    return bin;
  }

  /** A folder that looks like a JDK of the given major version (release file and bin/java). */
  private Path fakeJdk(String name, String version) throws IOException {
    Path home = Files.createDirectories(tmp.resolve("jdks").resolve(name));
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\necho fake java\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  @Test
  void withoutASuitableJdkItExitsTwoSayingWhatToInstall() throws Exception {
    Path old = fakeJdk("jdk-17", "17.0.9");
    Path bin = toolsWithoutJava();

    Outcome outcome =
        run(
            ROOT.resolve("helix"),
            tmp,
            Map.of(
                "PATH",
                bin.toString(),
                "JAVA_HOME",
                old.toString(),
                "HELIX_JDK_DIRS",
                tmp.resolve("jdks").toString()),
            "--version");

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.stdout()).isEmpty();
    assertThat(outcome.stderr())
        .contains("needs a Java 21+ JDK")
        .contains("install one")
        .contains("JAVA_HOME");
  }

  @Test
  void parallelFirstRunsBuildOnceAndBothAnswer() throws Exception {
    Path copy = tmp.resolve("checkout");
    copyTree(ROOT, copy);

    List<Process> processes = new ArrayList<>();
    List<Path> errs = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path out = tmp.resolve("out" + i);
      Path err = tmp.resolve("err" + i);
      outs.add(out);
      errs.add(err);
      processes.add(
          new ProcessBuilder("/bin/bash", copy.resolve("helix").toString(), "--version")
              .directory(copy.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start());
    }
    int builds = 0;
    String builder = "";
    for (int i = 0; i < 2; i++) {
      assertThat(processes.get(i).waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(processes.get(i).exitValue()).as(Files.readString(errs.get(i))).isZero();
      assertThat(Files.readString(outs.get(i))).startsWith("helix ");
      if (Files.readString(errs.get(i)).contains("building the application")) {
        builds++;
        builder = Files.readString(errs.get(i));
      }
    }
    assertThat(builds).isEqualTo(1);
    // A first build takes a minute or two: it says what it is doing, in its own words only.
    assertThat(builder)
        .contains(
            "helix: build: compiling helix",
            "helix: build: packaging",
            "helix: build: training the start-up cache");
    assertThat(builder.lines()).allSatisfy(line -> assertThat(line).startsWith("helix: "));
    // The application is kept once: Maven's output is moved into place, not copied.
    try (Stream<Path> files = Files.walk(copy.resolve(".helix"))) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("lucene-core-")))
          .hasSize(1);
    }

    Outcome again = run(copy.resolve("helix"), copy, Map.of(), "--version");
    assertThat(again.stderr()).doesNotContain("building");
    assertThat(again.stdout()).startsWith("helix ");

    // A rebuild keeps the libraries that did not change once: its own are links to the earlier
    // build's.
    Path version = copy.resolve("src/main/java/dev/helix/cli/VersionProvider.java");
    Files.writeString(version, Files.readString(version) + "// changed\n");
    Outcome rebuilt = run(copy.resolve("helix"), copy, Map.of(), "--version");
    assertThat(rebuilt.stderr()).contains("building the application");
    try (Stream<Path> files = Files.walk(copy.resolve(".helix"))) {
      List<Path> lucene =
          files.filter(f -> f.getFileName().toString().startsWith("lucene-core-")).toList();
      assertThat(lucene).hasSize(2);
      assertThat(Files.getAttribute(lucene.getFirst(), "unix:nlink"))
          .as("one file, linked from both builds")
          .isEqualTo(2);
    }

    // A command that opens the store: stderr carries helix's words only, with no JVM or Lucene
    // notice.
    Files.writeString(
        tmp.resolve("notes.md"), "# Notes\n\nThe cache evicts the least recently used entry.\n");
    Files.writeString(
        tmp.resolve("helix.toml"),
        "[server]\nport = "
            + dev.helix.testing.ChildJvm.freePort()
            + "\n[store]\nembeddings = false\n");
    Map<String, String> home = Map.of("HELIX_HOME", tmp.resolve("home").toString());
    Outcome ingest = run(copy.resolve("helix"), tmp, home, "ingest", "notes.md");
    assertThat(ingest.code()).as(ingest.stderr()).isZero();
    assertThat(ingest.stderr().lines()).allSatisfy(line -> assertThat(line).startsWith("helix: "));
    Outcome query =
        run(copy.resolve("helix"), tmp, home, "query", "which entry does the cache evict");
    assertThat(query.stdout()).contains("verdict: know");
    assertThat(query.stderr()).isEmpty();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    for (String part : List.of("pom.xml", "mvnw", "helix", ".mvn", "src/main")) {
      Path source = from.resolve(part);
      try (Stream<Path> walk = Files.walk(source)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.createDirectories(target.getParent());
            Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
  }
}
