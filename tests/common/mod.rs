//! A fluent helper over fixture sites: copy a fixture into a temporary folder, change
//! files, run the `zhanting` binary, read what it produced.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::SystemTime;

pub struct SiteTest {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
    pub site: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> &Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn failed(&self) -> &Run {
        assert_eq!(
            self.code, 1,
            "expected exit 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl SiteTest {
    /// A copy of `tests/fixtures/NAME` (or of any folder of the repository).
    pub fn from_fixture(name: &str) -> SiteTest {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        SiteTest::from_dir(&src)
    }

    pub fn from_dir(src: &Path) -> SiteTest {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        copy_dir(src, &site);
        // Never carry a previous build of the source folder along.
        let _ = std::fs::remove_dir_all(site.join("public"));
        SiteTest {
            root: tmp.path().to_path_buf(),
            site,
            _tmp: tmp,
        }
    }

    pub fn empty() -> SiteTest {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        SiteTest {
            root: tmp.path().to_path_buf(),
            site,
            _tmp: tmp,
        }
    }

    /// Writes (or overwrites) a file of the site.
    pub fn file(&self, rel: &str, contents: &str) -> &SiteTest {
        let p = self.site.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &SiteTest {
        std::fs::remove_file(self.site.join(rel)).unwrap();
        self
    }

    /// Replaces `from` by `to` in a file of the site; panics when `from` is absent.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &SiteTest {
        let p = self.site.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(p, text.replacen(from, to, 1)).unwrap();
        self
    }

    /// Runs zhanting with English messages, in the temporary folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_lang(args, "C.UTF-8")
    }

    pub fn run_lang(&self, args: &[&str], lang: &str) -> Run {
        self.run_env(args, lang, &[])
    }

    /// Runs zhanting with `LANG=lang` and the variables `env` set.
    pub fn run_env(&self, args: &[&str], lang: &str, env: &[(&str, &str)]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_zhanting"))
            .args(args)
            .current_dir(&self.root)
            .envs(env.iter().copied())
            .env("LANG", lang)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `zhanting build site` (output in site/public) plus extra arguments.
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build", "site"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Builds, applies `break_it`, builds again: that build must fail with exit 1 and
    /// leave every output file as it was (bytes and modification times). Returns it.
    pub fn rebuild_fails(&self, break_it: impl FnOnce(&SiteTest)) -> Run {
        self.build(&[]).ok();
        let before = SiteTest::snapshot(&self.out_dir());
        break_it(self);
        let run = self.build(&[]);
        run.failed();
        assert_eq!(
            SiteTest::snapshot(&self.out_dir()),
            before,
            "the failed build changed the previous output\n{}",
            run.stderr
        );
        run
    }

    pub fn out_dir(&self) -> PathBuf {
        self.site.join("public")
    }

    /// A file of the default output folder as text.
    pub fn out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out_dir().join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    pub fn out_exists(&self, rel: &str) -> bool {
        self.out_dir().join(rel).exists()
    }

    /// Every file below `dir` with its bytes and modification time.
    pub fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
        let mut map = BTreeMap::new();
        if !dir.exists() {
            return map;
        }
        for e in walkdir::WalkDir::new(dir) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                map.insert(
                    rel,
                    (
                        std::fs::read(e.path()).unwrap(),
                        e.metadata().unwrap().modified().unwrap(),
                    ),
                );
            }
        }
        map
    }
}

/// Every `href`/`src` of an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    re.captures_iter(html)
        .map(|c| c[1].replace("&amp;", "&"))
        .collect()
}

/// Writes a file as editors do: a temporary file renamed over the old one.
pub fn save(t: &SiteTest, rel: &str, text: &str) {
    let p = t.site.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let tmp = p.with_extension("zt-save-tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(tmp, p).unwrap();
}

pub fn read(t: &SiteTest, rel: &str) -> String {
    std::fs::read_to_string(t.site.join(rel)).unwrap()
}

/// A child process, killed when dropped.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `zhanting serve` of the test's site on a free port: the server and its address.
pub fn serve(t: &SiteTest) -> (Process, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhanting"))
        .args(["serve", "site", "--port", "0"])
        .current_dir(&t.root)
        .env("LANG", "C.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.split(" at ").nth(1).unwrap().trim().to_string();
    // Keep reading the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Process(child), url)
}

/// Headless Chromium that reaches no network service of its own and keeps no state.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
];

/// Chromium, or `None` with a visible message; in CI a missing browser is a failure.
pub fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH")?
                .to_str()?
                .split(':')
                .map(|d| Path::new(d).join(name))
                .find(|p| p.is_file())
        });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Chromium: .ci/run installs it"
        );
        eprintln!(
            "SKIPPED: no Chromium installed (apt-get install -y chromium) — browser tests not run"
        );
    }
    found
}

/// The QR codes `zbarimg` (Debian's zbar-tools) reads in the image at `path`, or `None`
/// with a visible message when it is not installed; in CI a missing zbarimg is a failure.
pub fn qr_codes(path: &Path) -> Option<Vec<String>> {
    match Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(path)
        .output()
    {
        Ok(out) => Some(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_string)
                .collect(),
        ),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have zbarimg: .ci/run installs zbar-tools"
            );
            eprintln!("SKIPPED: no zbarimg (apt-get install -y zbar-tools)");
            None
        }
    }
}

/// Whether poppler-utils is installed (`.ci/run` installs it; CI fails without it).
pub fn poppler() -> bool {
    let found = Command::new("pdfinfo").arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "poppler-utils (pdfinfo, pdffonts, pdftotext) is required in CI"
        );
        eprintln!("SKIPPED: install poppler-utils to check PDFs");
    }
    found
}

/// The output of poppler's `name` with `args` on `pdf`; it must succeed.
pub fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(name).args(args).arg(pdf).output().unwrap();
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of pages `from..=to` (all when `None`), without any whitespace: pdftotext
/// puts spaces between Chinese and Latin and breaks lines where the layout does.
pub fn pdf_text(pdf: &Path, pages: Option<(usize, usize)>) -> String {
    let mut args: Vec<String> = Vec::new();
    if let Some((from, to)) = pages {
        args.extend(["-f".into(), from.to_string(), "-l".into(), to.to_string()]);
    }
    let mut cmd = Command::new("pdftotext");
    cmd.args(&args).arg(pdf).arg("-");
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    squeeze(&String::from_utf8_lossy(&out.stdout))
}

pub fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{2060}')
        .collect()
}

// ---- The search page in headless Chromium (tests/search.rs, tests/portal.rs).

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
    var metas = Array.prototype.map.call(d.querySelectorAll('#zt-results li > small'), function (s) { return s.textContent; });
    document.getElementById('out').textContent = 'RESULT ' + JSON.stringify({
      status: d.getElementById('zt-status').textContent, links: links, metas: metas, marks: marks,
      phrase: d.getElementById('zt-results').getAttribute('data-phrase'), search: w.location.search });
  }, 2000);
};
</script>"#;

pub struct Outcome {
    pub status: String,
    pub links: Vec<String>,
    /// What each result says under its title: its kind (a portal's: its branch) and date.
    pub metas: Vec<String>,
    pub marks: u64,
    pub phrase: String,
    pub search: String,
    pub console: Vec<String>,
}

pub fn run_harness(chrome: &Path, url: &str, extra: &[&str]) -> Outcome {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chrome)
        .args(CHROMIUM_FLAGS)
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
        metas: v["metas"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|l| l.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default(),
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
pub fn serve_dir(root: PathBuf, prefix: &'static str) -> u16 {
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
pub fn ask(
    chrome: &Path,
    out: &Path,
    src: &str,
    url: &str,
    extra: &[&str],
    query: &str,
) -> Outcome {
    std::fs::write(
        out.join("harness.html"),
        HARNESS.replace("SRC", src).replace("QUERY", query),
    )
    .unwrap();
    run_harness(chrome, url, extra)
}

/// Every internal link of every HTML page resolves to a file of the output.
pub fn assert_links_resolve(out: &Path, base_path: &str, offline: bool) {
    let mut checked = 0;
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = std::fs::read_to_string(e.path()).unwrap();
        for link in links(&html) {
            if link.starts_with("https://") || link.starts_with('#') || link.starts_with("mailto:")
            {
                continue;
            }
            let path = link.split(['#', '?']).next().unwrap();
            let path = percent_encoding::percent_decode_str(path)
                .decode_utf8()
                .unwrap()
                .into_owned();
            let target = if offline {
                assert!(
                    !path.starts_with('/'),
                    "{}: offline link {link} is not relative",
                    e.path().display()
                );
                assert!(
                    !path.ends_with('/'),
                    "{}: offline link {link} does not end in a file",
                    e.path().display()
                );
                e.path().parent().unwrap().join(&path)
            } else {
                let rel = path.strip_prefix(base_path).unwrap_or_else(|| {
                    panic!("{}: {link} is outside {base_path}", e.path().display())
                });
                let t = out.join(rel);
                if path.ends_with('/') {
                    t.join("index.html")
                } else {
                    t
                }
            };
            assert!(
                target.is_file(),
                "{}: {link} does not resolve ({})",
                e.path().display(),
                target.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} links checked");
}

/// The Nu Html Checker's errors (vnu, validator.nu) over every page below `dir`, one
/// `"FILE":LINE.COL: error: message` a line; `None` with a visible message when vnu or
/// Java is missing (`.ci/run` installs both: CI fails without them). vnu is the npm
/// package vnu-jar, found in `$VNU_DIR` (default ~/.cache/zhanting-vnu, where
/// scripts/vnu.sh installs it).
pub fn vnu_errors(dir: &Path) -> Option<Vec<String>> {
    let vnu_dir = std::env::var_os("VNU_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/zhanting-vnu")))?;
    let jar = vnu_dir.join("node_modules/vnu-jar/build/dist/vnu.jar");
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--skip-non-html", "--errors-only", "--format", "gnu"])
        .arg(dir)
        .output();
    match out {
        Ok(out) if jar.is_file() => Some(
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .filter(|l| l.contains(": error: "))
                .map(str::to_string)
                .collect(),
        ),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have vnu and Java: .ci/run installs them"
            );
            eprintln!(
                "SKIPPED: no vnu (bash scripts/vnu.sh installs it) or no Java — HTML not validated"
            );
            None
        }
    }
}

/// `pdftoppm` of `pdf` at `dpi` as an RGB image.
pub fn rasterize(pdf: &Path, dpi: u32) -> image::RgbImage {
    let prefix = pdf.with_extension("raster");
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // pdftoppm adds ".png" to the prefix (whose own extension with_extension would
    // replace, reading the board's preview instead).
    image::open(format!("{}.png", prefix.display()))
        .unwrap()
        .to_rgb8()
}

/// A small deterministic random source (xorshift), so failures can be replayed: the
/// random edits of tests/cache.rs and tests/serve.rs.
pub struct Rng(pub u64);

impl Rng {
    /// The next number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}
