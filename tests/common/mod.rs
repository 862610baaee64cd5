//! A fluent helper over fixture sites: copy a fixture into a temporary folder, change
//! files, run the `zhanting` binary, read what it produced.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::BufRead;
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
        let out = Command::new(env!("CARGO_BIN_EXE_zhanting"))
            .args(args)
            .current_dir(&self.root)
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
