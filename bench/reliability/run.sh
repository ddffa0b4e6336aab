#!/usr/bin/env bash
# Every reliability and security suite of helix from one command (docs/reliability.md), with the
# figures each prints: attacks tried and refused, faults injected and classified, kills survived,
# fuzz corpus replays, disk-fault runs; with FULL=1 also the 5-minute fuzzing of every target and
# the 30-minute soak (about 90 minutes more).
#
#   bench/reliability/run.sh          the CI-sized suites (what ./helix test runs of them), ~10 min
#   FULL=1 bench/reliability/run.sh   plus bench/fuzz/run.sh 300 and bench/soak/run.sh 30
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$ROOT"

status=0
# Reports of earlier runs would be listed as this run's.
rm -rf target/surefire-reports target/failsafe-reports
./mvnw -q -B verify \
  -Dtest='StoreFaultTest,StoreMockDirectoryTest,*FuzzTest,FoundByFuzzing*Test,LauncherSecurityTest,SecurityTest' \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='LocalAttackIT,SecretsNeverLoggedIT,UpstreamFaultIT,DurabilityIT' >&2 || status=$?

echo "## suites (target/surefire-reports, target/failsafe-reports)"
grep -h -E "^Tests run" target/surefire-reports/*.txt target/failsafe-reports/*.txt 2>/dev/null \
  | sed 's/ -- in / /' || true
echo "## figures"
grep -h -E "^(attack suite:|[0-9]+ faults injected|load [0-9]+ s:|durability:|50 MiB|upstream saw)" \
  target/failsafe-reports/dev.helix.reliability.*-output.txt 2>/dev/null || true

if [[ "${FULL:-0}" == "1" ]]; then
  echo "## fuzzing, 5 minutes per target"
  bench/fuzz/run.sh 300 || status=1
  echo "## soak, 30 minutes"
  bench/soak/run.sh 30 1000 || status=1
fi
exit "$status"
