#!/usr/bin/env bash
# Lighthouse 12 accessibility audit of every page type of a built site, on the mobile and
# the desktop presets, against Debian's Chromium and a local server only (no other network).
#
#   scripts/lighthouse.sh [SITE] [--bin PATH]
#
# SITE defaults to example-site. The site is built with the release binary (or --bin) into a
# temporary folder and served by `python3 -m http.server` on 127.0.0.1. Lighthouse is
# installed once from the npm registry into $LIGHTHOUSE_DIR (default ~/.cache/zhanting-lighthouse).
# Prints one line per page and preset with the score and the failing audits; exits 1 when any
# score is below 100.
set -euo pipefail
cd "$(dirname "$0")/.."

site=example-site
bin=target/release/zhanting
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    *) site="$1"; shift ;;
  esac
done

lh_dir="${LIGHTHOUSE_DIR:-$HOME/.cache/zhanting-lighthouse}"
if [ ! -x "$lh_dir/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$lh_dir"
  npm install --prefix "$lh_dir" --no-audit --no-fund lighthouse@12 >/dev/null
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
[ -x "$bin" ] || cargo build --release

work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
"$bin" build "$site" -o "$work/public" --base-url "http://127.0.0.1:$port/" >/dev/null
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/public" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/" >/dev/null && break
  sleep 0.1
done

# One page of each type, found in the output: the first page under each kind of path.
first() { (cd "$work/public" && { ls -d $1 2>/dev/null || true; } | sort | head -1 | sed 's#index.html$##'); }
pages=(/)
for pattern in 'brand/index.html' 'brand/*/index.html' 'news/index.html' 'news/*/index.html' \
  'tags/index.html' 'tags/*/index.html' 'photos/index.html' 'photos/*/index.html' \
  'boards/index.html' 'boards/*/index.html' 'branches/index.html' 'achievements/index.html' 'search/index.html' 'screen/index.html' '404.html'; do
  p="$(first "$pattern")"
  [ -n "$p" ] && pages+=("/$p")
done
# Search with results on the page (党, percent-encoded).
[ -f "$work/public/search/index.html" ] && pages+=("/search/?q=%E5%85%9A")

failed=0
for page in "${pages[@]}"; do
  for preset in mobile desktop; do
    args=(--only-categories=accessibility --output=json --output-path="$work/report.json" --quiet
      --chrome-flags="--headless=new --no-sandbox --disable-gpu")
    [ "$preset" = desktop ] && args+=(--preset=desktop)
    url="http://127.0.0.1:$port$page"
    if ! "$lh_dir/node_modules/.bin/lighthouse" "$url" "${args[@]}" 2>"$work/lh.log"; then
      echo "$preset $page: lighthouse failed"; tail -5 "$work/lh.log"; failed=1; continue
    fi
    line="$(python3 - "$work/report.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
score = r["categories"]["accessibility"]["score"]
bad = [a["id"] for a in r["audits"].values()
       if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"]
print(f"{round((score or 0) * 100)} {' '.join(bad)}")
for a in bad:
    for item in r["audits"][a].get("details", {}).get("items", [])[:3]:
        node = item.get("node", {})
        print(f"    {a}: {node.get('selector', '')} {node.get('snippet', '')[:120]}")
EOF
)"
    score="${line%% *}"
    printf '%-8s %-40s %s\n' "$preset" "$page" "$line"
    [ "$score" = 100 ] || failed=1
  done
done
exit "$failed"
