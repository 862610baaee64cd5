#!/usr/bin/env bash
# Builds synthetic sites of 1,000 and 10,000 Chinese pages (../shared/bench/gen_site.py)
# with a release build of zhanting and prints wall time and peak memory, cold (empty
# output) and warm (nothing changed), as the median of RUNS runs. With hugo on PATH
# (apt-get install -y hugo), Hugo builds the same content in the same run for comparison.
#
#   bash benches/build-sites.sh            # RUNS=5 SIZES="1000 10000"
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/bench/gen_site.py}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"1000 10000"}
WORK=${WORK:-/tmp/zhanting-bench}
cargo build --release --quiet
BIN=$PWD/target/release/zhanting
mkdir -p "$WORK"

# run CMD...: prints "seconds peak_kb" of one run
measure() {
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/err.txt" || { cat "$WORK/err.txt"; exit 1; }
  cat "$WORK/time.txt"
}

# median of the first (or second) column of stdin
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for n in $SIZES; do
  site="$WORK/zt-$n"
  python3 "$GEN" --pages "$n" --out "$site" --flavor zhanting --quiet
  cold=() warm=()
  # Cold builds go to a new folder each time: deleting 10,000 files just before a run
  # makes the next writes several times slower on this machine's disk (discard).
  for i in $(seq "$RUNS"); do
    out="$WORK/out-$n-$i-$$"
    cold+=("$(measure "$BIN" build "$site" -o "$out")")
    warm+=("$(measure "$BIN" build "$site" -o "$out")")
  done
  rm -rf "$WORK"/out-"$n"-*
  printf '%s\n' "${cold[@]}" | awk '{print $1}' | median > "$WORK/c_t"; printf '%s\n' "${cold[@]}" | awk '{print $2}' | median > "$WORK/c_m"
  printf '%s\n' "${warm[@]}" | awk '{print $1}' | median > "$WORK/w_t"; printf '%s\n' "${warm[@]}" | awk '{print $2}' | median > "$WORK/w_m"
  printf 'zhanting %6s pages: cold %5ss (peak %4d MB)   warm %5ss (peak %4d MB)   [median of %s]\n' \
    "$n" "$(cat "$WORK/c_t")" $(( $(cat "$WORK/c_m") / 1024 )) "$(cat "$WORK/w_t")" $(( $(cat "$WORK/w_m") / 1024 )) "$RUNS"
  if command -v hugo >/dev/null; then
    hsite="$WORK/hugo-$n"
    python3 "$GEN" --pages "$n" --out "$hsite" --flavor hugo --quiet
    h=()
    for i in $(seq "$RUNS"); do h+=("$(measure hugo --quiet -s "$hsite" -d "$WORK/hout-$n-$i-$$")"); done
    rm -rf "$WORK"/hout-"$n"-*
    printf '%s\n' "${h[@]}" | awk '{print $1}' | median > "$WORK/h_t"; printf '%s\n' "${h[@]}" | awk '{print $2}' | median > "$WORK/h_m"
    printf 'hugo     %6s pages: cold %5ss (peak %4d MB)\n' "$n" "$(cat "$WORK/h_t")" $(( $(cat "$WORK/h_m") / 1024 ))
  fi
done
