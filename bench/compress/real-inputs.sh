#!/usr/bin/env bash
# Real inputs that nobody wrote for helix's tests, made on this machine (a Debian VM with the JDK,
# npm and git), into bench/compress/.data/real/ (not committed). RealInputs.java measures them; see
# RESULTS.md, "Real inputs", for the needle rule and the figures.
#   bench/compress/real-inputs.sh           make the inputs that are missing, then measure
#   FRESH=1 bench/compress/real-inputs.sh   make them all again first
# What each one is:
#   log-dpkg.log                 /var/log/dpkg.log as it is
#   log-apt-term.log             /var/log/apt/term.log as it is
#   log-maven-failing-test.log   ./mvnw -o test of a throwaway project with two failing JUnit tests
#   log-npm-install-404.txt      what `npm install` of a package that does not exist prints
#   log-npm-debug.log            the debug log npm wrote for that install (~/.npm/_logs)
#   log-dpkg-with-trace.log      the issue's case: dpkg.log, the test log's first stack trace
#                                spliced in the middle, then term.log (nothing in it is written here)
#   json-npm-view-react.json     npm view react --json
#   json-npm-view-express.json   npm view express --json
#   diff-git-log-p.diff          git log -p of this repository up to a fixed commit
# Progress on stderr; the measurement's markdown on stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/compress"
DATA="$HERE/.data"
REAL="$DATA/real"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
# The git history is cut at a fixed commit, so the diff is the same on every run.
GIT_COMMIT=3b69237
say() { echo "real-inputs: $*" >&2; }

[[ -n "${FRESH:-}" ]] && rm -rf "$REAL"
mkdir -p "$REAL"
cd "$ROOT"

if [[ ! -s "$REAL/log-dpkg.log" ]]; then
  cp /var/log/dpkg.log "$REAL/log-dpkg.log"
fi
if [[ ! -s "$REAL/log-apt-term.log" ]]; then
  # Readable by root and the adm group only.
  cat /var/log/apt/term.log > "$REAL/log-apt-term.log" \
    || { say "cannot read /var/log/apt/term.log (run as root or in group adm)"; rm -f "$REAL/log-apt-term.log"; }
fi

if [[ ! -s "$REAL/log-maven-failing-test.log" ]]; then
  say "building a throwaway Maven project with two failing tests (offline)..."
  project="$(mktemp -d)"
  trap 'rm -rf "$project"' EXIT
  mkdir -p "$project/src/main/java/demo" "$project/src/test/java/demo"
  # The versions are this project's, so an offline build finds them in ~/.m2.
  cat > "$project/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>demo</groupId>
  <artifactId>invoice</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.release>21</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>org.junit</groupId><artifactId>junit-bom</artifactId><version>6.1.3</version>
        <type>pom</type><scope>import</scope></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
      <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version>
        <configuration><trimStackTrace>false</trimStackTrace></configuration></plugin>
    </plugins>
  </build>
</project>
POM
  cat > "$project/src/main/java/demo/Invoice.java" <<'JAVA'
package demo;

public final class Invoice {
  public static int total(String... amounts) {
    int sum = 0;
    for (String amount : amounts) {
      try {
        sum += Integer.parseInt(amount);
      } catch (NumberFormatException e) {
        throw new IllegalStateException("cannot total invoice line '" + amount + "'", e);
      }
    }
    return sum;
  }
}
JAVA
  cat > "$project/src/test/java/demo/InvoiceTest.java" <<'JAVA'
package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InvoiceTest {
  @Test
  void addsTheLines() {
    assertEquals(5, Invoice.total("2", "2"));
  }

  @Test
  void readsAmountsWithCents() {
    assertEquals(450, Invoice.total("4.50"));
  }

  @Test
  void emptyInvoiceIsZero() {
    assertEquals(0, Invoice.total());
  }
}
JAVA
  ./mvnw -o -B -ntp -f "$project/pom.xml" test > "$REAL/log-maven-failing-test.log" 2>&1 || true
  grep -q "Tests run:" "$REAL/log-maven-failing-test.log" \
    || { say "the Maven build did not run the tests (offline, dependencies missing?); see $REAL/log-maven-failing-test.log"; exit 1; }
fi

if [[ ! -s "$REAL/log-npm-install-404.txt" ]] && command -v npm >/dev/null; then
  say "npm install of a package that does not exist (one registry look-up, answered 404)..."
  dir="$(mktemp -d)"
  logs="$dir/logs"
  # A log folder of its own, so the debug log is the one this install wrote.
  (cd "$dir" && npm install --no-audit --no-fund --logs-dir="$logs" helix-bench-no-such-package-4c1e \
    > "$REAL/log-npm-install-404.txt" 2>&1 || true)
  debug="$(ls "$logs"/*-debug-0.log 2>/dev/null | head -n1 || true)"
  if [[ -n "$debug" ]]; then cp "$debug" "$REAL/log-npm-debug.log"; fi
  rm -rf "$dir"
fi

if [[ ! -s "$REAL/log-dpkg-with-trace.log" && -s "$REAL/log-dpkg.log" && -s "$REAL/log-apt-term.log" ]]; then
  # The first stack trace of the test log: from its first exception line to the last frame after it.
  trace="$(awk '
    !started && /^[a-z][A-Za-z0-9_.]*\.[A-Z][A-Za-z0-9_]*(Exception|Error)(: |$)/ { started = 1 }
    started && (/^[a-z][A-Za-z0-9_.]*(Exception|Error)/ || /^\t/ || /^Caused by: /) { print; next }
    started { exit }' "$REAL/log-maven-failing-test.log")"
  lines="$(wc -l < "$REAL/log-dpkg.log")"
  { head -n $((lines / 2)) "$REAL/log-dpkg.log"; printf '%s\n' "$trace";
    tail -n +$((lines / 2 + 1)) "$REAL/log-dpkg.log"; cat "$REAL/log-apt-term.log"; } > "$REAL/log-dpkg-with-trace.log"
fi

for pkg in react express; do
  out="$REAL/json-npm-view-$pkg.json"
  if [[ ! -s "$out" ]] && command -v npm >/dev/null; then
    say "npm view $pkg --json..."
    npm view "$pkg" --json > "$out" 2>/dev/null || rm -f "$out"
  fi
done

if [[ ! -s "$REAL/diff-git-log-p.diff" ]]; then
  git -C "$ROOT" log -p "$GIT_COMMIT" > "$REAL/diff-git-log-p.diff"
fi

say "building (compile + runtime class path)..."
./mvnw -o -q -Dhelix.build.dir="$DATA/build" compile dependency:build-classpath \
  -Dmdep.outputFile="$DATA/classpath.txt" >&2
CP="$DATA/build/classes:$(cat "$DATA/classpath.txt")"
exec "$JAVA_HOME/bin/java" -Xlog:disable -cp "$CP" "$HERE/RealInputs.java" "$REAL"
