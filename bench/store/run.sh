#!/usr/bin/env bash
# bench/store: retrieval quality and store speed, one command. Fetches the corpora (the -sources.jar
# of Guava, Jackson core and databind, and Netty common from Maven Central; rxjs and npm from npm;
# SQLAlchemy from Debian; none committed), builds the test classes, then runs QualityBench (every
# corpus of bench/store/quality/corpora.tsv, helix beside whole-file BM25) and SpeedBench (on all four, copied COPIES times, for
# 100k+ chunks). Prints everything; RESULTS.md holds a run.
#   bench/store/run.sh [quality|speed|ingest|queries|fused-queries|embeddings|all]   (ingest: lexical ingest only, cold and warm; queries: reuse the speed store, time queries; fused-queries: the same with vectors, filled first; embeddings: the bare model's ceiling, and ingest with vectors of one copy of the corpus beside its lexical ingest)   (default all; COPIES=8 sets the speed tree's size)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${BENCH_WORK:-/tmp/helix-bench-store}"
WHAT="${1:-all}"
COPIES="${COPIES:-8}"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
cd "$ROOT"

bench/java-corpus.sh "$WORK"

# The quality suite's other corpora: rxjs (npm), SQLAlchemy (Debian), npm's own docs (npm), Guava
# (above). Pinned versions; downloaded once into $WORK, each corpus a folder of $WORK/quality-corpus.
quality_corpora() {
  local dl="$WORK/download" Q="$WORK/quality-corpus"
  mkdir -p "$dl" "$Q"
  if [[ ! -d "$Q/java-dev" ]]; then
    mkdir -p "$Q/java-dev"
    cp -r "$WORK/corpus/jackson-core" "$WORK/corpus/netty-common" "$Q/java-dev/"
  fi
  if [[ ! -d "$Q/rxjs" ]]; then
    (cd "$dl" && npm pack --silent rxjs@7.8.1 >/dev/null && rm -rf rxjs && mkdir rxjs && tar xzf rxjs-7.8.1.tgz -C rxjs)
    cp -r "$dl/rxjs/package/src" "$Q/rxjs"
  fi
  if [[ ! -d "$Q/npm-docs" ]]; then
    (cd "$dl" && npm pack --silent npm@10.9.2 >/dev/null && rm -rf npm && mkdir npm && tar xzf npm-10.9.2.tgz -C npm)
    cp -r "$dl/npm/package/docs/content" "$Q/npm-docs"
  fi
  if [[ ! -d "$Q/sqlalchemy" ]]; then
    # apt-get download needs no root and installs nothing; the package lists must be current.
    (cd "$dl" && { apt-get download python3-sqlalchemy=1.4.46+ds1-1 >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null && apt-get download python3-sqlalchemy=1.4.46+ds1-1 >/dev/null; }; } \
        && rm -rf sqla && dpkg -x python3-sqlalchemy_1.4.46+ds1-1_all.deb sqla)
    cp -r "$dl/sqla/usr/lib/python3/dist-packages/sqlalchemy" "$Q/sqlalchemy"
  fi
  if [[ ! -d "$Q/guava" ]]; then
    cp -r "$WORK/corpus/guava" "$Q/guava"
  fi
}

./mvnw -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >&2
CP="target/test-classes:target/classes:$(cat "$WORK/cp.txt")"
JAVA=(java -XX:+UseParallelGC -Xmx4g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP")

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); date $(date -u +%FT%TZ)"
if [[ "$WHAT" == quality || "$WHAT" == all ]]; then
  # Every corpus of bench/store/quality/corpora.tsv (or those named in CORPORA: names or roles,
  # e.g. CORPORA=dev). Stores are kept between runs in $WORK/quality and vectors cached by text, so
  # a re-run after a ranking change re-indexes without embedding again.
  quality_corpora
  # shellcheck disable=SC2086
  "${JAVA[@]}" dev.helix.context.QualityBench bench/store/quality "$WORK/quality-corpus" "$WORK/quality" ${CORPORA:-} 2>"$WORK/quality.log"
fi
if [[ "$WHAT" == queries ]]; then
  "${JAVA[@]}" dev.helix.context.SpeedBench "$WORK/corpus" "$WORK/speed" "$COPIES" "$WORK/corpus/jackson-core/com/fasterxml/jackson/core/util" queries 2>"$WORK/speed.log"
fi
if [[ "$WHAT" == fused-queries ]]; then
  # The speed store with embeddings on: fill its vectors (one per file, timed), then time queries.
  "${JAVA[@]}" dev.helix.context.SpeedBench "$WORK/corpus" "$WORK/speed" "$COPIES" "$WORK/corpus/jackson-core/com/fasterxml/jackson/core/util" fused-queries 2>"$WORK/speed.log"
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
