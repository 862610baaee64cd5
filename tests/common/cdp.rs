//! Headless Chromium driven over the DevTools protocol (tungstenite): a tab that runs
//! script, waits for a condition, presses keys and reports console errors. Used by the
//! browser tests of the theme's scripts (tests/browser.rs) and of the editor
//! (tests/editor.rs), which include it as `#[path = "common/cdp.rs"] mod cdp;` (the
//! other tests do not build it).
#![allow(dead_code)]

use crate::common::{Process, CHROMIUM_FLAGS};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// GET over HTTP/1.1, reading exactly Content-Length bytes (DevTools keeps connections open).
pub fn http_get(host: &str, path: &str) -> String {
    let s = TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        &s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(&s);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    String::from_utf8(body).unwrap()
}

/// A page of the browser, driven over the DevTools protocol.
pub struct Tab {
    pub ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    pub id: u64,
    /// Events the browser sent (console messages, log entries, exceptions).
    pub events: Vec<serde_json::Value>,
}

impl Tab {
    pub fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.id += 1;
        let msg = serde_json::json!({ "id": self.id, "method": method, "params": params });
        self.ws
            .send(tungstenite::Message::text(msg.to_string()))
            .unwrap();
        loop {
            let m = self.ws.read().unwrap();
            if let Ok(text) = m.to_text() {
                let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
                if v["id"] == self.id {
                    return v["result"].clone();
                }
                if v.get("method").is_some() {
                    self.events.push(v);
                }
            }
        }
    }

    /// Waits until `js` is true, for at most 15 s (CI machines are slow).
    pub fn wait_for(&mut self, js: &str) {
        for _ in 0..150 {
            if self.eval(js) == serde_json::Value::Bool(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("timed out waiting for {js}");
    }

    pub fn eval(&mut self, js: &str) -> serde_json::Value {
        let r = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": js, "returnByValue": true }),
        );
        r["result"]["value"].clone()
    }

    /// The value of the promise `js` gives.
    pub fn eval_async(&mut self, js: &str) -> serde_json::Value {
        let r = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": js, "returnByValue": true, "awaitPromise": true }),
        );
        r["result"]["value"].clone()
    }

    /// Console errors, exceptions and failed loads the page reported.
    pub fn problems(&self) -> Vec<&serde_json::Value> {
        self.events
            .iter()
            .filter(|e| {
                e["method"] == "Runtime.exceptionThrown"
                    || (e["method"] == "Runtime.consoleAPICalled" && e["params"]["type"] == "error")
                    || (e["method"] == "Log.entryAdded" && e["params"]["entry"]["level"] == "error")
            })
            .collect()
    }
}

/// Presses and releases key `k` (its Windows key code `code`).
pub fn key(tab: &mut Tab, k: &str, code: u32) {
    for kind in ["keyDown", "keyUp"] {
        tab.call(
            "Input.dispatchKeyEvent",
            serde_json::json!({ "type": kind, "key": k, "code": k, "windowsVirtualKeyCode": code }),
        );
    }
}

/// Headless Chromium with its first tab connected over the DevTools protocol.
pub fn browser(chrome: &Path) -> (Process, Tab, tempfile::TempDir) {
    let profile = tempfile::tempdir().unwrap();
    let mut browser = Command::new(chrome)
        .args(CHROMIUM_FLAGS)
        .args(["--remote-debugging-port=0", "--window-size=1280,900"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("about:blank")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(browser.stderr.take().unwrap()).lines();
    let mut devtools = None;
    for line in stderr.by_ref().map_while(Result::ok) {
        if let Some(ws) = line.split("DevTools listening on ").nth(1) {
            devtools = Some(ws.trim().to_string());
            break;
        }
    }
    // Keep reading, so the browser never blocks on a full pipe.
    std::thread::spawn(move || for _ in stderr {});
    let killer = Process(browser);
    let devtools = devtools.expect("Chromium printed its DevTools address");
    let host = devtools
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let list: serde_json::Value = serde_json::from_str(&http_get(&host, "/json/list")).unwrap();
    let page_ws = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "page")
        .unwrap()["webSocketDebuggerUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let (ws, _) = tungstenite::connect(page_ws).unwrap();
    (
        killer,
        Tab {
            ws,
            id: 0,
            events: Vec::new(),
        },
        profile,
    )
}
