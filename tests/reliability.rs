//! Reliability (issue 37): what the fuzz targets found, each input fed through the same
//! public entry point and answered with a clean error; symbolic links, which are skipped
//! with a warning naming them; and a full disk, which fails the build and leaves the
//! last output whole.

mod common;

use common::SiteTest;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A link in a section, an album folder that is a link and a linked static file: each
/// is skipped (never followed, so nothing outside the site is published) with a warning
/// that names it; the rest of the site builds.
#[test]
fn a_skipped_symbolic_link_is_named_in_a_warning() {
    let t = SiteTest::from_fixture("basic");
    let outside = t.root.join("outside");
    std::fs::create_dir_all(outside.join("album")).unwrap();
    std::fs::write(
        outside.join("page.md"),
        "---\ntitle: 外面的页面\n---\n正文。\n",
    )
    .unwrap();
    std::fs::write(outside.join("album/album.yaml"), "title: 外面的相册\n").unwrap();
    std::fs::write(outside.join("secret.txt"), "不该发布").unwrap();
    let link = |target: &Path, rel: &str| {
        std::os::unix::fs::symlink(target, t.site.join(rel)).unwrap();
    };
    link(&outside.join("page.md"), "content/news/linked.md");
    link(&outside.join("album"), "albums/linked");
    link(&outside.join("secret.txt"), "static/secret.txt");
    let run = t.build(&[]);
    run.ok();
    for rel in [
        "albums/linked",
        "content/news/linked.md",
        "static/secret.txt",
    ] {
        assert!(
            run.stderr.contains(&format!(
                "warning: {rel} is a symbolic link: links are not followed, so it is left out\n--> {rel}\n"
            )),
            "no warning for {rel}:\n{}",
            run.stderr
        );
    }
    assert!(!t.out_exists("news/linked/index.html"));
    assert!(!t.out_exists("photos/linked/index.html"));
    assert!(!t.out_exists("secret.txt"));
    assert!(t.out_exists("news/second/index.html"));
    // In Chinese too, and `--strict` makes it fail the build.
    let zh = t.run_lang(&["build", "site", "--strict"], "zh_CN.UTF-8");
    zh.failed();
    assert!(zh.stderr.contains(
        "警告：content/news/linked.md 是符号链接（快捷方式）：zhanting 不跟随链接，已略过"
    ));
}

/// A tmpfs of `size` mounted at `dir` for the test's length.
struct Mount(PathBuf);

impl Mount {
    /// `None` when this test cannot mount one (not root, or no permission to mount).
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return None;
        }
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(dir.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the file system of `dir` until no byte fits; the filler file.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 64 * 1024];
    let mut small = vec![0u8; 512];
    loop {
        if f.write_all(&block).and_then(|_| f.flush()).is_err() {
            break;
        }
    }
    // The last partial block, byte by byte.
    while !small.is_empty() {
        if f.write_all(&small).and_then(|_| f.flush()).is_err() {
            small.truncate(small.len() / 2);
        }
    }
    path
}

/// A build into a full disk fails with an error that says so, and leaves the last
/// output as it was, file by file, with no staging folder left behind; a build into a
/// new folder on the full disk leaves no folder; once there is room the build goes
/// through. Needs a small tmpfs: run as root (as CI is), else skipped with a message.
#[test]
fn a_full_disk_fails_the_build_and_keeps_the_last_output() {
    let t = SiteTest::from_fixture("basic");
    let Some(mount) = Mount::tmpfs(&t.root.join("disk"), "4m") else {
        eprintln!(
            "skipped: the disk-full test mounts a small tmpfs, which needs root and permission to mount"
        );
        return;
    };
    let disk = mount.0.clone();
    let out = disk.join("public");
    let out_arg = out.to_str().unwrap();
    t.build(&["-o", out_arg]).ok();
    let before = SiteTest::snapshot(&out);
    let filler = fill(&disk);
    t.edit(
        "content/news/second.md",
        "正文。",
        "正文，磁盘写满之后的修改。",
    );
    let run = t.build(&["-o", out_arg]);
    run.failed();
    assert!(
        run.stderr.contains("No space left on device"),
        "the error does not say the disk is full:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: check the disk space"),
        "{}",
        run.stderr
    );
    assert_eq!(
        SiteTest::snapshot(&out),
        before,
        "the failed build changed the last output"
    );
    assert!(!out.join(".zhanting-staging").exists());
    // A new output folder on the full disk is not left half made.
    let fresh = disk.join("fresh");
    t.build(&["-o", fresh.to_str().unwrap()]).failed();
    assert!(!fresh.exists(), "a failed first build left its folder");
    std::fs::remove_file(filler).unwrap();
    t.build(&["-o", out_arg]).ok();
    let page = std::fs::read_to_string(out.join("news/second/index.html")).unwrap();
    assert!(page.contains("磁盘写满之后的修改"));
}

/// What a video file that is not one is answered with, through the reader planning uses
/// (`video::probe`, the file's name telling MP4 from WebM).
fn probe(name: &str, bytes: &[u8]) -> Result<zhanting::images::video::Probe, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    zhanting::images::video::probe(&path)
}

/// Fuzzing (target `video`): an MP4 box whose 64-bit size is near its maximum made the
/// end of the box overflow, which looped for ever over the file in a release build (or
/// panicked with overflow checks). Now the box is not one: the file has no index.
#[test]
fn an_mp4_box_with_a_huge_size_is_a_clean_error() {
    let mut mp4 = Vec::new();
    mp4.extend_from_slice(&[0, 0, 0, 16]);
    mp4.extend_from_slice(b"ftypisom\0\0\0\0");
    // size32 = 1: a 64-bit size follows.
    mp4.extend_from_slice(&[0, 0, 0, 1]);
    mp4.extend_from_slice(b"mdat");
    mp4.extend_from_slice(&(u64::MAX - 15).to_be_bytes());
    mp4.extend_from_slice(&[0; 16]);
    assert_eq!(
        probe("clip.mp4", &mp4),
        Err("the MP4 file has no index (`moov` box): the recording may have been cut short".into())
    );
}

/// Fuzzing (target `video`): WebM headers with element sizes beyond the file made the
/// WebM reader (matroska-demuxer 0.7) panic with an overflow, with "capacity overflow",
/// or abort the whole process on an allocation of terabytes; 0.8.1 checks each size
/// against what is left of the file. Each is now the error for a file that is not WebM.
#[test]
fn webm_headers_with_sizes_beyond_the_file_are_a_clean_error() {
    let cases: [&[u8]; 3] = [
        // An element of unknown size (all ones), whose end overflowed.
        &[
            0x1a, 0x45, 0xdf, 0xa3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0x81, 0x01, 0x02,
        ],
        // A string element of more bytes than a vector may hold: capacity overflow.
        &[
            0x1a, 0x45, 0xdf, 0xa3, 0x56, 0x03, 0x86, 0xff, 0xff, 0xff, 0xec, 0xec, 0xec, 0xec,
            0xec, 0xec, 0xec, 0xec, 0xec, 0xec, 0xec, 0xec, 0x91, 0xef, 0xa1, 0x4d, 0xbb, 0x8b,
            0x53, 0xab, 0x84, 0x16, 0x54, 0x54, 0x54, 0xae,
        ],
        // A string element of terabytes: the allocation failed and the process aborted.
        &[
            0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42,
            0xf2, 0x81, 0x04, 0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x0f, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x42, 0x85, 0x81, 0x02, 0x18, 0x53, 0x80, 0x67, 0x01, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x0e, 0x80, 0x30, 0x54, 0x56, 0x11, 0x4d, 0x9b, 0x74, 0x84,
            0x16, 0x54, 0x54, 0x54, 0xae,
        ],
    ];
    for (i, webm) in cases.into_iter().enumerate() {
        assert_eq!(
            probe("clip.webm", webm),
            Err("not a WebM video (its header cannot be read)".into()),
            "case {i}"
        );
    }
}

/// A WebM element: its ID, its size (as eight bytes) and its body.
fn ebml(id: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = id.to_vec();
    out.push(0x01);
    out.extend_from_slice(&(body.len() as u64).to_be_bytes()[1..]);
    out.extend_from_slice(body);
    out
}

/// A WebM whose segment holds only its index (SeekHead) with `seeks` entries, each
/// naming the index itself as where to read more of it.
fn webm_with_index_naming_itself(seeks: usize) -> Vec<u8> {
    let seek_head = [0x11, 0x4d, 0x9b, 0x74];
    let header = [
        ebml(&[0x42, 0x82], b"webm"),
        ebml(&[0x42, 0x87], &[4]),
        ebml(&[0x42, 0x85], &[2]),
    ]
    .concat();
    let seek = [ebml(&[0x53, 0xab], &seek_head), ebml(&[0x53, 0xac], &[0])].concat();
    let index = ebml(&seek_head, &ebml(&[0x4d, 0xbb], &seek).repeat(seeks));
    [
        ebml(&[0x1a, 0x45, 0xdf, 0xa3], &header),
        ebml(&[0x18, 0x53, 0x80, 0x67], &index),
    ]
    .concat()
}

/// Fuzzing (target `video`): matroska-demuxer 0.8.1 follows a WebM's index to the next
/// index for ever when it names itself (a hang), and panics when it names two. The
/// reader's reads are bounded and its panic caught: each is a file that is not WebM,
/// answered at once.
#[test]
fn a_webm_index_that_names_itself_is_a_clean_error() {
    for seeks in [1, 2] {
        let start = std::time::Instant::now();
        assert_eq!(
            probe("clip.webm", &webm_with_index_naming_itself(seeks)),
            Err("not a WebM video (its header cannot be read)".into()),
            "{seeks} entries"
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }
}

/// The panic of the WebM reader that the probe catches says nothing on stderr: the user
/// of a build with such a file sees zhanting's error naming it, and no "panicked at"
/// from inside matroska-demuxer.
#[test]
fn a_corrupt_webm_gives_zhantings_error_and_no_panic_message() {
    let t = SiteTest::from_fixture("video");
    let run = t.rebuild_fails(|t| {
        std::fs::write(
            t.site.join("content/news/xuexi.webm"),
            webm_with_index_naming_itself(2),
        )
        .unwrap();
    });
    assert!(
        run.stderr.contains(
            "error: cannot read video content/news/xuexi.webm: not a WebM video (its header cannot be read)\n --> content/news/xuexi.md:7:1"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked at"), "{}", run.stderr);
    assert!(!run.stderr.contains("matroska"), "{}", run.stderr);
}

/// Fuzzing (target `import`): a saved WeChat article whose title holds characters YAML
/// refuses (U+FFFF, a byte-order mark) or reads as a line break (U+2028) was imported as
/// a page whose front matter did not load ("control characters are not allowed"). They
/// are spaces in the front matter now, and the page loads.
#[test]
fn an_imported_title_with_characters_yaml_refuses_makes_a_page_that_loads() {
    use zhanting::convert::doc::Day;
    use zhanting::import::{Source, Target};
    let t = SiteTest::from_fixture("basic");
    let html = "<h1 id=\"activity-name\">七一\u{ffff}主题党日\u{feff}</h1>\
        <span id=\"js_author_name\">\u{2028}第一党支部\u{fffe}</span>\
        <div id=\"js_content\"><p>正文。</p></div>";
    let source = Source::from_bytes("文章.html", html.into(), Default::default()).unwrap();
    let target = Target::open(&t.site, Some("news")).unwrap();
    let day = Day {
        year: 2025,
        month: 7,
        day: 1,
    };
    let import = target.prepare(&source, day).unwrap();
    assert!(
        import
            .text
            .starts_with("---\ntitle: 七一 主题党日\ndate: 2025-07-01\nauthor: 第一党支部\n---\n"),
        "{}",
        import.text
    );
    let problems = zhanting::edit::check_text(&import.page, &import.text);
    assert!(problems.iter().all(|d| !d.is_error()), "{problems:?}");
}

/// Fuzzing (target `request`): the editor's JSON bodies are read by serde_yaml, which
/// refused a text holding DEL, a C1 control, a byte-order mark or U+FFFE/U+FFFF (which
/// JSON strings, and the browser's `JSON.stringify`, hold as they are) and would read
/// U+0085, U+2028 and U+2029 as line breaks. A title pasted with them is now taken as
/// it was sent.
#[test]
fn an_editor_body_with_characters_yaml_refuses_is_read_as_sent() {
    use zhanting::edit::request::{parse, NewBoard, Save};
    let title = "七一\u{7f}\u{85}\u{9f}\u{feff}\u{fffe}\u{ffff}\u{2028}\u{2029}\t党日";
    let body = serde_json::json!({ "title": title }).to_string();
    let board: NewBoard = parse(body.as_bytes()).unwrap();
    assert_eq!(board.title, title);
    let body = serde_json::json!({ "path": "content/a.md", "text": format!("---\ntitle: {title}\n---\n") });
    let save: Save = parse(body.to_string().as_bytes()).unwrap();
    assert_eq!(
        save.text.as_deref(),
        Some(format!("---\ntitle: {title}\n---\n").as_str())
    );
}

/// Fuzzing (target `request`): a value whose mapping has a key of more than 1,024
/// characters (YAML's longest implicit key) made the editor's body unreadable ("did not
/// find expected ',' or '}'"). It is read, its keys in the order sent.
#[test]
fn an_editor_body_with_a_key_longer_than_yaml_allows_is_read_in_order() {
    use zhanting::edit::request::{parse, Change, Save};
    let long = "长".repeat(1100);
    let body =
        format!(r#"{{"path":"brand.yaml","value":{{"z":1,"{long}":[2,"x"],"a":{{"b":null}}}}}}"#);
    let save: Save = parse(body.as_bytes()).unwrap();
    let Some(Change::Yaml(serde_yaml::Value::Mapping(m))) = save.change() else {
        panic!("{save:?}")
    };
    let keys: Vec<&str> = m.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, ["z", long.as_str(), "a"]);
}
