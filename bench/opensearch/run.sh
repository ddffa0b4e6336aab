#!/usr/bin/env bash
# bench/opensearch: the same corpus into both store backends in one run. Starts a real OpenSearch
# node (opensearch-node/, a child JVM on a free port), ingests the Java development corpus of
# bench/store's quality suite (jackson-core + netty-common, fetched from Maven Central) into it and
# into the embedded Lucene store, asks both the same questions (150 doc-sentence + the corpus's
# developer questions) through the same ranking, and prints per backend file-level recall@5, ingest
# MB/s and the context call's p50/p99. Both rank lexically (the OpenSearch store keeps no vectors yet).
# Last line: opensearch recall@5=R1 lucene recall@5=R2 ingest_mb_s=M1/M2 p50_ms=P1/P2
#   bench/opensearch/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${BENCH_WORK:-/tmp/helix-bench-opensearch}"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
cd "$ROOT"

bench/java-corpus.sh "$WORK"
if [[ ! -d "$WORK/java-dev" ]]; then
  mkdir -p "$WORK/java-dev"
  cp -r "$WORK/corpus/jackson-core" "$WORK/corpus/netty-common" "$WORK/java-dev/"
fi
./mvnw -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >&2
CP="target/test-classes:target/classes:$(cat "$WORK/cp.txt")"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); date $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
java -XX:+UseParallelGC -Xmx2g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP" \
  dev.helix.context.OpenSearchBench "$WORK/java-dev" bench/store/quality/java-dev/developer.tsv "$WORK/stores" 2>"$WORK/bench.log"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
