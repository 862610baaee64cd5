#!/usr/bin/env python3
"""serve's first save, as a user feels it: start `zhanting serve`, and as soon as the
first page is served, save a page atomically (a temporary file renamed over it); the
time from that save until the served page shows the change. Then a second save 1.5 s
later (the follow-up work is done by then: the time of every later save).

    python3 benches/serve-first-save.py --bin target/release/zhanting --site example-site [--runs 5]

Each run starts a new server on a fresh copy of the site: `--cold` copies the site
without its `.zhanting-cache` each time (boards are laid out anew, as on a first serve);
by default the copy is made once and its cache is filled by a first server before the
runs (as on a user's later days). Prints the start (first page served), the first save
and the second save of each run, and their medians.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except OSError:
        return 0, ""


def wait_until(check, timeout=60.0):
    """Seconds until check() is true, polling every 2 ms."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if check():
            return time.perf_counter() - start
        time.sleep(0.002)
    raise SystemExit("timed out")


def save(path, text):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp-save")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def serve(binary, root):
    proc = subprocess.Popen(
        [binary, "serve", root, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "LANG": "C"},
        text=True,
    )
    url = proc.stdout.readline().split(" at ")[1].strip()
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    return proc, url


def one_run(binary, root, page, rel_url, mark):
    start = time.perf_counter()
    proc, url = serve(binary, root)
    try:
        wait_until(lambda: fetch(url)[0] == 200)
        started = time.perf_counter() - start
        original = open(page, encoding="utf-8").read()
        times = []
        for i in range(2):
            text = f"{mark}{i}号"
            save(page, original + f"\n\n{text}。\n")
            times.append(wait_until(lambda: text in fetch(url + rel_url)[1]))
            time.sleep(1.5)
        save(page, original)
        time.sleep(0.5)
        return started, times[0], times[1]
    finally:
        proc.terminate()
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cold", action="store_true", help="no board or photo cache")
    ap.add_argument("--page", help="the page to edit, site-relative (default: the first news page)")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="zt-first-save-")
    root = os.path.join(tmp, "site")

    def copy():
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(args.site, root, ignore=shutil.ignore_patterns("public", ".zhanting-cache"))

    copy()
    if args.page:
        rel = args.page
    else:
        news = os.path.join(root, "content", "news")
        rel = "content/news/" + sorted(p for p in os.listdir(news) if p.endswith(".md") and p != "_index.md")[0]
    rel_url = rel[len("content/"):-len(".md")] + "/"
    if not args.cold:
        # Fill the caches (boards, photos) as an earlier session would have.
        proc, url = serve(args.bin, root)
        wait_until(lambda: fetch(url)[0] == 200)
        time.sleep(15)
        proc.terminate()
        proc.wait()
    rows = []
    for r in range(args.runs):
        if args.cold:
            copy()
        rows.append(one_run(args.bin, root, os.path.join(root, rel), rel_url, f"首次保存标记{r}-"))
        print(f"run {r + 1}: start {rows[-1][0] * 1000:6.0f} ms, first save {rows[-1][1] * 1000:6.0f} ms,"
              f" second save {rows[-1][2] * 1000:6.0f} ms", file=sys.stderr, flush=True)
    for i, what in enumerate(["first page served", "first save", "second save"]):
        t = [row[i] * 1000 for row in rows]
        print(f"{what:<18} median {statistics.median(t):7.0f} ms  (min {min(t):6.0f}, max {max(t):6.0f})")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
