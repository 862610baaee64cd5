//! `zhanting publish` against a real S3 server the tests start (s3s-fs: the s3s crate's
//! S3 protocol, signature checks included, over a folder), and into a folder. The
//! binary runs as a user runs it, with the key in the environment.

mod common;

use common::SiteTest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

const KEY_ID: &str = "ZTTESTKEYID0001";
const SECRET: &str = "zt-secret-Ab3dE5fG7hJ9kL1mN0pQ";
const BUCKET: &str = "dangjian";

/// Variables set for a run.
type Env<'a> = &'a [(&'a str, &'a str)];

/// An S3 server on 127.0.0.1 over the folder `root` (a bucket is a folder in it). With
/// `die_after`, it stops for good once that many uploads reached it: the connection of
/// the next one is dropped and no new one is accepted, as when a server is killed.
struct S3Server {
    port: u16,
    rt: Option<tokio::runtime::Runtime>,
    puts: Arc<AtomicUsize>,
}

impl S3Server {
    fn start(root: &Path, die_after: Option<usize>) -> S3Server {
        use hyper::service::Service;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind(("127.0.0.1", 0)))
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let fs = s3s_fs::FileSystem::new(root).unwrap();
        let mut b = s3s::service::S3ServiceBuilder::new(fs);
        b.set_auth(s3s::auth::SimpleAuth::from_single(KEY_ID, SECRET));
        let service = b.build();
        let puts = Arc::new(AtomicUsize::new(0));
        let dead = Arc::new(AtomicBool::new(false));
        let died = Arc::new(tokio::sync::Notify::new());
        let (p, d, n) = (puts.clone(), dead.clone(), died.clone());
        rt.spawn(async move {
            loop {
                let socket = tokio::select! {
                    s = listener.accept() => match s { Ok((s, _)) => s, Err(_) => continue },
                    () = n.notified() => break,
                };
                if d.load(Ordering::SeqCst) {
                    break;
                }
                let (svc, p, d, n) = (service.clone(), p.clone(), d.clone(), n.clone());
                tokio::spawn(async move {
                    let counted = hyper::service::service_fn(
                        move |req: hyper::Request<hyper::body::Incoming>| {
                            let (svc, p, d, n) = (svc.clone(), p.clone(), d.clone(), n.clone());
                            async move {
                                if req.method() == hyper::Method::PUT {
                                    let seen = p.fetch_add(1, Ordering::SeqCst);
                                    if die_after.is_some_and(|max| seen >= max) {
                                        d.store(true, Ordering::SeqCst);
                                        n.notify_one();
                                    }
                                }
                                if d.load(Ordering::SeqCst) {
                                    return Err(s3s::HttpError::new("killed".into()));
                                }
                                Service::call(&svc, req).await
                            }
                        },
                    );
                    let _ = hyper_util::server::conn::auto::Builder::new(
                        hyper_util::rt::TokioExecutor::new(),
                    )
                    .serve_connection(hyper_util::rt::TokioIo::new(socket), counted)
                    .await;
                });
            }
        });
        S3Server {
            port,
            rt: Some(rt),
            puts,
        }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// A site and a bucket folder beside it.
struct Fixture {
    t: SiteTest,
    data: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let t = SiteTest::from_fixture("basic");
        let data = t.root.join("s3");
        std::fs::create_dir_all(data.join(BUCKET)).unwrap();
        Fixture { t, data }
    }

    /// Points site.yaml's `publish:` at `server`.
    fn settings(&self, server: &S3Server) {
        let yaml = std::fs::read_to_string(self.t.site.join("site.yaml")).unwrap();
        let yaml = yaml.split("publish:").next().unwrap().to_string();
        let publish = format!(
            "publish:\n  kind: s3\n  endpoint: {}\n  bucket: {BUCKET}\n  prefix: longquan/\n  region: cn-chengdu\n  path_style: true\n",
            server.endpoint()
        );
        std::fs::write(self.t.site.join("site.yaml"), yaml + &publish).unwrap();
    }

    /// `zhanting publish site ARGS` with `env` set (and no other key in the environment).
    fn publish(&self, args: &[&str], env: &[(&str, &str)], lang: &str) -> common::Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhanting"));
        cmd.arg("publish")
            .arg("site")
            .args(args)
            .current_dir(&self.t.root)
            .env("LANG", lang)
            .env("HOME", &self.t.root)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES");
        for v in [
            "ZHANTING_ACCESS_KEY_ID",
            "ZHANTING_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ] {
            cmd.env_remove(v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        common::Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn run(&self, args: &[&str]) -> common::Run {
        self.publish(
            args,
            &[
                ("ZHANTING_ACCESS_KEY_ID", KEY_ID),
                ("ZHANTING_SECRET_ACCESS_KEY", SECRET),
            ],
            "C.UTF-8",
        )
    }

    /// The objects under the prefix: key → (bytes, modification time of its file).
    fn bucket(&self) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
        files_of(&self.data.join(BUCKET).join("longquan"))
    }

    /// The Content-Type and Cache-Control s3s-fs keeps for `key`.
    fn headers(&self, key: &str) -> String {
        use base64::Engine;
        let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let name = format!(
            ".bucket-{}.object-{}.metadata.json",
            enc(BUCKET),
            enc(&format!("longquan/{key}"))
        );
        std::fs::read_to_string(self.data.join(name)).unwrap_or_default()
    }

    /// Asserts that the objects under the prefix are the output, byte for byte, plus
    /// the manifest and `extra`.
    fn assert_bucket_is_the_output(&self, extra: &[&str]) {
        let out = self.t.out_dir();
        let mut output = files_of(&out);
        output.remove(".zhanting-output");
        let bucket = self.bucket();
        for (path, (bytes, _)) in &output {
            let there = bucket
                .get(path)
                .unwrap_or_else(|| panic!("{path} is not in the bucket"));
            assert!(there.0 == *bytes, "{path} differs in the bucket");
        }
        let more: Vec<&String> = bucket
            .keys()
            .filter(|k| !output.contains_key(*k))
            .filter(|k| *k != ".zhanting-publish.json" && !extra.contains(&k.as_str()))
            .collect();
        assert!(
            more.is_empty(),
            "the bucket has more than the output: {more:?}"
        );
        assert!(bucket.contains_key(".zhanting-publish.json"));
    }
}

/// Every file under `dir` by relative path, with its bytes and modification time.
fn files_of(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let modified = e.metadata().unwrap().modified().unwrap();
            out.insert(rel, (std::fs::read(e.path()).unwrap(), modified));
        }
    }
    out
}

/// The keys whose bytes or time differ between two snapshots, and those only in one.
fn changes(
    a: &BTreeMap<String, (Vec<u8>, SystemTime)>,
    b: &BTreeMap<String, (Vec<u8>, SystemTime)>,
) -> (Vec<String>, Vec<String>) {
    let changed = b
        .iter()
        .filter(|(k, v)| a.get(*k).is_some_and(|o| o != *v) || !a.contains_key(*k))
        .map(|(k, _)| k.clone())
        .collect();
    let gone = a.keys().filter(|k| !b.contains_key(*k)).cloned().collect();
    (changed, gone)
}

/// The secret in no file under `dir`.
fn assert_secret_nowhere_in(dir: &Path) {
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            assert!(
                !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
                "the secret is in {}",
                e.path().display()
            );
        }
    }
}

#[test]
fn a_bucket_gets_the_site_then_only_what_changed_and_never_the_secret() {
    let f = Fixture::new();
    let server = S3Server::start(&f.data, None);
    f.settings(&server);
    // Someone's file under the prefix (a WeChat verification file): left alone.
    let foreign = f.data.join(BUCKET).join("longquan/MP_verify_abc.txt");
    std::fs::create_dir_all(foreign.parent().unwrap()).unwrap();
    std::fs::write(&foreign, "abc").unwrap();

    let first = f.run(&[]);
    first.ok();
    assert!(first.stdout.contains("Published: "), "{}", first.stdout);
    assert!(
        first
            .stdout
            .contains("(1 file under the prefix that zhanting did not publish is left alone)"),
        "{}",
        first.stdout
    );
    f.assert_bucket_is_the_output(&["MP_verify_abc.txt"]);
    let html = f.headers("news/index.html");
    assert!(
        html.contains("text/html; charset=utf-8") && html.contains("no-cache"),
        "{html}"
    );
    let css = f.headers("assets/zhanting.css");
    assert!(
        css.contains("text/css") && css.contains("max-age=3600"),
        "{css}"
    );
    let hashed = f
        .bucket()
        .into_keys()
        .find(|k| k.starts_with("media/img/"))
        .expect("a picture in the bucket");
    let img = f.headers(&hashed);
    assert!(img.contains("max-age=31536000, immutable"), "{img}");

    // Nothing changed: nothing goes up.
    let before = f.bucket();
    let puts = server.puts.load(Ordering::SeqCst);
    let again = f.run(&[]);
    again.ok();
    assert!(
        again.stdout.contains("Already up to date"),
        "{}",
        again.stdout
    );
    assert_eq!(
        server.puts.load(Ordering::SeqCst),
        puts,
        "the second publish uploaded"
    );
    assert_eq!(f.bucket(), before);

    // An edit and a removed page: a dry run says so and changes nothing …
    let output_before = files_of(&f.t.out_dir());
    f.t.edit("content/news/second.md", "正文。", "正文。多了一句话。");
    f.t.remove("content/lectures/zero.md");
    let dry = f.run(&["--dry-run"]);
    dry.ok();
    assert!(
        dry.stdout.contains("delete   lectures/zero/index.html"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("Dry run: nothing was changed"),
        "{}",
        dry.stdout
    );
    assert_eq!(f.bucket(), before);
    // … and the publish changes exactly the objects whose files the build changed.
    let (mut expected, _) = changes(&output_before, &files_of(&f.t.out_dir()));
    expected.retain(|k| k != ".zhanting-output");
    let third = f.run(&[]);
    third.ok();
    let after = f.bucket();
    let (mut changed, gone) = changes(&before, &after);
    changed.retain(|k| k != ".zhanting-publish.json");
    assert_eq!(gone, vec!["lectures/zero/index.html".to_string()]);
    assert_eq!(changed, expected);
    assert!(changed.contains(&"news/second/index.html".to_string()));
    f.assert_bucket_is_the_output(&["MP_verify_abc.txt"]);
    assert!(foreign.is_file());

    for run in [&first, &again, &dry, &third] {
        assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET));
    }
    assert_secret_nowhere_in(&f.data);
    assert_secret_nowhere_in(&f.t.site);
}

#[test]
fn wrong_keys_and_a_missing_bucket_name_what_to_fix() {
    let f = Fixture::new();
    let server = S3Server::start(&f.data, None);
    f.settings(&server);
    // The environment, the language, the first line of the error.
    let cases: [(Env, &str, &str); 5] = [
        (
            &[("ZHANTING_ACCESS_KEY_ID", KEY_ID), ("ZHANTING_SECRET_ACCESS_KEY", "wrong")],
            "C.UTF-8",
            "error: the secret in ZHANTING_SECRET_ACCESS_KEY does not match the access key id",
        ),
        (
            &[("ZHANTING_ACCESS_KEY_ID", "NOSUCHKEY"), ("ZHANTING_SECRET_ACCESS_KEY", SECRET)],
            "C.UTF-8",
            "error: the store does not know the access key id in ZHANTING_ACCESS_KEY_ID",
        ),
        (
            &[("AWS_ACCESS_KEY_ID", KEY_ID), ("AWS_SECRET_ACCESS_KEY", "wrong")],
            "zh_CN.UTF-8",
            "错误：AWS_SECRET_ACCESS_KEY 中的密钥（Secret）与 AccessKey ID 不匹配",
        ),
        (
            &[("ZHANTING_ACCESS_KEY_ID", KEY_ID)],
            "C.UTF-8",
            "error: ZHANTING_ACCESS_KEY_ID is set but ZHANTING_SECRET_ACCESS_KEY is not",
        ),
        (
            &[],
            "zh_CN.UTF-8",
            "错误：没有存储桶的访问密钥：未设置 ZHANTING_ACCESS_KEY_ID 和 ZHANTING_SECRET_ACCESS_KEY",
        ),
    ];
    for (env, lang, expected) in cases {
        let run = f.publish(&[], env, lang);
        run.failed();
        assert!(
            run.stderr.starts_with(expected),
            "{expected}\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains(SECRET));
    }
    assert_eq!(server.puts.load(Ordering::SeqCst), 0);

    // A missing bucket.
    std::fs::remove_dir(f.data.join(BUCKET)).unwrap();
    let run = f.run(&[]);
    run.failed();
    assert!(
        run.stderr
            .starts_with("error: the bucket `dangjian` does not exist at this endpoint"),
        "{}",
        run.stderr
    );
    // No network: nothing listens at the endpoint (each request is tried five times).
    let port = server.port;
    drop(server);
    let yaml = std::fs::read_to_string(f.t.site.join("site.yaml")).unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let free = closed.local_addr().unwrap().port();
    drop(closed);
    std::fs::write(
        f.t.site.join("site.yaml"),
        yaml.replace(&format!(":{port}"), &format!(":{free}")),
    )
    .unwrap();
    let run = f.run(&[]);
    run.failed();
    assert!(
        run.stderr.starts_with("error: cannot reach 127.0.0.1"),
        "{}",
        run.stderr
    );
}

#[test]
fn more_deletions_than_allowed_are_refused_and_nothing_changes() {
    let f = Fixture::new();
    let server = S3Server::start(&f.data, None);
    f.settings(&server);
    f.run(&[]).ok();
    let before = f.bucket();
    f.t.remove("content/lectures/zero.md");
    f.t.remove("content/news/third.md");
    let run = f.run(&["--max-deletes", "1"]);
    run.failed();
    assert!(
        run.stderr.contains("error: 4 files would be deleted, more than the 1 allowed; nothing was uploaded or deleted. The first:\n  lectures/zero/index.html\n  news/page/2/index.html\n  news/third/index.html\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("run again with --max-deletes 4"),
        "{}",
        run.stderr
    );
    assert_eq!(f.bucket(), before, "the refused publish changed the bucket");
    f.run(&[]).ok();
    f.assert_bucket_is_the_output(&[]);
    // --force puts every file again.
    let files = f.bucket().len() - 1;
    let puts = server.puts.load(Ordering::SeqCst);
    let forced = f.run(&["--force"]);
    forced.ok();
    assert!(
        forced
            .stdout
            .contains(&format!("Published: {files} files uploaded")),
        "{}",
        forced.stdout
    );
    // The manifest, first as the run's plan and then as done.
    assert_eq!(server.puts.load(Ordering::SeqCst), puts + files + 2);
}

#[test]
fn a_server_killed_midway_loses_nothing_and_the_publish_runs_again() {
    let f = Fixture::new();
    // Killed during the first publish: after the manifest and nine files.
    let server = S3Server::start(&f.data, Some(10));
    f.settings(&server);
    let run = f.run(&[]);
    run.failed();
    assert!(
        run.stderr.contains("error: cannot reach 127.0.0.1"),
        "{}",
        run.stderr
    );
    drop(server);
    let server = S3Server::start(&f.data, None);
    f.settings(&server);
    f.run(&[]).ok();
    f.assert_bucket_is_the_output(&[]);

    // Killed during a publish that also removes a page: the page stays until a
    // publish finishes.
    drop(server);
    f.t.edit("content/news/second.md", "正文。", "正文。改了一句。");
    f.t.remove("content/lectures/zero.md");
    let server = S3Server::start(&f.data, Some(2));
    f.settings(&server);
    f.run(&[]).failed();
    assert!(f.bucket().contains_key("lectures/zero/index.html"));
    drop(server);
    let server = S3Server::start(&f.data, None);
    f.settings(&server);
    let run = f.run(&[]);
    run.ok();
    assert!(run.stdout.contains(", 1 deleted"), "{}", run.stdout);
    f.assert_bucket_is_the_output(&[]);
    assert!(!f.bucket().contains_key("lectures/zero/index.html"));
}

#[test]
fn a_key_written_in_site_yaml_is_an_error_that_shows_no_secret() {
    let t = SiteTest::from_fixture("basic");
    let yaml = std::fs::read_to_string(t.site.join("site.yaml")).unwrap();
    let lines = yaml.lines().count();
    t.file(
        "site.yaml",
        &format!("{yaml}publish:\n  kind: s3\n  endpoint: https://oss-cn-chengdu.aliyuncs.com\n  bucket: dangjian\n  secret_access_key: {SECRET}\n"),
    );
    let run = t.build(&[]);
    run.failed();
    let line = lines + 5;
    assert!(
        run.stderr.starts_with(
            "error: `secret_access_key` holds a secret: keys to the store never go in site.yaml\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("--> site.yaml:{line}:3\n")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("{line} |   secret_access_key: ********\n")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("ZHANTING_SECRET_ACCESS_KEY"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(SECRET));
}

#[test]
fn a_portal_goes_into_a_folder_every_branch_under_its_slug() {
    let t = SiteTest::from_fixture("portal");
    let yaml = std::fs::read_to_string(t.site.join("portal.yaml")).unwrap();
    t.file(
        "portal.yaml",
        &format!("{yaml}publish:\n  kind: folder\n  path: ../usb/dangjian\n"),
    );
    std::fs::create_dir(t.root.join("usb")).unwrap();
    let usb = t.root.join("usb/dangjian");
    let run = t.run(&["publish", "site"]);
    run.ok();
    let out = t.out_dir();
    let mut output = files_of(&out);
    output.remove(".zhanting-output");
    let mut copied = files_of(&usb);
    assert!(copied.remove(".zhanting-publish.json").is_some());
    let strip = |m: &BTreeMap<String, (Vec<u8>, SystemTime)>| -> BTreeMap<String, Vec<u8>> {
        m.iter().map(|(k, v)| (k.clone(), v.0.clone())).collect()
    };
    assert_eq!(strip(&copied), strip(&output));
    assert!(copied.contains_key("yi/index.html") && copied.contains_key("er/index.html"));

    let again = t.run(&["publish", "site"]);
    again.ok();
    assert!(
        again.stdout.contains("Already up to date"),
        "{}",
        again.stdout
    );
    let before = files_of(&usb);
    t.remove("branches/yi/content/lectures/zero.md");
    t.run(&["publish", "site"]).ok();
    let after = files_of(&usb);
    let (_, gone) = changes(&before, &after);
    assert_eq!(gone, vec!["yi/lectures/zero/index.html".to_string()]);
    assert!(
        !usb.join("yi/lectures/zero").exists(),
        "the emptied folder stays"
    );

    // A folder inside the site is refused.
    t.file(
        "portal.yaml",
        &format!("{yaml}publish:\n  kind: folder\n  path: public2\n"),
    );
    let run = t.run(&["publish", "site"]);
    run.failed();
    assert!(
        run.stderr
            .contains("is the site folder, inside it or around it"),
        "{}",
        run.stderr
    );
}
