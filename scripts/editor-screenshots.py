#!/usr/bin/env python3
"""The user guide's screenshots of the browser editor (docs/content/guide/img/editor-*):
serves a copy of the example site and photographs the editor in headless Chromium once
it has drawn (the editor fills its page from its API, so a plain --screenshot would catch
it empty). Run by scripts/docs-screenshots.sh; alone:

    python3 scripts/editor-screenshots.py [path/to/zhanting] [OUT_DIR]
"""

import base64
import importlib.util
import os
import sys
import time
import urllib.parse

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..")
spec = importlib.util.spec_from_file_location("bench_editor", os.path.join(root, "benches", "editor.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

PAGE = "content/news/2025-qiyi-zhutidangri.md"


def shoot(url, ready_js, width, height, out):
    with bench.Chromium(width, height, ["--lang=zh-CN"]) as cdp:
        cdp.call("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        cdp.call("Page.navigate", {"url": url})
        bench.wait_for(cdp, ready_js, timeout=20)
        time.sleep(1.0)  # fonts, pictures and the preview's frame settle
        shot = cdp.call("Page.captureScreenshot", {"format": "png"})
        with open(out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(out)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target", "release", "zhanting")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "docs", "content", "guide", "img")
    proc, addr, tmp = bench.serve(binary, os.path.join(root, "example-site"), "zh_CN.UTF-8")
    try:
        home = f"http://{addr}/__zhanting/edit/"
        page = f"http://{addr}/__zhanting/edit/page?path={urllib.parse.quote(PAGE)}"
        home_ready = "document.querySelectorAll('main a').length > 3"
        page_ready = ("!!document.querySelector('.cm-content') && document.querySelector('.preview-pane iframe')"
                      " && document.querySelector('.preview-pane iframe').contentDocument.readyState == 'complete'")
        shoot(home, home_ready, 1280, 900, os.path.join(out, "editor-home-desktop.png"))
        shoot(page, page_ready, 1280, 900, os.path.join(out, "editor-page-desktop.png"))
    finally:
        bench.stop(proc, tmp)


if __name__ == "__main__":
    main()
