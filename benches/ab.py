#!/usr/bin/env python3
"""Two or more zhanting binaries (and Hugo with HUGO=1) side by side: each builds the
10,000-page site of compare.sh and the 20-branch portal of portal.sh, alternately, RUNS
times, each into a new folder under OUT (a tmpfs gives steadier figures than the disk);
each binary builds its own copy of the sites, so its caches are its own. Prints the
median, min–max wall time and median peak memory of each.

    bash benches/compare.sh; bash benches/portal.sh   # makes the sites, once
    OUT=/tmp/tfs RUNS=5 HUGO=1 python3 benches/ab.py BEFORE/zhanting AFTER/zhanting
"""
import os, shutil, statistics as st, subprocess, sys
runs = int(os.environ.get("RUNS", "5"))
bins = sys.argv[1:]
jobs = [("10k", "/tmp/zhanting-compare/zt-10000"), ("portal", "/tmp/zhanting-portal/portal")]
res = {}
def measure(cmd):
    subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", "/tmp/ab.time"] + cmd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    e, m = open("/tmp/ab.time").read().split()
    return float(e), int(m) / 1024
def own(b, site):  # each binary its own copy: its caches are its own
    d = f"/tmp/ab-sites/{os.path.basename(b)}/{os.path.basename(site)}"
    if not os.path.exists(d):
        shutil.copytree(site, d, symlinks=True, ignore=shutil.ignore_patterns(".zhanting-cache"))
    return d
for name, site in jobs:
    for b in bins:  # fill caches
        measure([b, "build", own(b, site), "-o", "/tmp/ab-out"]); shutil.rmtree("/tmp/ab-out")
for i in range(runs):
    for name, site in jobs:
        order = bins if i % 2 == 0 else bins[::-1]
        for b in order:
            out = os.environ.get("OUT", "/tmp") + f"/ab-out-{i}"
            res.setdefault((name, b), []).append(measure([b, "build", own(b, site), "-o", out]))
            shutil.rmtree(out)
        if name == "10k" and os.environ.get("HUGO"):
            out = os.environ.get("OUT", "/tmp") + f"/ab-hugo-{i}"
            res.setdefault((name, "hugo"), []).append(measure(["hugo", "--quiet", "-s", "/tmp/zhanting-compare/hugo-10000", "-d", out]))
            shutil.rmtree(out)
for (name, b), v in res.items():
    t = [x[0] for x in v]; m = [x[1] for x in v]
    print(f"{name:7} {os.path.basename(b):22} {st.median(t):.3f}s ({min(t):.2f}–{max(t):.2f}) {st.median(m):.0f} MB  n={len(t)}")
