#!/usr/bin/env python3
"""The user guide's screenshots of the browser editor (docs/content/guide/img/editor-*):
serves a copy of the example site and photographs the editor in headless Chromium once
it has drawn (the editor fills its page from its API, so a plain --screenshot would catch
it empty). Run by scripts/docs-screenshots.sh; alone:

    python3 scripts/editor-screenshots.py [path/to/zhanting] [OUT_DIR]
"""

import base64
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..")
spec = importlib.util.spec_from_file_location("bench_editor", os.path.join(root, "benches", "editor.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

PAGE = "content/news/2025-qiyi-zhutidangri.md"


def shoot(url, ready_js, width, height, out):
    profile = tempfile.mkdtemp(prefix="zt-shot-chromium-")
    chrome = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--disable-background-networking", "--no-first-run", "--lang=zh-CN",
         f"--user-data-dir={profile}", "--remote-debugging-port=0",
         f"--window-size={width},{height}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().count("\n") >= 1:
                break
            time.sleep(0.05)
        port = open(port_file).read().split("\n")[0]
        targets = json.loads(bench.request(f"127.0.0.1:{port}", "GET", "/json/list")[2])
        cdp = bench.Cdp(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        cdp.call("Page.enable")
        cdp.call("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        cdp.call("Page.navigate", {"url": url})
        for _ in range(1000):
            if cdp.eval(f"(() => {{ try {{ return !!({ready_js}); }} catch (e) {{ return false; }} }})()"):
                break
            time.sleep(0.02)
        else:
            raise SystemExit(f"timed out opening {url}")
        time.sleep(1.0)  # fonts, pictures and the preview's frame settle
        shot = cdp.call("Page.captureScreenshot", {"format": "png"})
        with open(out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(out)
    finally:
        chrome.terminate()
        chrome.wait()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target", "release", "zhanting")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "docs", "content", "guide", "img")
    tmp = tempfile.mkdtemp(prefix="zt-shot-")
    site = os.path.join(tmp, "site")
    shutil.copytree(os.path.join(root, "example-site"), site,
                    ignore=shutil.ignore_patterns("public", ".zhanting-cache"))
    proc = subprocess.Popen([binary, "serve", site, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env={**os.environ, "LANG": "zh_CN.UTF-8"},
                            text=True)
    try:
        url = proc.stdout.readline().split("：", 1)[1].strip()
        threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
        addr = urllib.parse.urlparse(url).netloc
        for _ in range(12000):
            try:
                if bench.request(addr, "GET", "/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.01)
        home = f"http://{addr}/__zhanting/edit/"
        page = f"http://{addr}/__zhanting/edit/page?path={urllib.parse.quote(PAGE)}"
        album = f"http://{addr}/__zhanting/edit/album?name="
        home_ready = "document.querySelectorAll('main a').length > 3"
        page_ready = ("!!document.querySelector('.cm-content') && document.querySelector('.preview-pane iframe')"
                      " && document.querySelector('.preview-pane iframe').contentDocument.readyState == 'complete'")
        shoot(home, home_ready, 1280, 900, os.path.join(out, "editor-home-desktop.png"))
        shoot(page, page_ready, 1280, 900, os.path.join(out, "editor-page-desktop.png"))
        shoot(home, home_ready, 390, 844, os.path.join(out, "editor-home-phone.png"))
        shoot(page, "!!document.querySelector('.cm-content')", 390, 844, os.path.join(out, "editor-page-phone.png"))
        albums = sorted(os.listdir(os.path.join(site, "albums")))
        if albums:
            shoot(album + urllib.parse.quote(albums[0]), "document.querySelectorAll('.photo img').length > 0",
                  1280, 900, os.path.join(out, "editor-album-desktop.png"))
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
