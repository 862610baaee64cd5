#!/usr/bin/env python3
"""Makes the wording check's data under site-template/checks/ from its sources.

    python3 scripts/make-check-words.py JIEBA_DICT SAME_STROKE

JIEBA_DICT: jieba/dict.txt of jieba 0.42.1 (`pip download --no-deps --no-binary :all:
jieba==0.42.1`; github.com/fxsjy/jieba, MIT). SAME_STROKE: pycorrector/data/same_stroke.txt
of github.com/shibing624/pycorrector (Apache-2.0; commit 41c5c17 last changed it).

words.txt keeps every single character and every longer word of frequency 100 or more:
what the check needs to segment the text around a candidate (a word of the text there is
seldom rarer than that), at a tenth of the dictionary's size. shapes.txt is same_stroke.txt
with a header: each line a group of characters that look alike.
"""
import sys

MIN_FREQ = 100


def main(jieba_dict, same_stroke):
    rows, singles, entries = [], 0, 0
    for line in open(jieba_dict, encoding="utf-8"):
        word, freq, *_ = line.split()
        entries += 1
        if len(word) == 1 or int(freq) >= MIN_FREQ:
            rows.append((word, int(freq)))
            singles += len(word) == 1
    rows.sort()
    header = f"""# 常用词表 · Word list for the wording check (zhanting check / build)
#
# Derived from jieba's dictionary (jieba/dict.txt of jieba 0.42.1, the PyPI release of
# github.com/fxsjy/jieba; MIT licence, Copyright (c) 2013 Sun Junyi, see LICENSES.md):
# every single character ({singles:,}) and every longer word whose frequency there is
# {MIN_FREQ} or more ({len(rows) - singles:,}), of its {entries:,} entries. One "word frequency"
# pair a line, sorted. The check uses it to tell ordinary wording (党的基层组织,
# 社会主义的核心价值观) from a typo of a canonical term, and to weigh a replaced first or
# last character. Made with scripts/make-check-words.py.
"""
    with open("site-template/checks/words.txt", "w", encoding="utf-8") as out:
        out.write(header)
        out.writelines(f"{w} {f}\n" for w, f in rows)
    groups = [l.split() for l in open(same_stroke, encoding="utf-8")]
    groups = [g for g in groups if len(g) >= 2]
    header = """# 形近字表 · Characters that look alike, for the wording check
#
# pycorrector's same_stroke.txt (pycorrector/data/same_stroke.txt of
# github.com/shibing624/pycorrector, Apache License 2.0, see LICENSES.md), unchanged but
# for this header and single spaces: each line one group of characters that look alike
# (教育 typed 教肓). A character replaced by another of one of its groups is a typo.
"""
    with open("site-template/checks/shapes.txt", "w", encoding="utf-8") as out:
        out.write(header)
        out.writelines(" ".join(g) + "\n" for g in groups)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
