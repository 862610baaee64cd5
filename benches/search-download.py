#!/usr/bin/env python3
"""What a visitor downloads for a search, measured in headless Chromium: the search
page of a built site is opened with `?q=QUERY` over HTTP (Python's server, no
compression), and the harness counts the bytes of the index files (`/search/*.js`) the
page has loaded when the first results show, and again once it has settled (the count
completed in the background, if it needed more). Goal (issue 19): at most 150 KB before
the results show, for 学习交流 on the 10,000-page benchmark site.

    python3 benches/search-download.py --out /tmp/zo-10000 [QUERY …]

The site must be built with `search: true` (benches/compare.sh's generated site has it
off; `bash benches/search.sh` builds one with it on and runs this).
"""

import argparse
import functools
import http.server
import json
import os
import re
import subprocess
import tempfile
import threading
import urllib.parse

GOAL_KB = 150

HARNESS = """<!DOCTYPE html><meta charset="utf-8"><iframe id="f" src="SRC"></iframe><pre id="out">pending</pre>
<script>
var f = document.getElementById('f'), first = null, t0 = performance.now();
function bytes(w) {
  return w.performance.getEntriesByType('resource').filter(function (e) { return /\\/search\\/[^/]+\\.js$/.test(e.name); })
    .reduce(function (a, e) { return { n: a.n + 1, b: a.b + e.encodedBodySize }; }, { n: 0, b: 0 });
}
var poll = setInterval(function () {
  var w = f.contentWindow, d = w && w.document;
  if (!d || !d.getElementById('zt-results')) return;
  var li = d.querySelectorAll('#zt-results li');
  if (first === null && li.length) first = bytes(w);
}, 2);
setTimeout(function () {
  clearInterval(poll);
  var w = f.contentWindow, d = w.document;
  document.getElementById('out').textContent = 'RESULT ' + JSON.stringify({
    first: first, settled: bytes(w), status: d.getElementById('zt-status').textContent,
    results: d.querySelectorAll('#zt-results li').length });
}, 8000);
</script>"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True, help="a built site with search")
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("queries", nargs="*", default=["学习交流", "学习", "志愿服务", "党"])
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    handler = functools.partial(QuietHandler, directory=out)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    harness = os.path.join(out, "zt-bench-harness.html")
    worst = 0
    try:
        for q in a.queries:
            src = "/search/?q=" + urllib.parse.quote(q)
            with open(harness, "w", encoding="utf-8") as f:
                f.write(HARNESS.replace("SRC", src))
            with tempfile.TemporaryDirectory() as profile:
                dom = subprocess.run(
                    [a.chromium, "--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--no-first-run",
                     f"--user-data-dir={profile}", "--virtual-time-budget=10000",
                     "--dump-dom", f"http://127.0.0.1:{port}/zt-bench-harness.html"],
                    capture_output=True, text=True, timeout=120).stdout
            m = re.search(r"RESULT (\{.*?\})\s*<", dom) or re.search(r"RESULT (\{.*\})", dom)
            if not m:
                print(f"{q}: no result from the harness")
                worst = float("inf")
                continue
            r = json.loads(m.group(1).replace("&quot;", '"'))
            first = r["first"] or {"b": 0, "n": 0}
            kb = first["b"] / 1024
            if q == a.queries[0]:
                worst = kb
            print(f"{q:8} before results {kb:6.1f} KB ({first['n']} files); "
                  f"settled {r['settled']['b'] / 1024:6.1f} KB ({r['settled']['n']} files); "
                  f"{r['results']} shown; {r['status']}")
    finally:
        os.remove(harness)
        server.shutdown()
    verdict = "met" if worst <= GOAL_KB else "not met"
    print(f"search download for {a.queries[0]}: {worst:.1f} KB before results (goal ≤ {GOAL_KB} KB: {verdict})")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    main()
