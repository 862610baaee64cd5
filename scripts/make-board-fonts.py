#!/usr/bin/env python3
"""Makes the CJK fonts zhanting embeds for exhibition boards.

Subsets Noto Sans CJK SC (Regular, Bold) and Noto Serif CJK SC (Regular, Bold) from Debian's
`fonts-noto-cjk` package to the 通用规范汉字表 (all 8,105 characters of the 2013 table,
scripts/tongyong-guifan-hanzi-2013.txt, 196 of them outside the BMP) and GB 2312 (its 6,763
Han characters and its symbols), plus the punctuation, digits, Latin letters (with pinyin's
tone marks), combining marks and signs a board commonly needs. The results are committed
under site-template/fonts/ and included in the binary, so a board comes out right on a
machine without any Chinese font. Licence: SIL Open Font License 1.1
(site-template/fonts/OFL.txt).

    apt-get install -y fonts-noto-cjk && pip install fonttools
    python3 scripts/make-board-fonts.py
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

SRC = "/usr/share/fonts/opentype/noto"
OUT = os.path.join(os.path.dirname(__file__), "..", "site-template", "fonts")
FONTS = [
    ("NotoSansCJK-Regular.ttc", "ZhantingSans-Regular.otf"),
    ("NotoSansCJK-Bold.ttc", "ZhantingSans-Bold.otf"),
    ("NotoSerifCJK-Regular.ttc", "ZhantingSerif-Regular.otf"),
    ("NotoSerifCJK-Bold.ttc", "ZhantingSerif-Bold.otf"),
]
SC = 2  # index of the Simplified Chinese face in each collection


TONGYONG = os.path.join(os.path.dirname(__file__), "tongyong-guifan-hanzi-2013.txt")


def tongyong():
    """The 8,105 characters of the 通用规范汉字表, in the table's order."""
    with open(TONGYONG, encoding="utf-8") as f:
        chars = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    assert len(chars) == 8105 and all(len(c) == 1 for c in chars), "the table has 8,105 characters"
    return chars


def charset():
    chars = {ord(c) for c in tongyong()}
    for cp in range(0x20, 0x10000):
        ch = chr(cp)
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        chars.add(cp)
    ranges = [
        (0x20, 0x7E),  # ASCII
        (0xA0, 0x17F),  # Latin-1, Latin Extended-A (names, °, ±, ×, ·)
        (0x180, 0x24F),  # Latin Extended-B: pinyin's ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
        (0x2B0, 0x2FF),  # spacing modifiers: ˇ ˉ ˊ ˋ
        (0x300, 0x36F),  # combining marks: a macron (U+0304) or caron set over a letter
        (0x2000, 0x206F),  # general punctuation: — … ‘ ’ “ ” • ‰
        (0x2100, 0x214F),  # letterlike: ℃ № ™
        (0x2150, 0x218F),  # number forms: Ⅰ Ⅱ
        (0x2190, 0x21FF),  # arrows
        (0x2460, 0x24FF),  # enclosed numbers ① ⑴ ⒈
        (0x2500, 0x257F),  # box drawing
        (0x25A0, 0x25FF),  # geometric shapes ■ ● ▲ ◆
        (0x2600, 0x26FF),  # ★ ☆
        (0x3000, 0x303F),  # CJK punctuation 「」『』【】〔〕〇
        (0x3200, 0x32FF),  # enclosed CJK ㈠ ㊣
        (0xFE30, 0xFE4F),  # vertical forms
        (0xFF00, 0xFFEF),  # full-width forms
    ]
    for lo, hi in ranges:
        chars.update(range(lo, hi + 1))
    # Characters common in names and places that neither table holds.
    chars.update(ord(c) for c in "喆堃昇珺玥琇淏炜昉曌赟彧媖璟瑄琰頔犇垚淼焱鑫森嫄翀")
    return sorted(chars)


def main():
    os.makedirs(OUT, exist_ok=True)
    unicodes = charset()
    only = set(sys.argv[1:])  # file names to make; all when none are given
    for src, dst in FONTS:
        if only and dst not in only:
            continue
        col = TTCollection(os.path.join(SRC, src))
        font = col.fonts[SC]
        opts = subset.Options()
        opts.layout_features = ["*"]  # keep vert, locl, kerning, proportional forms
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        opts.hinting = False
        opts.desubroutinize = False
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=unicodes)
        sub.subset(font)
        cmap = font.getBestCmap()
        lacking = [c for c in tongyong() if ord(c) not in cmap]
        assert not lacking, f"{dst} lacks {''.join(lacking)}"
        path = os.path.join(OUT, dst)
        font.save(path)
        print(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
