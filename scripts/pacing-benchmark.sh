#!/usr/bin/env bash
# Pacing benchmark: generation against the simulator in token-bucket mode (output tokens per minute binding,
# ~3,000-token replies, a minute scaled to 6 s): share of the limit used in steady state and 429 share, for one
# process (max_tokens estimated, then from evidence) and three processes on embedded PostgreSQL. Prints the
# markdown table recorded in BENCHMARKS.md ("Pacing under token buckets"). Usage: scripts/pacing-benchmark.sh [UNITS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
cd "$here"
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=25 \
  -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.brun.run.TokenBucketBenchmark "$@"
