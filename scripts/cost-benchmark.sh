#!/usr/bin/env bash
# Issue 8 cost benchmark: the 1,500-conversation plan (150 seed on Sonnet 4.5, 1,200 expansion on Haiku 4.5,
# 150 edge on Sonnet 4.5) estimated four ways and run end to end on the simulated provider; prints the
# markdown tables recorded in BENCHMARKS.md ("Cost"). Usage: scripts/cost-benchmark.sh [PROJECT_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
cd "$here"
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
export BRUN_SIMULATED_LATENCY_MS="${BRUN_SIMULATED_LATENCY_MS:-0}"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g \
  -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.brun.cli.CostBenchmark "$@" 2>/dev/null
