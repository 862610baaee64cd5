#!/usr/bin/env bash
# 50 camera-size photos (4000×3000 JPEG, ../shared/bench/gen_site.py, needs Pillow) to the
# widths 480, 1200 and 2000: cold (empty cache), warm (nothing changed), JPEG only as the
# generator configures it, then WebP and JPEG. Medians of RUNS runs, release build.
#
#   bash benches/photos.sh            # RUNS=3 PHOTOS=50
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/bench/gen_site.py}
RUNS=${RUNS:-3}
PHOTOS=${PHOTOS:-50}
WORK=${WORK:-/tmp/zhanting-bench-photos}
cargo build --release --quiet
BIN=$PWD/target/release/zhanting
mkdir -p "$WORK"
site="$WORK/site"
python3 "$GEN" --pages 0 --photos "$PHOTOS" --out "$site" --flavor zhanting --quiet
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >/dev/null; cat "$WORK/t"; }
for formats in "jpeg" "webp, jpeg"; do
  sed -i "s/formats: \[[^]]*\]/formats: [$formats]/" "$site/site.yaml"
  cold=() warm=()
  for i in $(seq "$RUNS"); do
    rm -rf "$site/.zhanting-cache"
    out="$WORK/out-$i-$$"
    cold+=("$(measure "$BIN" build "$site" -o "$out")")
    warm+=("$(measure "$BIN" build "$site" -o "$out")")
  done
  rm -rf "$WORK"/out-*
  c=$(printf '%s\n' "${cold[@]}" | awk '{print $1}' | median); cm=$(printf '%s\n' "${cold[@]}" | awk '{print $2}' | median)
  w=$(printf '%s\n' "${warm[@]}" | awk '{print $1}' | median)
  printf '%s photos → 480/1200/2000 [%s]: cold %ss (peak %d MB), warm %ss  [median of %s]\n' "$PHOTOS" "$formats" "$c" $((cm / 1024)) "$w" "$RUNS"
done
