//! Search: the index files, and the search page in headless Chromium over HTTP under a
//! sub-path and from `file://` in an offline build.

mod common;

use common::{chromium, SiteTest};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn index_files_are_written_and_search_can_be_turned_off() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    for f in [
        "search/index.html",
        "search/index.js",
        "search/b0.js",
        "search/c0.js",
        "search/t0.js",
        "assets/search.js",
    ] {
        assert!(t.out_exists(f), "{f}");
    }
    let index = t.out("search/index.js");
    assert!(index.starts_with("ZT.i({n:"), "{index}");
    assert!(
        t.out("search/b0.js").contains("\"七一\":"),
        "bigram 七一 is indexed"
    );
    assert!(
        t.out("search/b0.js").contains("\"合影\":"),
        "album captions are indexed"
    );
    assert!(
        t.out("search/t0.js").contains("/photos/trip/")
            || t.out("search/t1.js").contains("/photos/trip/"),
        "albums are documents"
    );
    assert!(
        t.out("index.html").contains(r#"action="/branch/search/""#),
        "a search box on every page"
    );
    t.edit("site.yaml", "organization:", "search: false\norganization:");
    t.build(&[]).ok();
    assert!(!t.out_exists("search/index.js") && !t.out_exists("search/index.html"));
    assert!(!t.out("index.html").contains("/branch/search/"));
}

/// A page that loads the search page in a frame, types `query` into it as a visitor
/// would (an input event), and writes what the results show.
const HARNESS: &str = r#"<!DOCTYPE html><meta charset="utf-8"><iframe id="f" src="SRC"></iframe><pre id="out">pending</pre>
<script>
var f = document.getElementById('f');
f.onload = function () {
  var w = f.contentWindow, d = w.document, q = d.getElementById('zt-q');
  q.value = 'QUERY';
  q.dispatchEvent(new w.Event('input'));
  setTimeout(function () {
    var links = Array.prototype.map.call(d.querySelectorAll('#zt-results li > a'), function (a) { return a.getAttribute('href'); });
    var marks = d.querySelectorAll('#zt-results mark').length;
    document.getElementById('out').textContent = 'RESULT ' + JSON.stringify({
      status: d.getElementById('zt-status').textContent, links: links, marks: marks,
      phrase: d.getElementById('zt-results').getAttribute('data-phrase'), search: w.location.search });
  }, 2000);
};
</script>"#;

struct Outcome {
    status: String,
    links: Vec<String>,
    marks: u64,
    phrase: String,
    search: String,
    console: Vec<String>,
}

fn run_harness(chrome: &Path, url: &str, extra: &[&str]) -> Outcome {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chrome)
        .args(common::CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args([
            "--virtual-time-budget=10000",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .args(extra)
        .arg(url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let json = dom
        .split("RESULT ")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| panic!("no result in\n{dom}\n{stderr}"));
    let json = json
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    Outcome {
        status: v["status"].as_str().unwrap_or_default().to_string(),
        links: v["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect(),
        marks: v["marks"].as_u64().unwrap_or(0),
        phrase: v["phrase"].as_str().unwrap_or_default().to_string(),
        search: v["search"].as_str().unwrap_or_default().to_string(),
        console: stderr
            .lines()
            .filter(|l| l.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
    }
}

/// Serves `root` at `http://127.0.0.1:PORT/PREFIX…` until the test ends.
fn serve(root: PathBuf, prefix: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let target = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let rel = percent_encoding::percent_decode_str(
                    target.strip_prefix(prefix).unwrap_or("\0"),
                )
                .decode_utf8_lossy()
                .into_owned();
                let mut path = root.join(rel.trim_start_matches('/'));
                if path.is_dir() {
                    path = path.join("index.html");
                }
                let mut stream = &stream;
                match std::fs::read(&path) {
                    Ok(body) if !rel.contains("..") => {
                        let ty = match path.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("js") => "text/javascript; charset=utf-8",
                            Some("css") => "text/css; charset=utf-8",
                            _ => "application/octet-stream",
                        };
                        let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: {ty}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                        let _ = stream.write_all(&body);
                    }
                    _ => {
                        let _ = write!(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    }
                }
            });
        }
    });
    port
}

/// Types `query` into the search page at `src` (relative to the output) through the
/// harness page opened at `url`, and returns what the page shows.
fn ask(chrome: &Path, out: &Path, src: &str, url: &str, extra: &[&str], query: &str) -> Outcome {
    std::fs::write(
        out.join("harness.html"),
        HARNESS.replace("SRC", src).replace("QUERY", query),
    )
    .unwrap();
    run_harness(chrome, url, extra)
}

#[test]
fn search_page_over_http_under_a_sub_path() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "content/lectures/zero.md",
        "第零课正文。",
        "第零课正文：党日活动的主题。",
    );
    t.build(&["--base-url", "http://127.0.0.1/branch/"]).ok();
    let port = serve(t.out_dir(), "/branch/");
    let url = format!("http://127.0.0.1:{port}/branch/harness.html");
    let search = |query: &str| ask(&chrome, &t.out_dir(), "search/", &url, &[], query);
    let r = search("七一");
    assert_eq!(r.console, Vec::<String>::new(), "no console message");
    assert_eq!(r.status, "找到 2 条结果");
    // The title hit first, then the brand page whose text names 七一.
    assert_eq!(
        r.links,
        vec!["/branch/news/qi-yi-zhu-ti-dang-ri/", "/branch/brand/"]
    );
    assert!(r.marks >= 2, "query marked in title and snippet");
    assert_eq!(
        r.search, "?q=%E4%B8%83%E4%B8%80",
        "the query is put in the address"
    );

    // Words apart come after the phrase; a title hit ranks first.
    let r = search("主题 党日");
    // 主题党日 stands in the first page's title and in the second's tag; the third page has
    // both words, apart.
    assert_eq!(r.phrase, "2");
    assert_eq!(
        r.links,
        vec![
            "/branch/news/qi-yi-zhu-ti-dang-ri/",
            "/branch/news/second/",
            "/branch/lectures/zero/"
        ]
    );

    // Spaces between Chinese characters do not break the phrase.
    let r = search("七 一");
    assert_eq!(r.phrase, "2");
    assert_eq!(
        &r.links[..2],
        ["/branch/news/qi-yi-zhu-ti-dang-ri/", "/branch/brand/"]
    );

    let r = search("没有这个词");
    assert_eq!(r.status, "没有找到相关内容，请换个关键词试试。");
    assert!(r.links.is_empty());
}

#[test]
fn search_page_from_file_in_an_offline_build() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "content/lectures/zero.md",
        "第零课正文。",
        "第零课正文：黨建工作，第3期Party活动。",
    );
    t.build(&["--offline"]).ok();
    let url = format!("file://{}/harness.html", t.out_dir().display());
    let search = |query: &str| {
        ask(
            &chrome,
            &t.out_dir(),
            "search/index.html",
            &url,
            &["--allow-file-access-from-files"],
            query,
        )
    };
    let r = search("第一课");
    assert_eq!(r.console, Vec::<String>::new(), "no console message");
    assert_eq!(
        r.links.first().map(String::as_str),
        Some("../lectures/first/index.html"),
        "{:?} {}",
        r.links,
        r.status
    );
    // Full-width letters and case fold: ＳＣＲＩＰＴ finds the title with <script>.
    let r = search("ＳＣＲＩＰＴ");
    assert_eq!(r.links, vec!["../news/second/index.html"]);
    // Traditional characters as typed; Chinese, digits and English mixed, by prefix.
    for q in ["黨建", "3期part", "第３期ＰＡＲＴＹ活动"] {
        let r = search(q);
        assert_eq!(r.links, vec!["../lectures/zero/index.html"], "{q}");
        assert_eq!(r.phrase, "1", "{q}");
    }
}
