#!/usr/bin/env bash
# bench/store: retrieval quality and store speed, one command. Fetches the corpus (the -sources.jar
# of Guava, Jackson core and databind, and Netty common from Maven Central; not committed), builds
# the test classes, then runs RetrievalBench (on Jackson core + Netty common: every chunk needs a
# vector, which costs ~10 ms of CPU each) and SpeedBench (on all four, copied COPIES times, for
# 100k+ chunks). Prints everything; RESULTS.md holds a run.
#   bench/store/run.sh [quality|speed|ingest|queries|embeddings|all]   (ingest: lexical ingest only, cold and warm; queries: reuse the speed store, time queries; embeddings: the bare model's ceiling and ingest with vectors)   (default all; COPIES=8 sets the speed tree's size)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${BENCH_WORK:-/tmp/helix-bench-store}"
WHAT="${1:-all}"
COPIES="${COPIES:-8}"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
cd "$ROOT"

mkdir -p "$WORK/jars" "$WORK/corpus"
for artifact in com.google.guava:guava:33.3.1-jre com.fasterxml.jackson.core:jackson-core:2.18.2 \
    com.fasterxml.jackson.core:jackson-databind:2.18.2 io.netty:netty-common:4.1.115.Final; do
  IFS=: read -r group name version <<<"$artifact"
  jar="$WORK/jars/$name-$version-sources.jar"
  if [[ ! -f "$jar" ]]; then
    ./mvnw -q -B dependency:copy -Dartifact="$artifact:jar:sources" -DoutputDirectory="$WORK/jars" >&2
  fi
  if [[ ! -d "$WORK/corpus/$name" ]]; then
    mkdir -p "$WORK/corpus/$name" && (cd "$WORK/corpus/$name" && unzip -q "$jar")
  fi
done

if [[ ! -d "$WORK/quality-corpus" ]]; then
  mkdir -p "$WORK/quality-corpus"
  cp -r "$WORK/corpus/jackson-core" "$WORK/corpus/netty-common" "$WORK/quality-corpus/"
fi

./mvnw -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >&2
CP="target/test-classes:target/classes:$(cat "$WORK/cp.txt")"
JAVA=(java -XX:+UseParallelGC -Xmx4g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP")

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); date $(date -u +%FT%TZ)"
if [[ "$WHAT" == quality || "$WHAT" == all ]]; then
  # The store is kept between runs: a re-run finds every file unchanged and every vector in place
  # (delete $WORK/eval to measure the ingest again).
  "${JAVA[@]}" dev.helix.context.RetrievalBench "$WORK/quality-corpus" "$WORK/eval/store" bench/store/unanswerable.txt bench/store/questions.tsv bench/store/unanswerable-near.txt 2>"$WORK/quality.log"
fi
if [[ "$WHAT" == queries ]]; then
  "${JAVA[@]}" dev.helix.context.SpeedBench "$WORK/corpus" "$WORK/speed" "$COPIES" "$WORK/corpus/jackson-core/com/fasterxml/jackson/core/util" queries 2>"$WORK/speed.log"
fi
if [[ "$WHAT" == embeddings ]]; then
  # The model's ceiling (bare MiniLM on real chunk heads), then helix's ingest with embeddings.
  "${JAVA[@]}" dev.helix.context.EmbedBench "$WORK/corpus/jackson-core" 160 2>"$WORK/embed.log"
  "${JAVA[@]}" dev.helix.context.SpeedBench "$WORK/corpus" "$WORK/speed" "$COPIES" "$WORK/corpus/jackson-core/com/fasterxml/jackson/core/util" embeddings 2>>"$WORK/embed.log"
fi
if [[ "$WHAT" == ingest ]]; then
  # Lexical ingest only: the bare Lucene baseline, helix's first ingest in a fresh JVM, the re-ingest,
  # then the same ingest again in the warm JVM into a fresh store.
  "${JAVA[@]}" dev.helix.context.SpeedBench "$WORK/corpus" "$WORK/speed" "$COPIES" "$WORK/corpus/jackson-core/com/fasterxml/jackson/core/util" ingest 2>"$WORK/speed.log"
fi
if [[ "$WHAT" == speed || "$WHAT" == all ]]; then
  "${JAVA[@]}" dev.helix.context.SpeedBench "$WORK/corpus" "$WORK/speed" "$COPIES" "$WORK/corpus/jackson-core/com/fasterxml/jackson/core/util" 2>"$WORK/speed.log"
fi
