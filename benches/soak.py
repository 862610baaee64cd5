#!/usr/bin/env python3
"""A long soak of `zhanting serve`, loopback only: while an editor saves files of every
kind at random (a page's body, its front matter, YAML, a photo added or removed, a file
broken and then fixed, a page added or removed), readers fetch pages, assets, pictures
and the site's video with Range requests, and live-reload streams
(`/__zhanting/events`) come and go. The server's memory is sampled every 10 s.

    python3 benches/soak.py --bin target/release/zhanting [--minutes 30]

It passes when, at the end:
- memory did not grow by more than 10% after the warm-up (the first 5 minutes, in which
  every kind of edit was made at least once): the median of the last 5 minutes' samples
  against that of the 5 minutes after the warm-up (a single sample is lifted for a
  moment by a rebuild: a board laid out, a photo decoded);
- every file the server serves equals what a fresh server of the same folder (a full
  build) serves, crawled from `/` and the sitemap;
- no request failed except while a file was broken (and none is expected then either:
  the server keeps serving the last good build);
- the server is still running, and its output holds no panic.

The site (default `example-site`, which has albums, boards and a video) is copied to a
temporary folder first. Prints the figures; `--json FILE` writes every sample and count.
Exit code 0 when every condition holds, 1 otherwise.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_EVERY = 10.0
# A failure this long after a file was fixed still counts as during the broken state.
GRACE = 2.0


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, file=sys.stderr, flush=True)


class Stats:
    """Every request made, shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.failures = []  # (time, what, url, reason)
        self.broken = []  # [start, end] of each broken state
        self.edits = {}
        self.sse = {"opened": 0, "events": 0, "failed": 0}

    def count(self, what, n=1):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + n

    def fail(self, what, url, reason):
        with self.lock:
            self.failures.append((time.time(), what, url, str(reason)[:200]))

    def edited(self, kind):
        with self.lock:
            self.edits[kind] = self.edits.get(kind, 0) + 1

    def during_broken(self, t):
        with self.lock:
            return any(s <= t <= (e if e else t) + GRACE for s, e in self.broken)


class Client:
    """One keep-alive connection to the server, made again after an error."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.conn = None

    def get(self, path, headers=None, timeout=30):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
            try:
                self.conn.request("GET", path, headers=headers or {})
                r = self.conn.getresponse()
                return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed between requests: once more
                # on a new one, as browsers do.
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
            except Exception:
                self.conn.close()
                self.conn = None
                raise


def links(html, base_path="/"):
    """Same-origin paths an HTML page links to or loads: links, sources, every size of
    a responsive picture, and the link card a share preview shows."""
    found = [m.group(1) for m in re.finditer(r'(?:href|src|poster)="([^"#?]+)', html)]
    for m in re.finditer(r'srcset="([^"]+)"', html):
        found += [c.strip().split(" ")[0] for c in m.group(1).split(",") if c.strip()]
    found += [m.group(1) for m in re.finditer(r'content="((?:http://127\.0\.0\.1[:/]|/)[^"#?]*)"', html)]
    out = set()
    for u in found:
        if u.startswith("http://127.0.0.1") or u.startswith("http://localhost"):
            u = urllib.parse.urlsplit(u).path
        if u.startswith("/") and not u.startswith("//") and not u.startswith("/__zhanting"):
            out.add(u)
        elif not re.match(r"^[a-z]+:", u) and not u.startswith("/"):
            out.add(urllib.parse.urljoin(base_path, u))
    return out


def crawl(host, port, base):
    """Every path the site at host:port serves, from `/`, the sitemap and the 404 page:
    path → body."""
    c = Client(host, port)
    todo = ["/", "/sitemap.xml", "/feed.xml", "/robots.txt", "/404.html", "/search/"]
    seen = {}
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        status, headers, body = c.get(path, timeout=120)
        seen[path] = (status, body)
        ctype = headers.get("content-type", "")
        if status == 200 and ("html" in ctype or "xml" in ctype):
            text = body.decode("utf-8", "replace")
            found = links(text, path)
            found.update(urllib.parse.urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", text))
            todo.extend(p for p in found if p not in seen)
    return seen


def set_key(text, key, value):
    """`text` (a page with front matter, or YAML) with `key: value` on its key's line."""
    line = f"{key}: {value}"
    if re.search(rf"^{key}:", text, flags=re.M):
        return re.sub(rf"^{key}:.*$", lambda _: line, text, count=1, flags=re.M)
    if text.startswith("---\n"):
        return "---\n" + line + "\n" + text[4:]
    return line + "\n" + text


def with_tag(text, tag):
    """The tags of page `text` as a flow list, with `tag` added."""
    m = re.search(r"^tags: \[(.*)\]\s*$", text, re.M)
    tags = [t.strip() for t in m.group(1).split(",") if t.strip()] if m else []
    return "[" + ", ".join(tags + [tag]) + "]"


class Editor:
    """Saves files of the site at random, as a person at an editor does."""

    KINDS = ["body", "front matter", "yaml", "photo added", "photo removed", "broken",
             "page added", "page removed"]

    def __init__(self, site, stats, rng, tmp):
        self.site, self.stats, self.rng, self.tmp = site, stats, rng, tmp
        self.pages = sorted(
            os.path.relpath(os.path.join(d, f), site)
            for d, _, fs in os.walk(os.path.join(site, "content"))
            for f in fs
            if f.endswith(".md") and f != "_index.md"
        )
        self.albums = sorted(
            a for a in os.listdir(os.path.join(site, "albums"))
            if os.path.isfile(os.path.join(site, "albums", a, "album.yaml"))
        )
        self.original = {p: self.read(p) for p in self.pages}
        self.added_photos = []
        self.added_pages = []
        self.n = 0

    def read(self, rel):
        with open(os.path.join(self.site, rel), encoding="utf-8") as f:
            return f.read()

    def save(self, rel, text):
        """An editor's save: mostly a temporary file renamed over the file, sometimes the
        file written in place."""
        path = os.path.join(self.site, rel)
        if self.rng.random() < 0.2 and os.path.exists(path):
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            return
        tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".soak~")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.rename(tmp, path)

    def edit(self, kind):
        self.n += 1
        n, rng = self.n, self.rng
        if kind == "body":
            page = rng.choice(self.pages)
            self.save(page, self.original[page] + f"\n\n浸泡测试第{n}次修改的正文。\n")
        elif kind == "front matter":
            page = rng.choice(self.pages)
            text = self.read(page)
            text = rng.choice([
                lambda t: set_key(t, "summary", f"浸泡测试摘要{n}"),
                # A tag added to the page's own (a tag page taken away would be a
                # page that rightly goes).
                lambda t: set_key(t, "tags", with_tag(self.original[page], f"标签{n % 5}")),
                # The title with a number in front (unless it is quoted).
                lambda t: t if re.search(r"^title: [\"']", t, re.M)
                else re.sub(r"^title: (〔\d+〕)?", f"title: 〔{n}〕", t, count=1, flags=re.M),
            ])(self.original[page] if rng.random() < 0.3 else text)
            self.save(page, text)
        elif kind == "yaml":
            which = rng.choice(["brand", "album"])
            if which == "brand":
                self.save("brand.yaml", set_key(self.read("brand.yaml"), "slogan", f"浸泡测试口号{n}"))
            else:
                rel = os.path.join("albums", rng.choice(self.albums), "album.yaml")
                self.save(rel, set_key(self.read(rel), "description", f"浸泡测试相册说明{n}"))
        elif kind == "photo added" or (kind == "photo removed" and not self.added_photos):
            album = rng.choice(self.albums)
            folder = os.path.join(self.site, "albums", album)
            sample = rng.choice(sorted(f for f in os.listdir(folder) if f.lower().endswith(".jpg")
                                       and not f.startswith("zz-soak")))
            tmp = os.path.join(self.tmp, f"soak-{n}.jpg")
            shutil.copy(os.path.join(folder, sample), tmp)
            with open(tmp, "ab") as f:
                f.write(n.to_bytes(4, "little"))  # another file, the same picture
            target = os.path.join(folder, f"zz-soak-{n}.jpg")
            os.rename(tmp, target)
            self.added_photos.append(target)
            if len(self.added_photos) > 4:
                os.remove(self.added_photos.pop(0))
        elif kind == "photo removed":
            os.remove(self.added_photos.pop(rng.randrange(len(self.added_photos))))
        elif kind == "broken":
            self.broken(n)
        elif kind == "page added" or (kind == "page removed" and not self.added_pages):
            rel = os.path.join("content", "news", f"soak-{n}.md")
            self.save(rel, f"---\ntitle: 浸泡测试新页面{n}\ndate: 2026-05-{n % 28 + 1:02d}\n"
                           f"tags: [浸泡测试]\n---\n\n新页面的正文{n}。\n")
            self.added_pages.append(rel)
            if len(self.added_pages) > 5:
                os.remove(os.path.join(self.site, self.added_pages.pop(0)))
        elif kind == "page removed":
            rel = self.added_pages.pop(rng.randrange(len(self.added_pages)))
            os.remove(os.path.join(self.site, rel))

    def broken(self, n):
        """A file broken, left so for a moment while readers read, then fixed."""
        rng = self.rng
        how = rng.choice(["yaml", "front matter", "missing picture"])
        if how == "yaml":
            rel = "brand.yaml"
            good = self.read(rel)
            bad = set_key(good, "slogan", f"\"未闭合的引号{n}")
        elif how == "front matter":
            rel = rng.choice(self.pages)
            good = self.read(rel)
            bad = good.replace("---\n", f"---\ntitle: [未闭合{n}\n", 1)
        else:
            rel = rng.choice(self.pages)
            good = self.read(rel)
            bad = good + f"\n\n![不存在的图片](nope-{n}.jpg)\n"
        with self.stats.lock:
            self.stats.broken.append([time.time(), None])
        self.save(rel, bad)
        time.sleep(rng.uniform(0.5, 4.0))
        self.save(rel, good)
        with self.stats.lock:
            self.stats.broken[-1][1] = time.time()

    def run(self, stop, started_all):
        # Every kind once first (in the warm-up), then at random.
        order = list(self.KINDS)
        self.rng.shuffle(order)
        while not stop.is_set():
            kind = order.pop() if order else self.rng.choice(self.KINDS)
            if not order:
                started_all.set()
            try:
                self.edit(kind)
                self.stats.edited(kind)
            except Exception as e:  # the soak's own mistake: say so, go on
                log(f"edit {kind} failed: {e!r}")
                self.stats.fail("edit", kind, e)
            stop.wait(self.rng.uniform(0.2, 2.5))


def reader(host, port, targets, video, stats, stop, rng):
    """Fetches pages, assets and pictures, and parts of the video, as browsers do."""
    c = Client(host, port)
    while not stop.is_set():
        roll = rng.random()
        try:
            if roll < 0.15 and video:
                path, data = video
                a = rng.randrange(len(data))
                b = min(len(data) - 1, a + rng.randrange(1, 64 * 1024))
                spec = rng.choice([f"bytes={a}-{b}", f"bytes={a}-", f"bytes=-{len(data) - a}"])
                status, h, body = c.get(path, {"Range": spec})
                want = data[a:b + 1] if spec == f"bytes={a}-{b}" else data[a:]
                if status != 206 or body != want or not h.get("content-range", "").startswith(f"bytes {a}-"):
                    stats.fail("video", f"{path} {spec}", f"status {status}, {len(body)} bytes")
                stats.count("video ranges")
            elif roll < 0.6:
                path = rng.choice(targets["pages"])
                status, _, body = c.get(path)
                if status != 200 or not body.rstrip().endswith(b"</html>"):
                    stats.fail("page", path, f"status {status}, {len(body)} bytes")
                stats.count("pages")
            else:
                path = rng.choice(targets["files"])
                status, _, body = c.get(path)
                if status != 200 or not body:
                    stats.fail("file", path, f"status {status}")
                stats.count("assets and pictures")
        except Exception as e:
            stats.fail("request", "?", e)
        stop.wait(rng.uniform(0.0, 0.05))


def live_reload(host, port, stats, stop, rng):
    """Live-reload streams that open, listen a while, and go (some abruptly)."""
    while not stop.is_set():
        s = None
        try:
            s = socket.create_connection((host, port), timeout=5)
            s.sendall(b"GET /__zhanting/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Accept: text/event-stream\r\n\r\n")
            s.settimeout(0.5)
            head = b""
            deadline = time.time() + 10
            while b"\r\n\r\n" not in head and time.time() < deadline:
                try:
                    chunk = s.recv(4096)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                head += chunk
            if not head.startswith(b"HTTP/1.1 200") or b"text/event-stream" not in head.lower():
                stats.fail("live reload", "/__zhanting/events", head[:80])
                with stats.lock:
                    stats.sse["failed"] += 1
                continue
            with stats.lock:
                stats.sse["opened"] += 1
            until = time.time() + rng.uniform(1, 30)
            got = head.split(b"\r\n\r\n", 1)[1]
            while time.time() < until and not stop.is_set():
                try:
                    chunk = s.recv(4096)
                except socket.timeout:
                    continue
                if not chunk:
                    stats.fail("live reload", "/__zhanting/events", "closed by the server")
                    break
                got += chunk
            with stats.lock:
                stats.sse["events"] += got.count(b"\nevent:") + got.startswith(b"event:")
        except Exception as e:
            stats.fail("live reload", "/__zhanting/events", e)
        finally:
            if s:
                if rng.random() < 0.5:
                    s.shutdown(socket.SHUT_RDWR)  # gone mid-stream, as a closed tab
                s.close()
        stop.wait(rng.uniform(0, 3))


def sampler(pid, samples, stop, t0):
    while True:
        try:
            status = open(f"/proc/{pid}/status").read()
            field = lambda k: int(re.search(rf"^{k}:\s+(\d+)", status, re.M).group(1))
            fds = len(os.listdir(f"/proc/{pid}/fd"))
            samples.append({"t": round(time.time() - t0, 1), "rss_kb": field("VmRSS"),
                            "hwm_kb": field("VmHWM"), "threads": field("Threads"), "fds": fds})
        except (OSError, AttributeError):
            return
        if stop.wait(SAMPLE_EVERY):
            return


def start_server(binary, site, log_file):
    proc = subprocess.Popen(
        [binary, "serve", site, "--port", "0"],
        stdout=subprocess.PIPE, stderr=log_file, env={**os.environ, "LANG": "C"}, text=True,
    )
    line = proc.stdout.readline()
    url = line.split(" at ")[1].strip()
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    u = urllib.parse.urlsplit(url)
    c = Client(u.hostname, u.port)
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if c.get("/")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    return proc, url, u.hostname, u.port


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""The run that judges serve: a release binary, 30 minutes, on a quiet machine
(nothing else compiling or fuzzing: a saturated machine times requests out and
lifts memory), at normal priority:

    cargo build --release
    python3 benches/soak.py --bin target/release/zhanting --minutes 30 --json soak.json

or with a binary built elsewhere: --bin /work/bins/zhanting-COMMIT. A shorter look
(say 12 minutes) needs a shorter warm-up and window so the two windows do not
overlap: --minutes 12 --warmup 3 --window 3. Exit code 0 when every condition held.""")
    ap.add_argument("--bin", default=os.path.join(REPO, "target/release/zhanting"),
                    help="the zhanting binary to serve with; a release build, not a debug "
                         "one (default: %(default)s)")
    ap.add_argument("--site", default=os.path.join(REPO, "example-site"),
                    help="the site to soak, copied to a temporary folder first "
                         "(default: %(default)s)")
    ap.add_argument("--minutes", type=float, default=30,
                    help="how long to soak (default: %(default)s, the issue's criterion)")
    ap.add_argument("--warmup", type=float, default=5, help="minutes before memory must hold")
    ap.add_argument("--window", type=float, default=5,
                    help="minutes of samples whose median is a memory level")
    ap.add_argument("--readers", type=int, default=3)
    ap.add_argument("--streams", type=int, default=4, help="live-reload streams at a time")
    ap.add_argument("--seed", type=int, default=37)
    ap.add_argument("--json", help="file for every sample and count")
    ap.add_argument("--log", help="file for the server's output (default: in the temp folder)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="zt-soak-")
    site = os.path.join(tmp, "site")
    shutil.copytree(args.site, site, ignore=shutil.ignore_patterns("public", ".zhanting-cache"))
    log_path = args.log or os.path.join(tmp, "serve.log")
    server_log = open(log_path, "w")
    stats = Stats()
    proc, url, host, port = start_server(args.bin, site, server_log)
    t0 = time.time()
    log(f"serving {site} at {url} (pid {proc.pid}); {args.minutes:g} minutes")

    # What the readers read: every page and file of the first build.
    first = crawl(host, port, url)
    pages = sorted(p for p, (s, b) in first.items() if s == 200 and b.rstrip().endswith(b"</html>"))
    # Not the link cards, named by what they show: a title edited names its card anew,
    # and the old name is rightly gone.
    files = sorted(p for p, (s, b) in first.items() if s == 200 and p not in pages
                   and not p.endswith((".mp4", ".webm")) and not p.startswith("/media/cards/"))
    video = None
    for p, (s, b) in first.items():
        if p.endswith(".mp4") and s == 200:
            video = (p, b)
    log(f"{len(pages)} pages, {len(files)} other files, video {video[0] if video else 'none'}")
    targets = {"pages": pages, "files": files}

    stop = threading.Event()
    samples = []
    started_all = threading.Event()
    editor = Editor(site, stats, random.Random(rng.random()), tmp)
    threads = [threading.Thread(target=sampler, args=(proc.pid, samples, stop, t0))]
    threads.append(threading.Thread(target=editor.run, args=(stop, started_all)))
    for i in range(args.readers):
        threads.append(threading.Thread(
            target=reader, args=(host, port, targets, video, stats, stop, random.Random(rng.random()))))
    for i in range(args.streams):
        threads.append(threading.Thread(
            target=live_reload, args=(host, port, stats, stop, random.Random(rng.random()))))
    for t in threads:
        t.start()
    end = t0 + args.minutes * 60
    while time.time() < end and proc.poll() is None:
        time.sleep(min(30, max(0.1, end - time.time())))
        if samples:
            s = samples[-1]
            log(f"{s['t'] / 60:5.1f} min  RSS {s['rss_kb'] / 1024:6.1f} MB  threads {s['threads']}  "
                f"fds {s['fds']}  requests {sum(stats.counts.values())}  edits {sum(stats.edits.values())}  "
                f"failures {len(stats.failures)}")
    stop.set()
    for t in threads:
        t.join()
    alive = proc.poll() is None

    # Let the last edits settle (boards, search index), then compare with a full build.
    time.sleep(8)
    differ, compared = [], 0
    if alive:
        fresh, fresh_url, fhost, fport = start_server(args.bin, site, open(log_path + ".fresh", "w"))
        try:
            time.sleep(3)
            soaked = crawl(host, port, url)
            full = crawl(fhost, fport, fresh_url)
            for path in sorted(set(soaked) | set(full)):
                a = soaked.get(path)
                b = full.get(path)
                if b is not None:
                    b = (b[0], b[1].replace(fresh_url.encode(), url.encode())
                         .replace(f"127.0.0.1:{fport}".encode(), f"127.0.0.1:{port}".encode()))
                compared += 1
                if a != b:
                    differ.append(path)
        finally:
            fresh.terminate()
            fresh.wait()
        proc.terminate()
        proc.wait()
    server_log.close()
    output = open(log_path).read()
    panics = output.count("panicked")

    # Memory: how much the server holds once warm, against what it held at the end.
    # Rebuilds (a board laid out, a photo decoded) lift single samples for a moment, so
    # each level is the median of a window of samples: the first window after the
    # warm-up, and the last.
    later = [s for s in samples if s["t"] > args.warmup * 60]
    window = max(1, int(args.window * 60 / SAMPLE_EVERY))
    first_level = statistics.median(s["rss_kb"] for s in later[:window]) if later else 0
    last_level = statistics.median(s["rss_kb"] for s in later[-window:]) if later else 0
    growth = (last_level - first_level) / first_level * 100 if first_level else 0.0
    peak = max((s["rss_kb"] for s in samples), default=0)
    slope = 0.0
    if len(later) > 2:
        xs = [s["t"] / 3600 for s in later]
        ys = [s["rss_kb"] / 1024 for s in later]
        mx, my = statistics.mean(xs), statistics.mean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    excused = [f for f in stats.failures if stats.during_broken(f[0]) and f[1] != "edit"]
    failed = [f for f in stats.failures if f not in excused]

    mb = lambda kb: kb / 1024
    print(f"soak of zhanting serve: {args.minutes:g} minutes, seed {args.seed}, site {args.site}")
    print(f"edits       {sum(stats.edits.values())}: " +
          ", ".join(f"{k} {v}" for k, v in sorted(stats.edits.items())))
    print(f"broken      {len(stats.broken)} times, "
          f"{sum((e or s) - s for s, e in stats.broken):.0f} s in all")
    print(f"requests    {sum(stats.counts.values())}: " +
          ", ".join(f"{k} {v}" for k, v in sorted(stats.counts.items())))
    print(f"live reload {stats.sse['opened']} streams opened, {stats.sse['events']} events, "
          f"{stats.sse['failed']} refused")
    print(f"failures    {len(failed)} (and {len(excused)} while a file was broken)")
    for f in failed[:10]:
        print(f"  {f[0] - t0:7.1f} s  {f[1]} {f[2]}: {f[3]}")
    print("memory      RSS every 10 s (MB): " +
          " ".join(f"{mb(s['rss_kb']):.0f}" for s in samples))
    print(f"            after the warm-up {mb(first_level):.1f} MB, at the end {mb(last_level):.1f} MB "
          f"(medians of {window} samples: {growth:+.1f}%, limit +10%); peak {mb(peak):.1f} MB; "
          f"trend after the warm-up {slope:+.1f} MB/hour; threads {samples[-1]['threads'] if samples else '?'}, "
          f"open files {min(s['fds'] for s in samples) if samples else '?'}–"
          f"{max(s['fds'] for s in samples) if samples else '?'}")
    print(f"full build  {compared} files compared, {len(differ)} differ" +
          (": " + ", ".join(differ[:10]) if differ else ""))
    print(f"server      {'running to the end' if alive else 'DIED'}; {panics} panics in its output "
          f"({log_path})")
    ok = (alive and not differ and not failed and not panics and growth <= 10.0
          and started_all.is_set() and compared > 0)
    print("PASS" if ok else "FAIL")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"samples": samples, "counts": stats.counts, "edits": stats.edits,
                       "sse": stats.sse, "failures": stats.failures, "broken": stats.broken,
                       "differ": differ, "compared": compared, "growth_percent": growth,
                       "level_after_warmup_kb": first_level, "level_at_end_kb": last_level,
                       "peak_kb": peak, "panics": panics}, f, indent=1)
    if ok:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
