#!/usr/bin/env bash
# zhanting and Hugo side by side on the same content (../shared/bench/gen_site.py), run
# alternately, RUNS times each: median, min–max wall time, median peak RSS and the ratio.
# Workloads: 1,000 and 10,000 Chinese pages (section and tags paginated by 20), and 50
# camera photos to 480/1200/2000 px, cold (empty cache) and warm (nothing changed).
# Installs Hugo from Debian when missing. Release build of zhanting.
#
#   bash benches/compare.sh                  # RUNS=5 SIZES="1000 10000" PHOTOS=50
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/bench/gen_site.py}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"1000 10000"}
PHOTOS=${PHOTOS:-50}
WORK=${WORK:-/tmp/zhanting-compare}
if ! command -v hugo >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null
fi
cargo build --release --quiet
ZT=$PWD/target/release/zhanting
mkdir -p "$WORK"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(hugo version | cut -d' ' -f1-2); zhanting $(git rev-parse --short HEAD)"

# one "seconds kilobytes" line for a command
measure() {
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
  cat "$WORK/time"
}
stats() { # stdin: "seconds kb" lines → "median min max median_mb"
  python3 -c 'import sys, statistics as s
rows = [l.split() for l in sys.stdin if l.strip()]
t = [float(r[0]) for r in rows]; m = [int(r[1]) for r in rows]
print(s.median(t), min(t), max(t), int(s.median(m) / 1024))'
}
report() { # name zt-lines hugo-lines
  read -r zm zmin zmax zmb <<<"$(printf '%s\n' "$2" | stats)"
  read -r hm hmin hmax hmb <<<"$(printf '%s\n' "$3" | stats)"
  printf '%-34s zhanting %6.2fs (%.2f–%.2f, %4d MB)   hugo %6.2fs (%.2f–%.2f, %4d MB)   ratio %.2f×\n' \
    "$1" "$zm" "$zmin" "$zmax" "$zmb" "$hm" "$hmin" "$hmax" "$hmb" "$(python3 -c "print($zm / $hm)")"
}

for n in $SIZES; do
  python3 "$GEN" --pages "$n" --out "$WORK/zt-$n" --flavor zhanting --quiet
  python3 "$GEN" --pages "$n" --out "$WORK/hugo-$n" --flavor hugo --quiet
  z="" h=""
  for i in $(seq "$RUNS"); do
    # A new output folder each time: both tools build from scratch.
    z+="$(measure "$ZT" build "$WORK/zt-$n" -o "$WORK/zo-$n-$i")"$'\n'
    h+="$(measure hugo --quiet -s "$WORK/hugo-$n" -d "$WORK/ho-$n-$i")"$'\n'
  done
  rm -rf "$WORK"/zo-* "$WORK"/ho-*
  report "$n pages" "${z%$'\n'}" "${h%$'\n'}"
done

if [ "$PHOTOS" -gt 0 ]; then
  python3 "$GEN" --pages 0 --photos "$PHOTOS" --out "$WORK/zt-photos" --flavor zhanting --quiet
  python3 "$GEN" --pages 0 --photos "$PHOTOS" --out "$WORK/hugo-photos" --flavor hugo --quiet
  zc="" hc="" zw="" hw=""
  for i in $(seq "$RUNS"); do
    rm -rf "$WORK/zt-photos/.zhanting-cache" "$WORK/hugo-photos/resources"
    zc+="$(measure "$ZT" build "$WORK/zt-photos" -o "$WORK/zo-p-$i")"$'\n'
    zw+="$(measure "$ZT" build "$WORK/zt-photos" -o "$WORK/zo-p-$i")"$'\n'
    hc+="$(measure hugo --quiet -s "$WORK/hugo-photos" -d "$WORK/ho-p-$i")"$'\n'
    hw+="$(measure hugo --quiet -s "$WORK/hugo-photos" -d "$WORK/ho-p-$i")"$'\n'
  done
  rm -rf "$WORK"/zo-* "$WORK"/ho-*
  report "$PHOTOS photos ×3 widths, JPEG, cold" "${zc%$'\n'}" "${hc%$'\n'}"
  report "$PHOTOS photos, nothing changed" "${zw%$'\n'}" "${hw%$'\n'}"
fi

# Goals of their own (issue 19): the binary's size here; compile time in
# benches/compile.sh, live-preview edits in benches/serve-edits.py, the checks' cost in
# benches/checks.sh.
size=$(stat -c %s "$ZT")
printf '%-34s %6.1f MB (goal ≤ 40 MB: %s)\n' "release binary (stripped)" \
  "$(python3 -c "print($size / 1e6)")" "$([ "$size" -le 40000000 ] && echo met || echo not met)"
