#!/usr/bin/env bash
# Makes the review snapshots of the boards (tests/snapshots/boards/SLUG.png): the example
# site's boards and the long-content ones of tests/fixtures/board-variants/, laid out
# and rendered small (the trim, 640 px on its long side, 64 colours). They are committed
# so that a change of the board templates shows as a change of these pictures in review;
# no test compares their pixels (tests/board_design.rs measures the boards themselves).
# Run again after changing site-template/boards/, look at each, and commit them:
#
#   scripts/board-snapshots.sh [path/to/zhanting]
#
# Needs poppler-utils (pdftoppm) and Python's Pillow (pip install pillow).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/debug/zhanting}"
[ -x "$bin" ] || cargo build
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -r example-site "$tmp/site"
rm -rf "$tmp/site/.zhanting-cache" "$tmp/site/public"
cp tests/fixtures/board-variants/*.yaml "$tmp/site/boards/"
"$bin" boards "$tmp/site" -o "$tmp/out" >/dev/null
out=tests/snapshots/boards
mkdir -p "$out"
rm -f "$out"/*.png
for pdf in "$tmp"/out/boards/*.pdf; do
  slug="$(basename "$pdf" .pdf)"
  # The trim only: the page less its bleed and crop-mark slug (TrimBox's offset).
  trim="$(pdfinfo -box "$pdf" | awk '/^TrimBox:/ { print $2 }')"
  pdftoppm -r 30 -png -singlefile "$pdf" "$tmp/$slug"
  python3 - "$tmp/$slug.png" "$trim" "$out/$slug.png" <<'EOF'
import sys
from PIL import Image

src, trim_pt, dest = sys.argv[1], float(sys.argv[2]), sys.argv[3]
img = Image.open(src).convert("RGB")
cut = round(trim_pt / 72 * 30)
img = img.crop((cut, cut, img.width - cut, img.height - cut))
scale = 640 / max(img.size)
img = img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)
img.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(dest, optimize=True)
EOF
  echo "$out/$slug.png"
done
