#!/usr/bin/env bash
# Engine overhead against the ideal: brun generate on the simulated provider with a fixed latency per call, at
# several concurrencies. Ideal time = one priming call + ceil((units - 1) / concurrency) calls of that latency.
# Usage: scripts/engine-benchmark.sh [LATENCY_MS] [UNITS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
latency="${1:-200}"
units="${2:-300}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/brun" --version >/dev/null
echo "| concurrency | units | latency | ideal s | measured s | measured / ideal |"
echo "|---:|---:|---:|---:|---:|---:|"
for c in 1 4 16 64; do
  n="$units"; [ "$c" = 1 ] && n=$(( units < 60 ? units : 60 ))
  rm -rf "$work/p"
  "$here/brun" init "$work/p" >/dev/null
  "$here/brun" plan -p "$work/p" >/dev/null
  # the run's own time ("in N s"): the engine from first claim to last store, without JVM start-up
  seconds=$(BRUN_SIMULATED_LATENCY_MS="$latency" "$here/brun" generate -p "$work/p" --concurrency "$c" --limit "$n" 2>/dev/null \
    | sed -n 's/.* in \([0-9.]*\) s with provider.*/\1/p')
  awk -v c="$c" -v n="$n" -v l="$latency" -v measured="$seconds" 'BEGIN {
    ideal = l / 1000 * (1 + int((n - 1 + c - 1) / c));
    printf "| %d | %d | %d ms | %.2f | %.2f | %.2f |\n", c, n, l, ideal, measured, measured / ideal }'
done
