#!/usr/bin/env bash
# A committee's portal at scale (issue 17): 20 branches of 500 pages each (10,000 pages
# in all) against the single 10,000-page benchmark site, built alternately into a new
# output folder, RUNS times each: median wall time, peak RSS, and the ratio.
# Goals: the portal within 1.2× the single site's time, at most 400 MB.
#
#   bash benches/portal.sh                   # RUNS=5 BRANCHES=20 PAGES=500
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/bench/gen_site.py}
RUNS=${RUNS:-5}
BRANCHES=${BRANCHES:-20}
PAGES=${PAGES:-500}
WORK=${WORK:-/tmp/zhanting-portal}
cargo build --release --quiet
ZT=$PWD/target/release/zhanting
total=$((BRANCHES * PAGES))
mkdir -p "$WORK/portal/branches"
python3 "$GEN" --pages "$total" --out "$WORK/single" --flavor zhanting --quiet
{
  echo "title: 中共某某区直属机关工作委员会"
  echo "base_url: http://127.0.0.1/"
  # As the generated branches: no search, no feed.
  echo "search: false"
  echo "feed: false"
  echo "branches:"
} >"$WORK/portal/portal.yaml"
for i in $(seq -w 1 "$BRANCHES"); do
  python3 "$GEN" --pages "$PAGES" --seed "$i" --out "$WORK/portal/branches/b$i" --flavor zhanting --quiet
  echo "  - { path: branches/b$i }" >>"$WORK/portal/portal.yaml"
done
echo "machine: $(nproc) cores; zhanting $(git rev-parse --short HEAD); $BRANCHES branches × $PAGES pages vs one site of $total pages"

measure() {
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
  cat "$WORK/time"
}
# One build of each first: the caches (QR codes, link cards) are filled, as on a
# committee's machine after its first build.
measure "$ZT" build "$WORK/single" -o "$WORK/so-0" >/dev/null
measure "$ZT" build "$WORK/portal" -o "$WORK/po-0" >/dev/null
s="" p=""
for i in $(seq "$RUNS"); do
  s+="$(measure "$ZT" build "$WORK/single" -o "$WORK/so-$i")"$'\n'
  p+="$(measure "$ZT" build "$WORK/portal" -o "$WORK/po-$i")"$'\n'
done
rm -rf "$WORK"/so-* "$WORK"/po-*
python3 - "$s" "$p" <<'EOF'
import sys, statistics as st
def rows(t): return [tuple(map(float, l.split())) for l in t.splitlines() if l.strip()]
s, p = rows(sys.argv[1]), rows(sys.argv[2])
sm, pm = st.median(r[0] for r in s), st.median(r[0] for r in p)
smb, pmb = st.median(r[1] for r in s) / 1024, st.median(r[1] for r in p) / 1024
ratio = pm / sm
print(f"single site        {sm:6.2f}s ({min(r[0] for r in s):.2f}–{max(r[0] for r in s):.2f}, {smb:4.0f} MB)")
print(f"portal             {pm:6.2f}s ({min(r[0] for r in p):.2f}–{max(r[0] for r in p):.2f}, {pmb:4.0f} MB)")
print(f"ratio              {ratio:.2f}× (goal ≤ 1.2×: {'met' if ratio <= 1.2 else 'not met'})")
print(f"portal peak memory {pmb:.0f} MB (goal ≤ 400 MB: {'met' if pmb <= 400 else 'not met'})")
EOF
