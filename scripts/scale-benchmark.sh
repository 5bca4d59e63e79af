#!/usr/bin/env bash
# Scale benchmark: about 100,000 conversations generated on the simulated provider without rate limits, then
# check, report --html and export --format all, each timed; prints the markdown table recorded in
# BENCHMARKS.md ("Large plans"), progress on stderr. Usage: scripts/scale-benchmark.sh [PROJECT_DIR] [VARIATIONS] [WORKERS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
cd "$here"
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=50 \
  -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.brun.cli.ScaleBenchmark "$@"
