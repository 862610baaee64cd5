#!/usr/bin/env bash
# 50 camera-size photos (4000×3000 JPEG, ../shared/bench/gen_site.py, needs Pillow) to the
# widths 480, 1200 and 2000: cold (empty cache), warm (nothing changed), JPEG only as the
# generator configures it, then WebP and JPEG. Medians of RUNS runs, release build.
#
#   bash benches/photos.sh            # RUNS=3 PHOTOS=50
#   PROFILE=p3 bash benches/photos.sh # the same photos, each tagged Display P3 (as phones
#                                     # write them), so all go through colour conversion
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/bench/gen_site.py}
RUNS=${RUNS:-3}
PHOTOS=${PHOTOS:-50}
WORK=${WORK:-/tmp/zhanting-bench-photos}
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/zhanting
fi
mkdir -p "$WORK"
site="$WORK/site"
python3 "$GEN" --pages 0 --photos "$PHOTOS" --out "$site" --flavor zhanting --quiet
if [ "${PROFILE:-}" = p3 ]; then
  # An APP2 ICC_PROFILE segment right after SOI: the pixels stay, their meaning changes.
  # Each photo is a new file: the generator hard-links them from its shared cache.
  python3 - "$site" tests/fixtures/icc/DisplayP3.icc <<'EOF'
import pathlib, struct, sys
icc = pathlib.Path(sys.argv[2]).read_bytes()
seg = b"\xff\xe2" + struct.pack(">H", 2 + 14 + len(icc)) + b"ICC_PROFILE\0\x01\x01" + icc
for p in pathlib.Path(sys.argv[1]).rglob("*.jpg"):
    b = p.read_bytes()
    if b"ICC_PROFILE" not in b:
        p.unlink()
        p.write_bytes(b[:2] + seg + b[2:])
EOF
fi
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
