#!/usr/bin/env bash
# Every preset's lesson on the 12 confirmation seeds, 1001 to 1012 (never used
# to choose a lesson's claims or thresholds; those came from the exploration
# seeds of EXPERIMENTS.md). Each run is the page's own engine and evaluation
# (`attnlab lesson --preset ID --seed S --json`), two at a time. Then
# experiments/lesson_table.mjs prints the held counts and each claim's margin.
#   bash experiments/confirm_lessons.sh [preset ...]      (default: every preset with a lesson)
source "$(dirname "$0")/common.sh"
SEEDS=${SEEDS:-"1001 1002 1003 1004 1005 1006 1007 1008 1009 1010 1011 1012"}
JOBS=${JOBS:-2}
presets=("$@")
if [ ${#presets[@]} -eq 0 ]; then
  mapfile -t presets < <($ATTNLAB lesson --list | awk '/^[a-z]/{id=$1; next} !/no lesson/{print id}')
fi
mkdir -p "$OUT/lessons"
for p in "${presets[@]}"; do
  for s in $SEEDS; do echo "$p $s"; done
done | xargs -P "$JOBS" -L 1 bash -c '"$1" lesson --preset "$3" --seed "$4" --json --quiet > "$2/lessons/$3_s$4.json"; echo "$3 seed $4: exit $?" >&2' \
  _ "$ATTNLAB" "$OUT"
node "$(dirname "$0")/lesson_table.mjs" "$OUT/lessons" | tee "$OUT/lessons/confirmation.md"
