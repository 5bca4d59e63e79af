#!/usr/bin/env bash
# Start-up wall time of brun commands, before and after, measured in one run (interleaved, median of N).
#   BEFORE_REV=<git revision> scripts/startup-benchmark.sh [RUNS]      # RUNS defaults to 10
# before: BEFORE_REV checked out in a scratch worktree and run through its own ./brun launcher;
# after:  ./brun from this checkout (class-data-sharing archive, Flyway skipped when the schema is current,
#         logging set up in code). Both open the same scratch project (built-in pack, 300 seed units planned).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
runs="${1:-10}"
rev="${BEFORE_REV:?set BEFORE_REV=<git revision> for the before measurement (e.g. main)}"
work="$(mktemp -d)"
tree="$work/before-src"
trap 'git -C "$here" worktree remove --force "$tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$here" worktree add --detach "$tree" "$rev" >/dev/null 2>&1
"$tree/brun" --version >/dev/null 2>&1   # builds the before jar: not part of the timing
"$here/brun" --version >/dev/null 2>&1   # builds the jar and the CDS archive if needed: not part of the timing
project="$work/p"
"$here/brun" init "$project" >/dev/null 2>&1
"$here/brun" plan -p "$project" >/dev/null 2>&1
before() { "$tree/brun" "$@"; }
after() { "$here/brun" "$@"; }
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
declare -A samples
cmds=("--version" "status -p $project" "plan -p $project" "plan --target 1500 --dry-run -p $project")
for ((i = 0; i < runs; i++)); do
  for c in "${cmds[@]}"; do
    # shellcheck disable=SC2086
    [[ "$c" == *--target* ]] || samples["before|$c"]+="$(ms before $c) "
    # shellcheck disable=SC2086
    samples["after|$c"]+="$(ms after $c) "
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; median of $runs runs, ms"
printf '%-40s %8s %8s %7s\n' command before after ratio
for c in "${cmds[@]}"; do
  a=$(tr ' ' '\n' <<<"${samples["after|$c"]}" | grep . | median)
  if [[ "$c" == *--target* ]]; then b="-"; r="-"; else
    b=$(tr ' ' '\n' <<<"${samples["before|$c"]}" | grep . | median); r=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", a / b}'); fi
  printf '%-40s %8s %8s %7s\n' "${c/ -p $project/}" "$b" "$a" "$r"
done
