#!/usr/bin/env bash
# Fuzzes every @FuzzTest target of helix with Jazzer, one target per JVM (Jazzer fuzzes one target
# at a time), and prints executions and crashes per target.
#
#   bench/fuzz/run.sh [seconds-per-target] [target-filter]
#
# seconds-per-target defaults to 300 (5 minutes); target-filter (a substring, e.g. LocalGuard)
# picks some of the targets.
#
# The generated corpus grows in .cifuzz-corpus/ (not committed); a crash is written by Jazzer to
# src/test/resources/<package>/<Class>Inputs/<method>/crash-*, where `./helix test` then replays it
# as a regression test until it is fixed. Exit status: 0 when no target crashed, 1 otherwise.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER_TARGET="${1:-300}"
FILTER="${2:-}"
[[ "$SECONDS_PER_TARGET" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: seconds-per-target must be a positive integer, but was '$SECONDS_PER_TARGET'" >&2; exit 2; }

TARGETS=(
  "dev.helix.config.ConfigLoaderFuzzTest#anyTomlBytesGiveAConfigOrErrorsNamingFileLineAndColumn"
  "dev.helix.config.ConfigLoaderFuzzTest#anyEnvironmentGivesAConfigOrAnErrorNamingTheVariable"
  "dev.helix.config.SwitchesFuzzTest#anyValueIsUnsetTrueOrFalseExactlyAsTheSpecSays"
  "dev.helix.config.RoutingFuzzTest#anyUpstreamGetsOneOfTheSevenReasonsAndOnlyRemoteHttpIsRouted"
  "dev.helix.http.LocalGuardFuzzTest#anyHeadersNeverThrowAndAForeignHostIsAlways403"
  "dev.helix.server.RequestBodyFuzzTest#anyRequestBodyIsAnsweredWithoutA500"
  "dev.helix.proxy.EventRelayFuzzTest#anyEventBytesInAnyPiecesAreRelayedWholeAndABreakEndsWithOneErrorEvent"
  "dev.helix.context.ChunkerFuzzTest#anyTextIsCutIntoNonBlankPiecesWithinTheLimitInLineOrder"
  "dev.helix.compress.CompressionFuzzTest#anyTextKindBudgetAndQueryStaysWithinTheBudget"
)

if [[ -z "${JAVA_HOME:-}" ]]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [[ -x "$candidate/bin/javac" ]] && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
      export JAVA_HOME="$candidate"; break
    fi
  done
fi

cd "$ROOT"
LOGS="$ROOT/target/fuzz-logs"
mkdir -p "$LOGS"
echo "building test classes..." >&2
./mvnw -o -q -B test-compile >&2

printf '%-95s %12s %8s %8s\n' target executions seconds crashes
failed=0
for target in "${TARGETS[@]}"; do
  [[ -z "$FILTER" || "$target" == *"$FILTER"* ]] || continue
  class="${target%%#*}"; method="${target##*#}"
  inputs="src/test/resources/$(echo "${class%.*}" | tr . /)/${class##*.}Inputs/$method"
  before="$(ls "$inputs" 2>/dev/null | grep -c '^crash-' || true)"
  log="$LOGS/${class##*.}-$method.log"
  start=$(date +%s)
  # -max_total_time here wins over @FuzzTest's 5-minute default; hooks (compare tracing of
  # String.equals and friends) are on for fuzzing and off for the fast regression replay. A 1 GiB
  # heap makes an allocation sized by the input fail as OutOfMemoryError, which Jazzer reports;
  # libFuzzer's RSS limit stays off (Jazzer's default) because the JVM's own footprint passes 2 GiB.
  # The compressors' cost grows with the input: capped at 1 KB of fuzz data (texts of up to ~150
  # pieces), 5 minutes reach 10^6 inputs; longer inputs find nothing the pieces do not.
  max_len=4096
  [[ "$target" == *CompressionFuzzTest* ]] && max_len=1024
  status=0
  JAZZER_FUZZ=1 ./mvnw -o -B surefire:test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.hooks=true -Djunit.jupiter.execution.timeout.mode=disabled \
    -Djazzer.internal.arg.0=helix-fuzz -Djazzer.internal.arg.1="-max_total_time=$SECONDS_PER_TARGET" \
    -Djazzer.internal.arg.2=-print_final_stats=1 -Djazzer.internal.arg.3="-max_len=$max_len" -DargLine=-Xmx1g \
    >"$log" 2>&1 || status=$?
  elapsed=$(( $(date +%s) - start ))
  runs="$(grep -a 'stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -n1)"
  after="$(ls "$inputs" 2>/dev/null | grep -c '^crash-' || true)"
  crashes=$(( after - before ))
  if (( status != 0 && crashes == 0 )); then crashes=1; fi  # a finding Jazzer did not save
  (( crashes == 0 )) || failed=1
  printf '%-95s %12s %8s %8s\n' "$target" "${runs:-?}" "$elapsed" "$crashes"
done
echo "logs: $LOGS (crash inputs, if any, under src/test/resources/**/*Inputs/)" >&2
exit "$failed"
