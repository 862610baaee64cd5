"""The text of a board's PDF as PyMuPDF sees it, for tests/board_design.rs: every line
(with its PyMuPDF block) and span (text, size in pt, glyph box), and every filled box
drawn, as JSON on stdout. Usage: python3 board_spans.py BOARD.pdf"""

import json
import sys

import pymupdf

page = pymupdf.open(sys.argv[1])[0]
# Punctuation is set in half its box at a line's ends (CJK compression), so a span's box
# is its characters' boxes without punctuation and spaces.
MARKS = set("，。、；：？！…）》〉】〕」』”’（《〈【〔「『“‘·—,.;:?!()[] \u3000")
lines = []
flags = pymupdf.TEXTFLAGS_RAWDICT | pymupdf.TEXT_ACCURATE_BBOXES
for b, block in enumerate(page.get_text("rawdict", flags=flags)["blocks"]):
    for line in block.get("lines", []):
        spans = []
        for s in line["spans"]:
            text = "".join(c["c"] for c in s["chars"])
            inked = [c["bbox"] for c in s["chars"] if c["c"] not in MARKS] or [c["bbox"] for c in s["chars"]]
            if not text.strip():
                continue
            box = [min(r[0] for r in inked), min(r[1] for r in inked), max(r[2] for r in inked), max(r[3] for r in inked)]
            spans.append({"text": text, "size": s["size"], "bbox": box})
        if spans:
            lines.append({"block": b, "spans": spans})
# Filled shapes, without the page's background.
area = page.rect.width * page.rect.height
boxes = [
    list(d["rect"])
    for d in page.get_drawings()
    if d.get("fill") is not None and d["rect"].width * d["rect"].height < 0.9 * area
]
json.dump({"width": page.rect.width, "height": page.rect.height, "lines": lines, "boxes": boxes}, sys.stdout, ensure_ascii=False)
