#!/usr/bin/env python3
"""Generates the typos the wording check's recall is measured on (tests/checks_quality.rs).

    pip install pypinyin==0.55.0
    python3 scripts/make-typos.py JIEBA_DICT > tests/data/checks/typos.tsv

For every term of 4 or more characters of site-template/checks/terms.txt and every
position in it: a homophone (the commonest character with the same toneless syllable,
by pypinyin), a near-homophone (one of n/l, an/ang, en/eng, in/ing, z/zh, c/ch, s/sh
apart), a look-alike (the commonest other character of its group in
site-template/checks/shapes.txt), and every swap of two neighbours. "Common" is the
character's frequency as a word in jieba's dictionary (JIEBA_DICT, its 3,500 commonest
characters). A variant that is itself a term is left out. Each typo is written into one
of three plain sentences, in turn. pypinyin is independent of the `pinyin` crate the
check uses, so the list does not simply mirror the matcher's own rules.
"""
import sys
from pypinyin import Style, lazy_pinyin, pinyin

CONTEXTS = ["全体党员认真学习{}。", "坚持{}，推动工作落实。", "这是{}的重要内容。"]


def cjk(c):
    return "\u4e00" <= c <= "\u9fff"


def main(jieba_dict):
    freq = {}
    for line in open(jieba_dict, encoding="utf-8"):
        w, f, *_ = line.split()
        if len(w) == 1 and cjk(w):
            freq[w] = int(f)
    common = sorted(freq, key=lambda c: -freq[c])[:3500]
    by_syllable = {}
    for c in common:
        for p in pinyin(c, style=Style.NORMAL, heteronym=True)[0]:
            by_syllable.setdefault(p, []).append(c)
    shapes = {}
    for line in open("site-template/checks/shapes.txt", encoding="utf-8"):
        if line.startswith("#"):
            continue
        group = line.split()
        for c in group:
            shapes.setdefault(c, set()).update(x for x in group if x != c)
    terms, names = [], set()
    for line in open("site-template/checks/terms.txt", encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#") and not line.startswith("["):
            terms.append(line)
    every = set(terms)

    def near_syllables(p):
        out = []
        for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
            if p.startswith(a):
                out.append(b + p[2:])
            elif p.startswith(b):
                out.append(a + p[1:])
        if p.startswith("n"):
            out.append("l" + p[1:])
        elif p.startswith("l"):
            out.append("n" + p[1:])
        if p.endswith("ng"):
            out.append(p[:-1])
        elif p.endswith("n"):
            out.append(p + "g")
        return out

    def pick(cands, term):
        for x in cands:
            if x not in term:
                return x

    def homophone(c, term):
        return pick(by_syllable.get(lazy_pinyin(c)[0], []), term)

    def near(c, term):
        for q in near_syllables(lazy_pinyin(c)[0]):
            x = pick(by_syllable.get(q, []), term)
            if x:
                return x

    def shape(c, term):
        return pick(sorted(shapes.get(c, ()), key=lambda x: -freq.get(x, 0)), term)

    rows = []
    for t in terms:
        if len(t) < 4:
            continue
        for i, c in enumerate(t):
            if not cjk(c):
                continue
            for kind, make in (("homophone", homophone), ("near", near), ("shape", shape)):
                x = make(c, t)
                if x:
                    rows.append((kind, t[:i] + x + t[i + 1 :], t, i))
        for i in range(len(t) - 1):
            if t[i] != t[i + 1]:
                rows.append(("swap", t[:i] + t[i + 1] + t[i] + t[i + 2 :], t, i))
    print("# kind\ttypo\tterm\tposition\tsentence (made by scripts/make-typos.py)")
    n = 0
    for kind, typo, term, i in rows:
        if typo in every:
            continue
        print(f"{kind}\t{typo}\t{term}\t{i}\t{CONTEXTS[n % 3].format(typo)}")
        n += 1


if __name__ == "__main__":
    main(sys.argv[1])
