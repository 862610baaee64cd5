#!/usr/bin/env python3
"""Live-preview latency as a user feels it: the time from an editor's atomic save (a
temporary file renamed over the page) until `zhanting serve` serves the page showing the
change, for each kind of edit, over N edits each; plus the time until the first page is
served and the server's peak memory.

    python3 benches/serve-edits.py --bin target/release/zhanting --site /tmp/zt-10000 [--edits 5]

A portal (portal.yaml) is edited in one branch: `--site PORTAL --branch branches/b01` (the
branch's slug is its folder's name); the goal is then 100 ms (issue 17).

Saves are atomic (a temporary file renamed over the page); `--in-place` writes the page
itself instead. The site is copied to a temporary folder first (it is edited). Kinds:
body, title, tag, new page, deleted page, brand.yaml, photo added to an album (an album
with small photos is added to the copy when the site has none). Prints one line per
kind: median, min, max.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

GOAL_MS = 50


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


IN_PLACE = False


def save(path, text):
    """Saves as editors do: a temporary file renamed over the page (with --in-place: the
    page itself truncated and written, as some editors and `echo >` do)."""
    if IN_PLACE:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp-save")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def wait_until(check, timeout=20.0):
    """Seconds until check() is true, polling every 2 ms."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if check():
            return time.perf_counter() - start
        time.sleep(0.002)
    raise SystemExit("timed out waiting for the change to be served")


def set_key(text, key, value):
    """`text` (front matter or YAML) with `key: value`, replacing the key's line."""
    line = f"{key}: {value}"
    if re.search(rf"^{key}:", text, flags=re.M):
        return re.sub(rf"^{key}:.*$", line, text, count=1, flags=re.M)
    if text.startswith("---\n"):
        return "---\n" + line + "\n" + text[4:]
    return line + "\n" + text


def add_album(site):
    """A small album (three 400x300 JPEGs) for the photo edit, when the site has none."""
    from PIL import Image  # gen_site.py needs Pillow too

    folder = os.path.join(site, "albums", "bench-album")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "album.yaml"), "w", encoding="utf-8") as f:
        f.write("title: 测试相册\ndate: 2024-07-01\n")
    for i in range(3):
        Image.new("RGB", (400, 300), (200, 30 + i * 40, 30)).save(
            os.path.join(folder, f"p{i}.jpg"), quality=80
        )
    return "bench-album"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--kinds", default="body,title,tag,new,deleted,brand,photo")
    ap.add_argument("--log", help="file for the server's own output (its stderr)")
    ap.add_argument("--in-place", action="store_true",
                    help="write the files in place instead of saving atomically")
    ap.add_argument("--branch", help="with a portal: the branch folder to edit, inside it")
    ap.add_argument("--gap", type=float, default=1.5,
                    help="seconds between edits: the search index and boards are remade "
                    "300 ms after edits pause, and a user saves less often than that")
    args = ap.parse_args()
    global IN_PLACE
    IN_PLACE = args.in_place
    global GOAL_MS
    tmp = tempfile.mkdtemp(prefix="zt-serve-edits-")
    root = os.path.join(tmp, "site")
    shutil.copytree(args.site, root, ignore=shutil.ignore_patterns("public", ".zhanting-cache"))
    # What is edited: the site, or one branch of the portal (served under /SLUG/).
    site = os.path.join(root, args.branch) if args.branch else root
    prefix = os.path.basename(args.branch.rstrip("/")) + "/" if args.branch else ""
    if args.branch:
        GOAL_MS = 100
    album = None
    if "photo" in args.kinds:
        albums = os.path.join(site, "albums")
        names = sorted(os.listdir(albums)) if os.path.isdir(albums) else []
        album = names[0] if names else add_album(site)
    if not os.path.exists(os.path.join(site, "brand.yaml")):
        save(os.path.join(site, "brand.yaml"), "name: 测试品牌\nslogan: 口号\n")

    start = time.perf_counter()
    proc = subprocess.Popen(
        [args.bin, "serve", root, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=open(args.log, "w") if args.log else subprocess.DEVNULL,
        env={**os.environ, "LANG": "C"},
        text=True,
    )
    url = proc.stdout.readline().split(" at ")[1].strip()
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    wait_until(lambda: fetch(url)[0] == 200, timeout=120)
    url += prefix
    first = time.perf_counter() - start
    print(f"first page served       {first * 1000:8.0f} ms")

    news = os.path.join(site, "content", "news")
    pages = sorted(p for p in os.listdir(news) if p.endswith(".md") and p != "_index.md")
    results = {}

    def page_url(name):
        return url + "news/" + name[:-3] + "/"

    def run(kind, n, edit, served):
        print(f"{kind} …", file=sys.stderr, flush=True)
        t = []
        for i in range(n):
            edit(i)
            t.append(wait_until(lambda: served(i)) * 1000)
            time.sleep(args.gap)  # let follow-up work (search index) finish
        results[kind] = t

    kinds = args.kinds.split(",")
    target = pages[len(pages) // 2]
    path = os.path.join(news, target)
    if "body" in kinds:
        original = open(path, encoding="utf-8").read()
        run("body", args.edits,
            lambda i: save(path, original + f"\n\n正文修改标记{i}号。\n"),
            lambda i: f"正文修改标记{i}号" in fetch(page_url(target))[1])
    if "title" in kinds:
        original = open(path, encoding="utf-8").read()
        run("title", args.edits,
            lambda i: save(path, original.replace("title: ", f"title: 标题标记{i}号", 1)),
            lambda i: f"标题标记{i}号" in fetch(page_url(target))[1])
    if "tag" in kinds:
        original = open(path, encoding="utf-8").read()
        run("tag", args.edits,
            lambda i: save(path, set_key(original, "tags", f"[新标签{i}号]")),
            lambda i: f"新标签{i}号" in fetch(page_url(target))[1])
        save(path, original)
    if "new" in kinds:
        template = open(os.path.join(news, pages[0]), encoding="utf-8").read()
        run("new page", args.edits,
            lambda i: save(os.path.join(news, f"bench-new-{i}.md"),
                                   template.replace("title: ", f"title: 新页面{i}号", 1)),
            lambda i: f"新页面{i}号" in fetch(url + f"news/bench-new-{i}/")[1])
    if "deleted" in kinds:
        # Pages no other page links to: deleting a linked page is an error, not an edit.
        linked = set()
        for p in pages:
            linked.update(re.findall(r"\]\(([^)]+\.md)\)", open(os.path.join(news, p), encoding="utf-8").read()))
        victims = [p for p in pages[1:] if p not in linked][: args.edits]
        run("deleted page", args.edits,
            lambda i: os.remove(os.path.join(news, victims[i])),
            lambda i: fetch(page_url(victims[i]))[0] == 404)
    if "brand" in kinds:
        brand = os.path.join(site, "brand.yaml")
        original = open(brand, encoding="utf-8").read()
        run("brand.yaml", args.edits,
            lambda i: save(brand, set_key(original, "slogan", f"品牌口号{i}号")),
            lambda i: f"品牌口号{i}号" in fetch(url)[1])
    if "photo" in kinds and album:
        folder = os.path.join(site, "albums", album)
        sample = sorted(f for f in os.listdir(folder) if f.lower().endswith(".jpg"))[0]
        before = fetch(url + f"photos/{album}/")[1].count("class=\"gallery-item\"")

        def add(i):
            tmp_photo = os.path.join(tmp, f"added-{i}.jpg")
            shutil.copy(os.path.join(folder, sample), tmp_photo)
            with open(tmp_photo, "ab") as f:
                f.write(b"\0" * (i + 1))  # a different file, same picture
            os.rename(tmp_photo, os.path.join(folder, f"zz-added-{i}.jpg"))

        run("photo added", args.edits, add,
            lambda i: fetch(url + f"photos/{album}/")[1].count("class=\"gallery-item\"") >= before + i + 1)

    with open(f"/proc/{proc.pid}/status") as f:
        peak = next(l for l in f if l.startswith("VmHWM")).split()[1]
    proc.terminate()
    proc.wait()
    for kind, t in results.items():
        med = statistics.median(t)
        mark = "ok" if med <= GOAL_MS else f"over the {GOAL_MS} ms goal"
        print(f"{kind:<22}  median {med:7.1f} ms  (min {min(t):6.1f}, max {max(t):6.1f})  {mark}")
    mb = int(peak) // 1024
    print(f"peak memory             {mb:8d} MB  {'ok' if mb <= 250 else 'over'} (goal ≤ 250 MB)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
