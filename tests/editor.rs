//! The browser editor of `zhanting serve`: its security model replayed over HTTP (a real
//! save, then the same request with one thing changed — Host, Origin, session, token,
//! path, upload — each a 403 or a refusal that leaves the site folder as it was), and the
//! editor driven in headless Chromium as a 宣传委员 uses it: a title typed through a
//! pinyin composition, a paragraph added and saved (the file's diff is exactly those
//! lines, its comments kept), a conflict, a save that breaks the site, a new report,
//! photos uploaded (one HEIC), ordered and captioned, a board block added.

#[path = "common/cdp.rs"]
mod cdp;
mod common;

use cdp::{browser, Tab};
use common::{chromium, Process, SiteTest};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

/// A page with comments in its front matter, as a person writes one.
const PAGE: &str = "---\n# 这条注释要保留\ntitle: 旧标题   # 标题后的注释\ndate: 2024-06-01\ntags: [主题党日]\n---\n第一段。\n";

/// `zhanting serve` of the test's site, with extra environment: the process, its
/// address (`127.0.0.1:PORT`) and what it printed first.
fn serve_with(t: &SiteTest, args: &[&str], env: &[(&str, &str)]) -> (Process, String, Vec<String>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhanting"));
    cmd.args(["serve", "site", "--port", "0"])
        .args(args)
        .current_dir(&t.root)
        .env("LANG", "C.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.starts_with("Press Ctrl+C");
        printed.push(line);
        if done {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let url = printed[0].split(" at ").nth(1).unwrap().trim().to_string();
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    (Process(child), addr, printed)
}

/// An HTTP answer.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request to `addr` with exactly these headers (a `Host` of `addr` unless
/// one is given).
fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(req.as_bytes()).unwrap();
    // A server that refuses early (a body too large) may close before all of it is sent.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        let mut out = String::new();
        let mut r = rest;
        while let Some((size, after)) = r.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            out.push_str(&after[..n.min(after.len())]);
            r = after.get(n + 2..).unwrap_or("");
        }
        out
    } else {
        rest.to_string()
    };
    Reply {
        status,
        headers,
        body,
    }
}

/// Every file of the site folder but the cache, with its bytes and time: what a refused
/// request must leave as it was.
fn folder(site: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    SiteTest::snapshot(site)
        .into_iter()
        .filter(|(k, _)| !k.starts_with(".zhanting-cache"))
        .collect()
}

/// The session a browser on this machine gets with the editor's page: its cookie and
/// token.
fn session(addr: &str) -> (String, String) {
    let r = http(addr, "GET", "/__zhanting/edit/", &[], b"");
    assert_eq!(r.status, 200, "{}", r.body);
    let cookie = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert!(r.header("set-cookie").unwrap().contains("SameSite=Strict"));
    assert!(r.header("set-cookie").unwrap().contains("HttpOnly"));
    let token = r
        .body
        .split("name=\"zt-token\" content=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    (cookie, token)
}

#[test]
fn every_write_needs_the_servers_host_and_origin_a_session_its_token_and_a_path_inside() {
    let t = SiteTest::from_fixture("basic");
    t.file("content/news/editme.md", PAGE);
    let outside = t.root.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, t.site.join("content/out")).unwrap();
    let (_serve, addr, _) = serve_with(&t, &[], &[("ZHANTING_UPLOAD_CAP_MB", "1")]);
    let (cookie, token) = session(&addr);
    let origin = format!("http://{addr}");
    let read = http(
        &addr,
        "GET",
        "/__zhanting/api/file?path=content/news/editme.md",
        &[("Cookie", &cookie)],
        b"",
    );
    assert_eq!(read.status, 200, "{}", read.body);
    let version = read
        .body
        .split("\"version\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let save = |path: &str| {
        format!(
            r#"{{"path":"{path}","base":"{version}","front":{{"title":"新标题","date":"2024-06-01","tags":["主题党日"],"__keys":["title","date","tags"]}},"body":"第一段。\n"}}"#
        )
    };
    let good = save("content/news/editme.md");
    let ok: Vec<(&str, &str)> = vec![
        ("Origin", origin.as_str()),
        ("Cookie", cookie.as_str()),
        ("X-Zhanting-Token", token.as_str()),
        ("Content-Type", "application/json"),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    let without = |name: &str| -> Vec<(&str, &str)> {
        ok.iter().filter(|(k, _)| *k != name).copied().collect()
    };
    let with = |name: &'static str, value: &'static str| -> Vec<(&str, &str)> {
        let mut h = without(name);
        h.push((name, value));
        h
    };
    let before = folder(&t.site);
    let evil_host = format!("evil.example:{}", addr.rsplit(':').next().unwrap());
    let mut host_header = ok.clone();
    host_header.push(("Host", evil_host.as_str()));
    // Each case: what it is, its headers, its body.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, String);
    let cases: Vec<Case> = vec![
        (
            "a Host that is not the server's (DNS rebinding)",
            host_header,
            good.clone(),
        ),
        (
            "another site's Origin",
            with("Origin", "http://evil.example"),
            good.clone(),
        ),
        ("no Origin", without("Origin"), good.clone()),
        (
            "a cross-site fetch",
            with("Sec-Fetch-Site", "cross-site"),
            good.clone(),
        ),
        ("no session cookie", without("Cookie"), good.clone()),
        (
            "a forged session",
            with("Cookie", "zt_session_0=forged"),
            good.clone(),
        ),
        ("no token", without("X-Zhanting-Token"), good.clone()),
        (
            "a wrong token",
            with("X-Zhanting-Token", "0123456789abcdef0123456789abcdef"),
            good.clone(),
        ),
        (
            "a path out of the site",
            ok.clone(),
            save("../outside/x.md"),
        ),
        ("an absolute path", ok.clone(), save("/etc/passwd")),
        (
            "a path that climbs out",
            ok.clone(),
            save("content/../../outside/x.md"),
        ),
        ("the output", ok.clone(), save("public/index.md")),
        ("git", ok.clone(), save(".git/config.md")),
        ("the cache", ok.clone(), save(".zhanting-cache/x.md")),
        ("a template", ok.clone(), save("templates/page.md")),
        ("another extension", ok.clone(), save("content/news/x.html")),
        #[cfg(unix)]
        ("a symbolic link out", ok.clone(), save("content/out/x.md")),
    ];
    for (what, headers, body) in &cases {
        let r = http(
            &addr,
            "POST",
            "/__zhanting/api/save",
            headers,
            body.as_bytes(),
        );
        assert_eq!(r.status, 403, "{what}: {} {}", r.status, r.body);
        assert!(r.body.contains("\"error\""), "{what}: {}", r.body);
    }
    // The other writes refuse the same way.
    for (path, body) in [
        (
            "/__zhanting/api/new-page",
            r#"{"section":"news","title":"x"}"#,
        ),
        (
            "/__zhanting/api/delete",
            r#"{"path":"content/news/editme.md"}"#,
        ),
        ("/__zhanting/api/init", "{}"),
    ] {
        let r = http(
            &addr,
            "POST",
            path,
            &without("X-Zhanting-Token"),
            body.as_bytes(),
        );
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        let r = http(
            &addr,
            "POST",
            path,
            &with("Origin", "http://evil.example"),
            body.as_bytes(),
        );
        assert_eq!(r.status, 403, "{path}: {}", r.body);
    }
    for (what, path) in [
        ("the trash of a path out", r#"{"path":"../outside/x.md"}"#),
        ("a whole top folder", r#"{"path":"content","folder":true}"#),
    ] {
        let r = http(
            &addr,
            "POST",
            "/__zhanting/api/delete",
            &ok,
            path.as_bytes(),
        );
        assert!(r.status == 403, "{what}: {} {}", r.status, r.body);
    }
    // Uploads: judged by content, capped, confined.
    let jpeg_head = [
        0xFFu8, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    let mut big = jpeg_head.to_vec();
    big.resize(1536 * 1024, 0);
    for (what, path, body, status) in [
        (
            "a program named .jpg",
            "/__zhanting/api/upload?dir=albums/trip&name=x.jpg",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec(),
            415,
        ),
        (
            "HTML named .png",
            "/__zhanting/api/upload?dir=albums/trip&name=x.png",
            b"<html><script>alert(1)</script></html>".to_vec(),
            415,
        ),
        (
            "over the cap",
            "/__zhanting/api/upload?dir=albums/trip&name=big.jpg",
            big,
            413,
        ),
        (
            "out of the site",
            "/__zhanting/api/upload?dir=../outside&name=x.jpg",
            jpeg_head.to_vec(),
            403,
        ),
        (
            "into the output",
            "/__zhanting/api/upload?dir=public&name=x.jpg",
            jpeg_head.to_vec(),
            403,
        ),
    ] {
        let r = http(&addr, "PUT", path, &ok, &body);
        assert_eq!(r.status, status, "{what}: {}", r.body);
    }
    let r = http(
        &addr,
        "PUT",
        "/__zhanting/api/upload?dir=albums/trip&name=x.jpg",
        &without("X-Zhanting-Token"),
        &jpeg_head,
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        folder(&t.site),
        before,
        "a refused request changed the site folder"
    );
    assert!(std::fs::read_dir(&outside).unwrap().next().is_none());

    // The request as the editor sends it is taken: only the title line changes.
    let r = http(&addr, "POST", "/__zhanting/api/save", &ok, good.as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        std::fs::read_to_string(t.site.join("content/news/editme.md")).unwrap(),
        PAGE.replace("旧标题", "新标题")
    );
    // Saved again from the version it was opened at: a conflict, nothing written.
    let after = std::fs::read_to_string(t.site.join("content/news/editme.md")).unwrap();
    let r = http(
        &addr,
        "POST",
        "/__zhanting/api/save",
        &ok,
        good.replace("新标题", "第三个标题").as_bytes(),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains("新标题"),
        "the disk's version comes back: {}",
        r.body
    );
    assert_eq!(
        std::fs::read_to_string(t.site.join("content/news/editme.md")).unwrap(),
        after
    );
    // An upload that is a photo: a safe name, its content's extension.
    let png = std::fs::read(t.site.join("albums/trip/a.png")).unwrap();
    let r = http(&addr, "PUT", "/__zhanting/api/upload?dir=albums/trip&name=..%2F..%2F%E4%B8%83%E4%B8%80%20%E5%90%88%E5%BD%B1.JPG", &ok, &png);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("\"path\":\"albums/trip/七一-合影.png\""),
        "{}",
        r.body
    );
    assert!(t.site.join("albums/trip/七一-合影.png").is_file());
    // Deleting is a move into the trash, which can be undone.
    let r = http(
        &addr,
        "POST",
        "/__zhanting/api/delete",
        &ok,
        br#"{"path":"content/news/editme.md"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!t.site.join("content/news/editme.md").exists());
    let trashed = r
        .body
        .split("\"trashed\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(trashed.starts_with(".zhanting-trash/"), "{trashed}");
    assert!(t.site.join(&trashed).is_file());
    let r = http(
        &addr,
        "POST",
        "/__zhanting/api/restore",
        &ok,
        format!(r#"{{"trashed":"{trashed}"}}"#).as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        std::fs::read_to_string(t.site.join("content/news/editme.md")).unwrap(),
        after
    );
    // Reads need the server's own Host too.
    let r = http(
        &addr,
        "GET",
        "/__zhanting/api/file?path=site.yaml",
        &[("Host", evil_host.as_str()), ("Cookie", cookie.as_str())],
        b"",
    );
    assert_eq!(r.status, 403);
    let r = http(
        &addr,
        "GET",
        "/__zhanting/edit/",
        &[("Host", evil_host.as_str())],
        b"",
    );
    assert_eq!(r.status, 403);
    // Editor responses say how they may be used.
    let r = http(&addr, "GET", "/__zhanting/edit/", &[], b"");
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'self'"));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
}

/// Other machines only read: the editor's address answers them with how to get a
/// session, the one-time login address gives one once and then no more.
#[test]
fn the_lan_login_address_works_once() {
    let t = SiteTest::from_fixture("basic");
    let (_serve, addr, printed) = serve_with(&t, &["--lan"], &[]);
    let Some(login) = printed
        .iter()
        .find(|l| l.contains("/__zhanting/login?token="))
        .cloned()
    else {
        eprintln!("SKIPPED: this machine has no address on a local network");
        return;
    };
    let host = login
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let path = format!("/{}", login.splitn(4, '/').nth(3).unwrap());
    assert!(
        printed.iter().any(|l| l.contains('▀') || l.contains('█')),
        "a QR code: {printed:?}"
    );
    // From this machine, with the LAN address as Host.
    let first = http(&addr, "GET", &path, &[("Host", host.as_str())], b"");
    assert_eq!(first.status, 303, "{}", first.body);
    assert!(first
        .header("set-cookie")
        .unwrap()
        .contains("SameSite=Strict"));
    let again = http(&addr, "GET", &path, &[("Host", host.as_str())], b"");
    assert_eq!(again.status, 403, "a login address works once");
}

/// No build holds the editor, its token or the 编辑 control.
#[test]
fn a_build_holds_nothing_of_the_editor() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    for (rel, (bytes, _)) in SiteTest::snapshot(&t.out_dir()) {
        let text = String::from_utf8_lossy(&bytes);
        for word in ["__zhanting", "zt-token", "zhanting-edit", "zt_session"] {
            assert!(!text.contains(word), "public/{rel} holds {word}");
        }
    }
}

// ---- In the browser ----------------------------------------------------------------

/// Runs `js` and waits until it gives true, with what the page shows on failure.
fn wait(tab: &mut Tab, js: &str) {
    for _ in 0..200 {
        if tab.eval(js) == serde_json::Value::Bool(true) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let shown = tab.eval("document.body.innerText.slice(0, 2000)");
    panic!(
        "timed out waiting for {js}\npage: {shown}\nconsole: {:?}",
        tab.problems()
    );
}

fn open(tab: &mut Tab, url: &str) {
    tab.call("Page.navigate", serde_json::json!({ "url": url }));
    wait(tab, "document.readyState == 'complete'");
}

/// Clicks the button (or link) whose accessible text is `name`.
fn click(tab: &mut Tab, name: &str) {
    let js = format!(
        "(() => {{ const b = [...document.querySelectorAll('button, a')].find(b => (b.getAttribute('aria-label') || b.textContent).trim() === {name:?} && !b.disabled && b.offsetParent !== null); if (!b) return false; b.click(); return true; }})()"
    );
    wait(tab, &js);
}

/// Focuses the field whose label is `label` and selects its text.
fn focus(tab: &mut Tab, label: &str) {
    let js = format!(
        "(() => {{ const l = [...document.querySelectorAll('label')].find(l => l.textContent.trim() === {label:?}); const c = l && l.control; if (!c) return false; c.focus(); if (c.select) c.select(); return document.activeElement === c; }})()"
    );
    wait(tab, &js);
}

/// Types `text` as a pinyin input method does: a composition of `pinyin`, updated, then
/// committed as `text`.
fn ime(tab: &mut Tab, pinyin: &str, text: &str) {
    let mut typed = String::new();
    for c in pinyin.chars() {
        typed.push(c);
        tab.call(
            "Input.imeSetComposition",
            serde_json::json!({ "text": typed, "selectionStart": typed.len(), "selectionEnd": typed.len() }),
        );
    }
    tab.call("Input.insertText", serde_json::json!({ "text": text }));
}

fn ctrl_end(tab: &mut Tab) {
    for kind in ["rawKeyDown", "keyUp"] {
        tab.call(
            "Input.dispatchKeyEvent",
            serde_json::json!({ "type": kind, "key": "End", "code": "End", "windowsVirtualKeyCode": 35, "modifiers": 2 }),
        );
    }
}

fn enter(tab: &mut Tab) {
    for kind in ["rawKeyDown", "keyUp"] {
        tab.call(
            "Input.dispatchKeyEvent",
            serde_json::json!({ "type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13 }),
        );
    }
}

/// The body editor (CodeMirror) focused, the cursor at its end.
fn body_end(tab: &mut Tab) {
    wait(
        tab,
        "!!document.querySelector('.cm-content[aria-label=\"正文\"]')",
    );
    tab.eval("document.querySelector('.cm-content').focus()");
    ctrl_end(tab);
}

fn read(t: &SiteTest, rel: &str) -> String {
    std::fs::read_to_string(t.site.join(rel)).unwrap_or_default()
}

/// Waits until file `rel` satisfies `ok`.
fn wait_file(t: &SiteTest, rel: &str, ok: impl Fn(&str) -> bool) -> String {
    for _ in 0..200 {
        let text = read(t, rel);
        if ok(&text) {
            return text;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{rel} never became as expected:\n{}", read(t, rel));
}

/// The lines of `b` that are not in `a` and those of `a` not in `b`, in order.
fn diff(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let (x, y): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let removed = x
        .iter()
        .filter(|l| !y.contains(l))
        .map(|l| l.to_string())
        .collect();
    let added = y
        .iter()
        .filter(|l| !x.contains(l))
        .map(|l| l.to_string())
        .collect();
    (removed, added)
}

#[test]
fn the_page_editor_types_through_pinyin_saves_only_what_changed_and_shows_conflicts_and_errors() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    t.file("content/news/editme.md", PAGE);
    let (_serve, addr, _) = serve_with(&t, &[], &[]);
    let (_browser, mut tab, _profile) = browser(&chrome);
    tab.call("Runtime.enable", serde_json::json!({}));
    tab.call("Log.enable", serde_json::json!({}));
    // The 编辑 control of the served page opens the editor on its file.
    open(&mut tab, &format!("http://{addr}/news/editme/"));
    wait(&mut tab, "!!document.getElementById('zhanting-edit')");
    assert_eq!(
        tab.eval("document.getElementById('zhanting-edit').textContent.replace('✎', '').trim()"),
        "编辑"
    );
    tab.eval("document.getElementById('zhanting-edit').click()");
    wait(
        &mut tab,
        "location.pathname == '/__zhanting/edit/page' && !!document.querySelector('.cm-content')",
    );
    // The title, through a pinyin composition; the body gets a paragraph the same way.
    focus(&mut tab, "标题");
    ime(&mut tab, "qiyi", "七一主题活动");
    body_end(&mut tab);
    ime(&mut tab, "xinjia", "新加的一段。");
    click(&mut tab, "保存");
    let saved = wait_file(&t, "content/news/editme.md", |s| {
        s.contains("新加的一段。") && s.contains("七一主题活动")
    });
    let (removed, added) = diff(PAGE, &saved);
    assert_eq!(removed, ["title: 旧标题   # 标题后的注释"], "{saved}");
    assert_eq!(
        added,
        ["title: 七一主题活动   # 标题后的注释", "新加的一段。"],
        "{saved}"
    );
    assert!(saved.contains("# 这条注释要保留\n"));
    wait(
        &mut tab,
        "document.querySelector('.savebar .state').textContent == '已保存'",
    );
    // The preview is the page as serve builds it, and follows the save.
    wait(&mut tab, "(() => { const f = document.querySelector('.preview-pane iframe'); return !!f && !!f.contentDocument && f.contentDocument.body.innerText.includes('新加的一段'); })()");
    assert_eq!(tab.eval("document.querySelector('.preview-pane iframe').contentDocument.getElementById('zhanting-edit') === null"), true, "no 编辑 control inside the preview");

    // Another program changes the file: the next save is refused and shows both versions.
    let external = format!("{saved}\n外部程序加的一行。\n");
    std::fs::write(t.site.join("content/news/editme.md"), &external).unwrap();
    body_end(&mut tab);
    ime(&mut tab, "zaigai", "再改。");
    click(&mut tab, "保存");
    wait(&mut tab, "!!document.querySelector('dialog[open]') && document.querySelector('dialog[open] h2').textContent == '文件已被其他程序修改'");
    assert_eq!(
        tab.eval("[...document.querySelectorAll('dialog[open] pre')].map(p => p.textContent.includes('外部程序加的一行')).join()"),
        "false,true",
        "mine without the other program's line, the disk's with it"
    );
    assert_eq!(
        read(&t, "content/news/editme.md"),
        external,
        "nothing written on a conflict"
    );
    click(&mut tab, "用我的版本覆盖");
    let mine = wait_file(&t, "content/news/editme.md", |s| s.contains("再改。"));
    assert!(!mine.contains("外部程序加的一行"));

    // A save that breaks the site: the text is kept on disk and the error shows as serve
    // shows it, in the editor and in the preview.
    body_end(&mut tab);
    enter(&mut tab);
    enter(&mut tab);
    ime(&mut tab, "jian", "[见](不存在.md)");
    click(&mut tab, "保存");
    wait_file(&t, "content/news/editme.md", |s| {
        s.contains("[见](不存在.md)")
    });
    wait(&mut tab, "!document.querySelector('.edit-pane .build-error').hidden && document.querySelector('.edit-pane .build-error').textContent.includes('不存在.md')");
    wait(&mut tab, "(() => { const f = document.querySelector('.preview-pane iframe'); const e = f && f.contentDocument && f.contentDocument.getElementById('zhanting-error'); return !!e && e.textContent.includes('不存在.md'); })()");
    let problems: Vec<_> = tab
        .problems()
        .into_iter()
        .filter(|e| !e.to_string().contains("409") && !e.to_string().contains("Conflict"))
        .collect();
    assert!(problems.is_empty(), "console errors: {problems:?}");
}

#[test]
fn a_new_report_and_an_albums_photos_uploaded_ordered_and_captioned() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    let album_before = read(&t, "albums/trip/album.yaml");
    // A camera photo (large enough for a board) with a name as Windows writes it, and an
    // iPhone's HEIC.
    let photo = t.root.join("七一 合影.JPG");
    image::RgbImage::from_fn(1600, 1200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    })
    .save_with_format(&photo, image::ImageFormat::Jpeg)
    .unwrap();
    let heic = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/phone/albums/phone/IMG_0001.HEIC");
    let (_serve, addr, _) = serve_with(&t, &[], &[]);
    let (_browser, mut tab, _profile) = browser(&chrome);
    tab.call("Runtime.enable", serde_json::json!({}));

    // 新建: a new report in a section.
    open(&mut tab, &format!("http://{addr}/__zhanting/edit/"));
    click(&mut tab, "新建");
    focus(&mut tab, "标题");
    ime(&mut tab, "qiyihuodong", "七一主题党日活动");
    click(&mut tab, "创建");
    wait(
        &mut tab,
        "location.pathname == '/__zhanting/edit/page' && !!document.querySelector('.cm-content')",
    );
    let path: String =
        serde_json::from_value(tab.eval("new URLSearchParams(location.search).get('path')"))
            .unwrap();
    assert!(
        path.starts_with("content/") && path.ends_with("/七一主题党日活动/index.md"),
        "{path}"
    );
    let page = read(&t, &path);
    assert!(
        page.starts_with("---\ntitle: 七一主题党日活动\ndate: 20"),
        "{page}"
    );

    // 上传照片 into an album: two files at once, one HEIC, each with its progress.
    open(
        &mut tab,
        &format!("http://{addr}/__zhanting/edit/album?name=trip"),
    );
    wait(&mut tab, "!!document.querySelector('.drop input[type=file]') && document.querySelectorAll('.photo').length == 1");
    let doc = tab.call("DOM.getDocument", serde_json::json!({}));
    let node = tab.call(
        "DOM.querySelector",
        serde_json::json!({ "nodeId": doc["root"]["nodeId"], "selector": ".drop input[type=file]" }),
    );
    tab.call(
        "DOM.setFileInputFiles",
        serde_json::json!({ "nodeId": node["nodeId"], "files": [photo.display().to_string(), heic.display().to_string()] }),
    );
    wait(&mut tab, "document.querySelectorAll('.uploads .done').length == 2 && document.querySelectorAll('.uploads progress').length == 2");
    assert!(t.site.join("albums/trip/七一-合影.jpg").is_file());
    assert!(t.site.join("albums/trip/IMG_0001.heic").is_file());
    let listed = wait_file(&t, "albums/trip/album.yaml", |s| {
        s.contains("IMG_0001.heic")
    });
    let pos = |s: &str, what: &str| s.find(what).unwrap_or(usize::MAX);
    assert!(
        pos(&listed, "a.png") < pos(&listed, "七一-合影.jpg")
            && pos(&listed, "七一-合影.jpg") < pos(&listed, "IMG_0001.heic"),
        "{listed}"
    );
    // Once built: thumbnails, and the small photo marked as too small for a board.
    wait(&mut tab, "document.querySelectorAll('.photo').length == 3 && document.querySelectorAll('.photo img').length == 3");
    assert_eq!(
        tab.eval("[...document.querySelectorAll('.photo')].map(p => !!p.querySelector('.small-photo')).join()"),
        "true,false,true",
        "a.png and the 64x32 HEIC are too small for a board, the camera photo is not"
    );
    // Reorder (the first photo down) and caption the camera photo.
    click(&mut tab, "下移 a.png");
    wait(
        &mut tab,
        "document.querySelector('.photo').dataset.file == '七一-合影.jpg'",
    );
    focus(&mut tab, "说明 七一-合影.jpg");
    ime(&mut tab, "heying", "全体党员合影");
    click(&mut tab, "保存");
    let ordered = wait_file(&t, "albums/trip/album.yaml", |s| {
        s.contains("全体党员合影") && pos(s, "七一-合影.jpg") < pos(s, "a.png")
    });
    // The album's own lines stay as they were written.
    for line in album_before
        .lines()
        .filter(|l| !l.trim_start().starts_with('-') && !l.starts_with("photos"))
    {
        assert!(ordered.contains(line), "{line:?} lost:\n{ordered}");
    }
    wait(
        &mut tab,
        "document.querySelector('.savebar .state').textContent == '已保存'",
    );
}

#[test]
fn a_board_gets_a_block_of_a_chosen_type_and_its_preview_follows() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    let board = "# 展板：品牌\ntitle: 测试展板\nblocks:\n  - { type: text, title: 品牌内涵, body: 以微见著。 }\n";
    t.file("boards/test.yaml", board);
    let (_serve, addr, _) = serve_with(&t, &[], &[]);
    let (_browser, mut tab, _profile) = browser(&chrome);
    tab.call("Runtime.enable", serde_json::json!({}));
    open(
        &mut tab,
        &format!("http://{addr}/__zhanting/edit/file?path=boards/test.yaml"),
    );
    wait(&mut tab, "!!document.querySelector('img.board-preview') && document.querySelector('img.board-preview').complete && document.querySelector('img.board-preview').naturalWidth > 0");
    let first = tab.eval("document.querySelector('img.board-preview').src");
    // The type chooser, then the new block's text.
    tab.eval("(() => { const s = document.querySelector('.list-field .actions select'); s.value = 'quote'; s.dispatchEvent(new Event('change')); })()");
    click(&mut tab, "添加内容块");
    wait(
        &mut tab,
        "document.querySelectorAll('.list-field .item').length == 2",
    );
    tab.eval("(() => { const items = document.querySelectorAll('.list-field .item'); const f = [...items[1].querySelectorAll('.field')].find(f => f.dataset.key == 'text'); f.querySelector('textarea, input').focus(); })()");
    ime(&mut tab, "yiweijianzhu", "以微见著，聚力前行。");
    click(&mut tab, "保存");
    let saved = wait_file(&t, "boards/test.yaml", |s| s.contains("聚力前行"));
    assert!(saved.starts_with("# 展板：品牌\ntitle: 测试展板\nblocks:\n  - { type: text, title: 品牌内涵, body: 以微见著。 }\n"), "{saved}");
    assert!(
        saved.contains("  - { type: quote, text: 以微见著，聚力前行。 }"),
        "{saved}"
    );
    // The preview picture is made again and shown.
    wait(&mut tab, &format!("document.querySelector('img.board-preview').src != {first} && document.querySelector('img.board-preview').complete && document.querySelector('img.board-preview').naturalWidth > 0"));
}

/// A page of another site, open in the same browser after the editor, cannot write:
/// its requests carry no session (SameSite=Strict) and a foreign Origin.
#[test]
fn a_foreign_page_in_the_same_browser_cannot_write() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    t.file("content/news/editme.md", PAGE);
    let (_serve, addr, _) = serve_with(&t, &[], &[]);
    let evil = tempfile::tempdir().unwrap();
    let body = r#"{"path":"content/news/editme.md","text":"hacked"}"#;
    std::fs::write(
        evil.path().join("index.html"),
        format!(
            r#"<!DOCTYPE html><meta charset="utf-8"><form id="f" method="POST" action="http://{addr}/__zhanting/api/save" enctype="text/plain"><input name='{{"a":"' value='"}}'></form>
<script>
window.done = false;
fetch('http://{addr}/__zhanting/api/save', {{ method: 'POST', credentials: 'include', mode: 'no-cors', headers: {{ 'Content-Type': 'text/plain' }}, body: '{body}' }})
  .catch(() => {{}}).then(() => fetch('http://{addr}/__zhanting/api/save', {{ method: 'POST', credentials: 'include', headers: {{ 'Content-Type': 'application/json', 'X-Zhanting-Token': 'guess' }}, body: '{body}' }}))
  .catch(() => {{}}).then(() => {{ window.done = true; }});
</script>"#
        ),
    )
    .unwrap();
    let port = common::serve_dir(evil.path().to_path_buf(), "/");
    let (_browser, mut tab, _profile) = browser(&chrome);
    // The editor first: the browser holds a session.
    open(&mut tab, &format!("http://{addr}/__zhanting/edit/"));
    wait(&mut tab, "!!document.querySelector('h1')");
    let before = folder(&t.site);
    open(&mut tab, &format!("http://localhost:{port}/"));
    wait(&mut tab, "window.done === true");
    tab.eval("document.getElementById('f').submit()");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(
        folder(&t.site),
        before,
        "a foreign page changed the site folder"
    );
    assert_eq!(read(&t, "content/news/editme.md"), PAGE);
}

/// 「导入 Word / 公众号文章」 over HTTP: a .docx becomes a page of the chosen section and
/// the answer names it with the import's report; without the token, from another
/// Origin, or with a file that is not what its name says, nothing is written.
#[test]
fn an_imported_word_document_becomes_a_page_under_the_same_guards_as_every_write() {
    let fixture = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/import")
                .join(name),
        )
        .unwrap()
    };
    let t = SiteTest::from_fixture("basic");
    let (_serve, addr, _) = serve_with(&t, &[], &[]);
    let (cookie, token) = session(&addr);
    let origin = format!("http://{addr}");
    let ok: Vec<(&str, &str)> = vec![
        ("Origin", origin.as_str()),
        ("Cookie", cookie.as_str()),
        ("X-Zhanting-Token", token.as_str()),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    let path = |name: &str| {
        format!(
            "/__zhanting/api/import?section=news&name={}",
            percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC)
        )
    };
    let docx = fixture("styled.docx");
    let before = folder(&t.site);
    let without_token: Vec<_> = ok
        .iter()
        .filter(|(k, _)| *k != "X-Zhanting-Token")
        .copied()
        .collect();
    let mut foreign: Vec<_> = ok.iter().filter(|(k, _)| *k != "Origin").copied().collect();
    foreign.push(("Origin", "http://evil.example"));
    for (what, headers) in [("no token", &without_token), ("a foreign Origin", &foreign)] {
        let r = http(&addr, "PUT", &path("报告.docx"), headers, &docx);
        assert_eq!(r.status, 403, "{what}: {}", r.body);
        assert_eq!(folder(&t.site), before, "{what} wrote something");
    }
    // What is not what its name says gets the importer's own words; nothing is written.
    for (what, name, body, says) in [
        (
            "a broken zip",
            "报告.docx",
            docx[..docx.len() / 3].to_vec(),
            "已损坏：不是完整的 .docx 文件",
        ),
        (
            "an old .doc renamed",
            "报告.docx",
            fixture("renamed.docx"),
            "其实是旧版 Word 文档（.doc）",
        ),
        ("an empty file", "报告.docx", Vec::new(), "报告.docx"),
        (
            "a picture named .docx",
            "报告.docx",
            b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0".to_vec(),
            "报告.docx",
        ),
        ("a spreadsheet", "表.xlsx", docx.clone(), "不能导入"),
    ] {
        let r = http(&addr, "PUT", &path(name), &ok, &body);
        assert!(
            r.status == 422 || r.status == 415,
            "{what}: {} {}",
            r.status,
            r.body
        );
        let error: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let error = error["error"].as_str().unwrap();
        assert!(error.contains(says), "{what}: {error}");
        assert_eq!(folder(&t.site), before, "{what} wrote something");
    }
    let r = http(&addr, "PUT", &path("报告.docx"), &ok, &docx);
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let page = v["path"].as_str().unwrap();
    assert!(
        page.starts_with("content/news/") && page.ends_with("/index.md"),
        "{page}"
    );
    let text = std::fs::read_to_string(t.site.join(page)).unwrap();
    assert!(
        text.contains("title: 绿水社区第一党支部“七一”主题党日活动情况报告"),
        "{text}"
    );
    assert!(t.site.join(page).with_file_name("01.jpg").is_file());
    assert_eq!(
        v["summary"],
        "7 个标题、3 张图片、2 个表格、2 个列表、1 个脚注；未导入：文本框 1 个、EMF/WMF 图片 1 张"
    );
    assert_eq!(v["dateFrom"], "取自标题下的日期");
    assert!(v["edit"]
        .as_str()
        .unwrap()
        .starts_with("/__zhanting/edit/page?path="));
    assert!(
        v["findings"].to_string().contains("社会主意核心价值观"),
        "{}",
        v["findings"]
    );
    // The same file again: a page of its own, the first one untouched.
    let again = http(&addr, "PUT", &path("报告.docx"), &ok, &docx);
    let again: serde_json::Value = serde_json::from_str(&again.body).unwrap();
    assert_ne!(again["path"], v["path"]);
    assert_eq!(std::fs::read_to_string(t.site.join(page)).unwrap(), text);
    // A saved article without its _files folder: its pictures are listed as missing.
    let html = fixture("公众号文章.html");
    let r = http(&addr, "PUT", &path("公众号文章.html"), &ok, &html);
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(!v["missing"].as_array().unwrap().is_empty(), "{}", r.body);
}
