#!/bin/bash
# Runs .ci/run (CI=true make test) in N fresh clones of this repository, one
# after another, and stops at the first failure: the "make test passes N times
# in a row from fresh clones" check. Logs: /tmp/fresh-K.log; one line per run
# appended to /tmp/fresh-summary.txt.
#
# usage: [REF=<branch or tag>] scripts/fresh-clone-runs.sh [N]   (default 10)
# REF pins every clone to one ref, so commits made meanwhile are not mixed in.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-10}
for i in $(seq 1 "$n"); do
  d=$(mktemp -d /tmp/ptools-fresh-XXXX)
  git clone -q ${REF:+-b "$REF"} "$repo" "$d/ptools"
  start=$(date +%s)
  (cd "$d/ptools" && ./.ci/run) > "/tmp/fresh-$i.log" 2>&1
  rc=$?
  end=$(date +%s)
  echo "run $i: rc=$rc $((end - start)) s $(git -C "$d/ptools" rev-parse --short HEAD) $(grep -E 'Tests ' "/tmp/fresh-$i.log" | sed 's/\x1b\[[0-9;]*m//g' | tr -s ' ' | tr '\n' ';')" >> /tmp/fresh-summary.txt
  rm -rf "$d"
  [ "$rc" -ne 0 ] && exit "$rc"
done
