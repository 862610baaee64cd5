#!/usr/bin/env bash
# The search download (issue 19): the 10,000-page benchmark site with search on, built
# with the release binary, then what the search page loads in headless Chromium until its
# results show, for a few queries (benches/search-download.py; goal 150 KB for 学习交流).
#
#   bash benches/search.sh        # WORK=/tmp/zhanting-search PAGES=10000
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/bench/gen_site.py}
WORK=${WORK:-/tmp/zhanting-search}
PAGES=${PAGES:-10000}
cargo build --release --quiet
mkdir -p "$WORK"
python3 "$GEN" --pages "$PAGES" --out "$WORK/site" --flavor zhanting --quiet
sed -i 's/^search: .*/search: true/' "$WORK/site/site.yaml"
/usr/bin/time -f "build with search: %e s, %M KB peak" target/release/zhanting build "$WORK/site" -o "$WORK/public" >/dev/null
echo "index: $(find "$WORK/public/search" -type f | wc -l) files, $(du -s --apparent-size -m "$WORK/public/search" | cut -f1) MB"
python3 benches/search-download.py --out "$WORK/public" 学习交流 学习 志愿服务 党
