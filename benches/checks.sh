#!/usr/bin/env bash
# What the inspection checks (terms, personal data, alt text, headings, 备案, contrast)
# cost a whole build: the 10,000-page benchmark site (../shared/bench/gen_site.py) built
# warm into its existing output, with the checks on and with every rule off in
# checks.yaml, as whole processes, median of RUNS runs each, interleaved. The goal is at
# most 10 % more time with the checks on.
#
#   bash benches/checks.sh            # RUNS=9 PAGES=10000
#   BIN=/path/to/zhanting bash benches/checks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/bench/gen_site.py}
RUNS=${RUNS:-9}
PAGES=${PAGES:-10000}
WORK=${WORK:-/tmp/zhanting-bench-checks}
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/zhanting
fi
mkdir -p "$WORK"
on="$WORK/on" off="$WORK/off"
python3 "$GEN" --pages "$PAGES" --out "$on" --flavor zhanting --quiet
rm -rf "$off" && cp -r "$on" "$off" && rm -rf "$off/.zhanting-cache"
printf 'checks:\n  off: [terms, id-card, mobile, bank-card, icp, police, brand, alt, headings, contrast]\n' >"$off/checks.yaml"
rm -f "$on/checks.yaml"
seconds() { /usr/bin/time -f "%e" -o "$WORK/t" "$@" >/dev/null 2>&1; cat "$WORK/t"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
"$BIN" build "$on" -o "$WORK/out-on" >/dev/null 2>&1
"$BIN" build "$off" -o "$WORK/out-off" >/dev/null 2>&1
t_on=() t_off=()
for _ in $(seq "$RUNS"); do
  t_on+=("$(seconds "$BIN" build "$on" -o "$WORK/out-on")")
  t_off+=("$(seconds "$BIN" build "$off" -o "$WORK/out-off")")
done
a=$(printf '%s\n' "${t_on[@]}" | median)
b=$(printf '%s\n' "${t_off[@]}" | median)
awk -v a="$a" -v b="$b" -v n="$PAGES" 'BEGIN { printf "%d pages, warm build: checks on %.3fs, off %.3fs: +%.1f%% (goal ≤ 10%%)\n", n, a, b, (a / b - 1) * 100 }'
