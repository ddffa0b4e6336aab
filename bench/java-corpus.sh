#!/usr/bin/env bash
# The Java corpus the store and workspace benches share: the -sources.jar of Guava, Jackson core and
# databind, and Netty common from Maven Central, unpacked once into $1/corpus/<name> (jars kept in
# $1/jars). Run from the project root (it uses the Maven wrapper).
#   bench/java-corpus.sh WORK
set -euo pipefail
WORK="$1"
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
