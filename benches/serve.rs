//! Time from saving a page to the browser's reload event, with the release binary's
//! `zhanting serve`, on synthetic sites of 1,000 and 10,000 pages.
//!
//! `cargo bench --bench serve` (ZHANTING_BENCH_SIZES="1000 10000", ZHANTING_BENCH_SAVES=21).
//! It edits a page's body after its first paragraph (the common edit, rendered alone),
//! as an editor saves: a temporary file renamed over the page.

#[path = "common/site.rs"]
mod site;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .status()
        .expect("cargo");
    assert!(status.success());
    let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/zhanting");
    let sizes = std::env::var("ZHANTING_BENCH_SIZES").unwrap_or_else(|_| "1000 10000".into());
    let saves: usize = std::env::var("ZHANTING_BENCH_SAVES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(21);
    for n in sizes
        .split_whitespace()
        .map(|s| s.parse::<usize>().expect("a number"))
    {
        let tmp = tempfile::tempdir().unwrap();
        site::write_site(tmp.path(), n);
        let mut child = Command::new(&bin)
            .args(["serve", "--port", "0"])
            .arg(tmp.path())
            .env("LANG", "C")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let started = Instant::now();
        let url = lines
            .next()
            .unwrap()
            .unwrap()
            .split(" at ")
            .nth(1)
            .unwrap()
            .trim()
            .to_string();
        let initial = started.elapsed();
        let (log_tx, log_rx) = mpsc::channel();
        std::thread::spawn(move || {
            for l in lines.map_while(Result::ok) {
                let _ = log_tx.send(l);
            }
        });
        let host = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut s = TcpStream::connect(&host).unwrap();
            write!(s, "GET /__zhanting/events HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if line.starts_with("event: reload") {
                    let _ = tx.send(Instant::now());
                }
            }
        });
        std::thread::sleep(Duration::from_millis(300));
        let page = tmp.path().join("content/news/p00042.md");
        let original = std::fs::read_to_string(&page).unwrap();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        // A body edit after the first paragraph, then a title edit (front matter: lists,
        // tags, home and feed show it).
        for (what, edit) in [
            (
                "body",
                Box::new(|i: usize| format!("{original}\n\n第{i}次保存时加的一段。\n"))
                    as Box<dyn Fn(usize) -> String>,
            ),
            (
                "title",
                Box::new(|i: usize| {
                    original.replacen("title: ", &format!("title: 第{i}次改的标题 "), 1)
                }),
            ),
        ] {
            let mut times = Vec::new();
            for i in 0..saves {
                // Let the follow-up rebuild of the previous save (search index) finish first.
                std::thread::sleep(Duration::from_millis(if n > 2000 { 2500 } else { 400 }));
                while rx.try_recv().is_ok() {}
                let tmp_file = page.with_extension("tmp");
                std::fs::write(&tmp_file, edit(i)).unwrap();
                let saved = Instant::now();
                std::fs::rename(&tmp_file, &page).unwrap();
                match rx.recv_timeout(Duration::from_secs(20)) {
                    Ok(at) => times.push(at.duration_since(saved)),
                    Err(_) => panic!("no reload event after save {i}"),
                }
            }
            times.sort();
            println!(
                "serve {n:>6} pages, {what:>5} edit: save → reload event median {:.1} ms, min {:.1}, max {:.1} ({} saves)",
                ms(times[times.len() / 2]),
                ms(times[0]),
                ms(times[times.len() - 1]),
                times.len()
            );
        }
        let log: Vec<String> = log_rx.try_iter().collect();
        let fast = log
            .iter()
            .filter(|l| l.contains("page re-rendered"))
            .count();
        println!(
            "serve {n:>6} pages: first build {:.0} ms; {fast} saves took the one-page path",
            ms(initial)
        );
        let _ = child.kill();
        let _ = child.wait();
    }
}
