//! 微视频: a page's `video:`, a video in Markdown, an album's videos; the published file,
//! its poster (ffmpeg's frame, or the placeholder and a warning without ffmpeg), its
//! captions and duration read from the container; feeds, search and boards; the
//! warnings a video can get; the mistakes a page can make; and `serve` answering Range
//! requests, which Safari needs to play a video.

mod common;
use common::{serve, SiteTest};
use std::io::{Read, Write};
use std::process::Command;

fn ffmpeg() -> bool {
    let found = Command::new("ffmpeg").arg("-version").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs ffmpeg (.ci/run)"
        );
        eprintln!("ffmpeg is not installed: poster frames are not checked");
    }
    found
}

/// The part of `html` from `start` to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

fn attr<'a>(html: &'a str, name: &str) -> &'a str {
    let key = format!("{name}=\"");
    let from = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + key.len();
    &html[from..from + html[from..].find('"').unwrap()]
}

#[test]
fn a_page_video_is_published_as_is_with_its_poster_captions_and_duration() {
    let t = SiteTest::from_fixture("video");
    let run = t.build(&[]);
    run.ok();
    let html = t.out("news/chuxin/index.html");
    let video = between(&html, "<video", "</video>");
    assert!(
        video.starts_with("<video controls preload=\"none\" playsinline"),
        "{video}"
    );
    assert!(video.contains("width=\"160\" height=\"90\""), "{video}");
    assert!(video.contains("aria-label=\"微党课《初心》\""), "{video}");
    // The file itself, under its content's hash, never re-encoded.
    let src = attr(between(video, "<source", ">"), "src");
    assert!(
        src.starts_with("/media/video/") && src.ends_with(".mp4"),
        "{src}"
    );
    assert!(video.contains("type=\"video/mp4\""));
    assert_eq!(
        std::fs::read(t.out_dir().join(&src[1..])).unwrap(),
        std::fs::read(t.site.join("albums/huodong/clip.mp4")).unwrap()
    );
    // Its captions, in Chinese.
    let track = between(video, "<track", ">");
    assert!(
        track.contains("kind=\"captions\" srclang=\"zh\""),
        "{track}"
    );
    assert_eq!(attr(track, "src"), "/media/content/news/chuxin.vtt");
    assert!(t.out_exists("media/content/news/chuxin.vtt"));
    // The duration, read from the container (a 3-second test video).
    assert!(
        html.contains("时长 <time datetime=\"PT0M3S\">0:03</time>"),
        "{}",
        between(&html, "<figcaption class=\"video-meta\"", "</figcaption>")
    );
    // The poster: a frame taken by ffmpeg, made like a photo.
    if ffmpeg() {
        let poster = attr(video, "poster");
        assert!(
            poster.starts_with("/media/img/") && poster.ends_with(".jpg"),
            "{poster}"
        );
        assert!(t.out_exists(&poster[1..]));
        assert!(!run.stderr.contains("has no poster"), "{}", run.stderr);
    }
    // The feed carries it, search reads its captions.
    let feed = t.out("feed.xml");
    assert!(
        feed.contains(&format!(
            "<link rel=\"enclosure\" type=\"video/mp4\" length=\"7978\" href=\"https://example.org{src}\"/>"
        )),
        "{feed}"
    );
    let index: String = std::fs::read_dir(t.out_dir().join("search"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .collect();
    assert!(
        index.contains("他把一生献给了绿水社区"),
        "the captions are searched"
    );
}

#[test]
fn a_video_in_markdown_and_in_an_album() {
    let t = SiteTest::from_fixture("video");
    t.build(&[]).ok();
    // `![学习党章微视频](xuexi.webm)`: a video in the text, its captions found beside it.
    let html = t.out("news/xuexi/index.html");
    let figure = between(
        &html,
        "<span class=\"video-figure\">",
        "</span></span></span>",
    );
    assert!(
        figure.contains("<video controls preload=\"none\" playsinline"),
        "{figure}"
    );
    let src = attr(between(figure, "<source", ">"), "src");
    assert!(src.ends_with(".webm") && t.out_exists(&src[1..]), "{src}");
    assert!(figure.contains("type=\"video/webm\""));
    assert!(
        figure.contains("src=\"/media/content/news/xuexi.vtt\""),
        "{figure}"
    );
    assert!(
        figure.contains("<span class=\"video-duration\">0:02</span>"),
        "{figure}"
    );
    assert!(figure.contains("学习党章微视频"));
    // The album shows the video first, opening in the lightbox.
    let album = t.out("photos/huodong/index.html");
    let item = between(&album, "<a class=\"gallery-item is-video\"", ">");
    let clip = attr(item, "data-video");
    assert!(clip.starts_with("/media/video/") && clip.ends_with(".mp4"));
    assert_eq!(
        attr(item, "href"),
        clip,
        "without JavaScript it links to the file"
    );
    assert!(item.contains("data-caption=\"活动视频\""));
    assert!(
        item.contains("aria-label=\"微视频：活动视频（时长 0:03）\""),
        "{item}"
    );
    assert!(album.find("is-video").unwrap() < album.find("data-srcset").unwrap());
    // The booklet prints the words of a video, not the video.
    if common::poppler() {
        let text = common::pdf_text(&t.out_dir().join("downloads/booklet-2025.pdf"), None);
        assert!(text.contains("【微视频】学习党章微视频"), "{text}");
    }
}

#[test]
fn without_ffmpeg_a_video_gets_the_placeholder_and_a_warning() {
    let t = SiteTest::from_fixture("video");
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zhanting"))
        .args(["build", "site"])
        .current_dir(&t.root)
        .env("LANG", "C.UTF-8")
        .env("PATH", empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "warning: video albums/huodong/clip.mp4 has no poster: ffmpeg is not installed to take a frame"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("install ffmpeg (Debian/Ubuntu: apt install ffmpeg"),
        "{stderr}"
    );
    let html = t.out("news/chuxin/index.html");
    assert!(html.contains("<div class=\"video-frame no-poster\">"));
    assert!(!between(&html, "<video", ">").contains("poster="));
    // The album's video is still there, on the placeholder.
    assert!(t
        .out("photos/huodong/index.html")
        .contains("<span class=\"video-placeholder\"></span>"));
}

/// The top-level boxes of an MP4 file, as (kind, bytes).
fn boxes(mp4: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 8 <= mp4.len() {
        let size = u32::from_be_bytes(mp4[at..at + 4].try_into().unwrap()) as usize;
        out.push((
            mp4[at + 4..at + 8].try_into().unwrap(),
            mp4[at..at + size].to_vec(),
        ));
        at += size;
    }
    out
}

#[test]
fn a_video_browsers_cannot_play_well_is_a_warning_with_the_command_that_fixes_it() {
    let t = SiteTest::from_fixture("video");
    let clip = std::fs::read(t.site.join("albums/huodong/clip.mp4")).unwrap();
    // The index after the data (no fast start), its chunk offsets moved to match.
    let parts = boxes(&clip);
    let mut moov = parts.iter().find(|(k, _)| k == b"moov").unwrap().1.clone();
    let shift = moov.len() as u32;
    let stco = moov.windows(4).position(|w| w == b"stco").unwrap();
    let count = u32::from_be_bytes(moov[stco + 8..stco + 12].try_into().unwrap()) as usize;
    for i in 0..count {
        let at = stco + 12 + 4 * i;
        let offset = u32::from_be_bytes(moov[at..at + 4].try_into().unwrap());
        moov[at..at + 4].copy_from_slice(&(offset - shift).to_be_bytes());
    }
    let mut late: Vec<u8> = parts
        .iter()
        .filter(|(k, _)| k != b"moov")
        .flat_map(|(_, b)| b.clone())
        .collect();
    late.extend_from_slice(&moov);
    std::fs::write(t.site.join("albums/huodong/late.mp4"), &late).unwrap();
    // HEVC, which only Safari plays (a one-second H.265 file made by ffmpeg's libx265).
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media/hevc.mp4"),
        t.site.join("albums/huodong/hevc.mp4"),
    )
    .unwrap();
    // Over 50 MB (a sparse file: the index says 3 s, the rest is padding).
    let big = t.site.join("albums/huodong/big.mp4");
    std::fs::write(&big, &clip).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(51 * 1024 * 1024)
        .unwrap();
    let run = t.build(&[]);
    run.ok();
    let e = &run.stderr;
    assert!(
        e.contains("warning: video albums/huodong/late.mp4 keeps its index (`moov`) at the end: it plays only once the whole file has arrived"),
        "{e}"
    );
    assert!(
        e.contains("`ffmpeg -i albums/huodong/late.mp4 -c copy -movflags +faststart OUT.mp4`"),
        "{e}"
    );
    assert!(
        e.contains(
            "warning: video albums/huodong/hevc.mp4 is HEVC (H.265): not every browser plays it"
        ),
        "{e}"
    );
    assert!(
        e.contains("warning: video albums/huodong/big.mp4 is 51 MB: visitors on phones wait long and pay for the data"),
        "{e}"
    );
    assert!(
        e.contains("-crf 28 -preset slow -c:a aac -movflags +faststart OUT.mp4"),
        "{e}"
    );
    assert!(
        !e.contains("clip.mp4 is"),
        "the good video has no warning: {e}"
    );
    if ffmpeg() {
        assert!(
            !e.contains("late.mp4 has no poster"),
            "a late index still plays: {e}"
        );
    }
}

#[test]
fn video_mistakes_are_errors_at_their_lines_and_keep_the_output() {
    let t = SiteTest::from_fixture("video");
    let run = t.rebuild_fails(|t| {
        t.edit(
            "content/news/chuxin.md",
            "video: ../../albums/huodong/clip.mp4",
            "video: nope.mp4",
        );
    });
    assert!(
        run.stderr
            .contains("error: video: file `nope.mp4` not found\n --> content/news/chuxin.md:5:8"),
        "{}",
        run.stderr
    );

    let t = SiteTest::from_fixture("video");
    let run = t.rebuild_fails(|t| {
        t.file("content/news/notes.mp4", "这是一份会议记录，不是视频。\n");
        t.edit(
            "content/news/chuxin.md",
            "video: ../../albums/huodong/clip.mp4",
            "video: notes.mp4",
        );
    });
    assert!(
        run.stderr.contains(
            "error: cannot read video content/news/notes.mp4: not an MP4 video (it has no `ftyp` box)\n --> content/news/chuxin.md:5:8"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("5 | video: notes.mp4"),
        "{}",
        run.stderr
    );

    let t = SiteTest::from_fixture("video");
    let run = t.rebuild_fails(|t| {
        t.edit(
            "content/news/chuxin.md",
            "captions: chuxin.vtt",
            "captions: zimu.vtt",
        );
    });
    assert!(
        run.stderr.contains(
            "error: captions: file `zimu.vtt` not found\n --> content/news/chuxin.md:6:11"
        ),
        "{}",
        run.stderr
    );

    // A text file named .mp4 in Markdown, and in an album.
    let t = SiteTest::from_fixture("video");
    let run = t.rebuild_fails(|t| {
        t.file("content/news/xuexi.webm", "not a video\n");
    });
    assert!(
        run.stderr.contains(
            "error: cannot read video content/news/xuexi.webm: not a WebM video (its header cannot be read)\n --> content/news/xuexi.md:7:1"
        ),
        "{}",
        run.stderr
    );
    let t = SiteTest::from_fixture("video");
    let run = t.rebuild_fails(|t| {
        t.file("albums/huodong/fake.mp4", "not a video\n");
    });
    assert!(
        run.stderr.contains(
            "error: cannot read video albums/huodong/fake.mp4: not an MP4 video (it has no `ftyp` box)\n--> albums/huodong/fake.mp4"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("fake.mp4 has no poster"),
        "one error, no warning: {}",
        run.stderr
    );
}

#[test]
fn a_board_pointing_at_a_video_page_says_so() {
    let t = SiteTest::from_fixture("video");
    t.file(
        "boards/weishipin.yaml",
        "title: 微党课《初心》\nqr: /news/chuxin/\nblocks:\n  - { type: text, title: 扫码观看, body: 支部书记讲述老党员的入党故事。 }\n",
    );
    t.build(&[]).ok();
    assert!(t
        .out("boards/weishipin/index.html")
        .contains("aria-label=\"扫码观看微视频\""));
}

/// A request for part of a file, as browsers make for a video.
fn get_range(url: &str, path: &str, range: &str) -> (String, Vec<u8>) {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nRange: {range}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8_lossy(&all[..split]).into_owned(),
        all[split + 4..].to_vec(),
    )
}

#[test]
fn serve_answers_range_requests_with_206_and_the_right_bytes() {
    let t = SiteTest::from_fixture("video");
    t.build(&[]).ok();
    let html = t.out("news/chuxin/index.html");
    let src = attr(between(&html, "<source", ">"), "src").to_string();
    let clip = std::fs::read(t.site.join("albums/huodong/clip.mp4")).unwrap();
    let (_serve, url) = serve(&t);
    // The server is up once the page answers.
    for _ in 0..150 {
        if get_range(&url, "/news/chuxin/", "bytes=0-0")
            .0
            .contains(" 206 ")
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (head, body) = get_range(&url, &src, "bytes=100-1099");
    assert!(head.starts_with("HTTP/1.1 206"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("content-range: bytes 100-1099/{}", clip.len())),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase().contains("accept-ranges: bytes"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: video/mp4"),
        "{head}"
    );
    assert_eq!(body, &clip[100..1100]);
    let (head, body) = get_range(&url, &src, "bytes=-10");
    assert!(head.starts_with("HTTP/1.1 206"), "{head}");
    assert_eq!(body, &clip[clip.len() - 10..]);
    let (head, _) = get_range(&url, &src, &format!("bytes={}-", clip.len()));
    assert!(head.starts_with("HTTP/1.1 416"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("content-range: bytes */{}", clip.len())),
        "{head}"
    );
}

#[test]
fn a_duration_that_is_not_a_length_and_a_poster_without_a_video_are_errors() {
    let t = SiteTest::from_fixture("video");
    let run = t.rebuild_fails(|t| {
        t.edit(
            "content/news/chuxin.md",
            "captions: chuxin.vtt",
            "captions: chuxin.vtt\nduration: 三分钟",
        );
        t.edit(
            "content/news/xuexi.md",
            "date: 2025-05-01",
            "date: 2025-05-01\nposter: cover.jpg",
        );
    });
    assert!(
        run.stderr.contains(
            "error: duration: `三分钟` is not a length of time\n --> content/news/chuxin.md:7:1"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("write seconds (`duration: 205`) or minutes and seconds"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: `poster:` without `video:`\n --> content/news/xuexi.md:4:1"),
        "{}",
        run.stderr
    );
}
