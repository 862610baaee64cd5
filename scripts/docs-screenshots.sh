#!/usr/bin/env bash
# Makes the screenshots of the user guide (docs/content/guide/img/) from the example
# site: builds it offline into a temporary folder and photographs pages with headless
# Chromium at a phone's and a desktop's size. Run again after the theme changes:
#
#   scripts/docs-screenshots.sh [path/to/zhanting]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/zhanting}"
[ -x "$bin" ] || cargo build --release
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -r example-site "$tmp/site"
rm -rf "$tmp/site/.zhanting-cache" "$tmp/site/public"
"$bin" build "$tmp/site" --offline -o "$tmp/out" >/dev/null 2>&1
out=docs/content/guide/img
mkdir -p "$out"
shot() { # NAME WIDTH HEIGHT PAGE [CHROMIUM FLAGS…]
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "${@:5}" \
    --screenshot="$out/$1.png" --window-size="$2,$3" "file://$tmp/out/$4" >/dev/null 2>&1
  echo "$out/$1.png"
}
shot home-phone 390 844 index.html
shot brand-phone 390 844 brand/index.html
shot boards-desktop 1280 800 boards/index.html
shot news-desktop 1280 800 news/2025-qiyi-zhutidangri/index.html
# The 大屏 mode on a television's shape, its statistics slide, without the fade.
shot screen-tv 1280 720 "screen/index.html#7" --force-prefers-reduced-motion --virtual-time-budget=3000
# The browser editor, served (it fills its page from its API): scripts/editor-screenshots.py.
python3 scripts/editor-screenshots.py "$bin" "$out"
