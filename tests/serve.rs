//! `zhanting serve`: incremental rebuilds equal full builds, pages change in the browser
//! after a save, errors show and clear, and nothing outside the build is served.

mod common;

use common::{read, save, serve, Rng, SiteTest};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use zhanting::error::Lang;
use zhanting::serve::project::{Outcome, Project};

/// One random edit; returns the files it touched.
fn edit(t: &SiteTest, rng: &mut Rng, step: usize) -> Vec<String> {
    let pages = [
        "content/news/third.md",
        "content/news/second.md",
        "content/lectures/first.md",
        "content/lectures/zero.md",
        "content/about.md",
    ];
    let page = pages[rng.below(pages.len())];
    let mut text = read(t, page);
    match rng.below(10) {
        // The body after the first paragraph: the fast path.
        0..=2 => {
            text.push_str(&format!("\n\n第{step}次修改的正文。\n"));
            save(t, page, &text);
        }
        // The first paragraph, hence the summary.
        3 => {
            let body_start = text.rfind("---\n").unwrap() + 4;
            text.insert_str(body_start, &format!("新的第一段{step}。\n\n"));
            save(t, page, &text);
        }
        // The title, the page's slug (its path), or whether it is a draft.
        4 => {
            let text = match rng.below(3) {
                0 => text.replacen("title: ", &format!("title: 改{step} "), 1),
                1 if text.contains("\nslug: ") => {
                    let at = text.find("\nslug: ").unwrap();
                    let end = at + 1 + text[at + 1..].find('\n').unwrap();
                    format!("{}{}", &text[..at], &text[end..])
                }
                1 => text.replacen("title:", &format!("slug: moved-{step}\ntitle:"), 1),
                _ if text.contains("draft: true\n") => text.replacen("draft: true\n", "", 1),
                _ => text.replacen("title:", "draft: true\ntitle:", 1),
            };
            save(t, page, &text);
        }
        5 => {
            let tags = if text.contains("tags:") {
                text.replacen("tags: [", &format!("tags: [新标签{step}, "), 1)
            } else {
                text.replacen("title:", "tags: [新标签]\ntitle:", 1)
            };
            save(t, page, &tags);
        }
        // A new page, or one removed; in `notes/`, which has no `_index.md`, the first
        // page makes the section and the last one removed takes it away.
        6 => {
            let folder = ["news", "notes"][rng.below(2)];
            let rel = format!("content/{folder}/new-{}.md", rng.below(3));
            if t.site.join(&rel).exists() {
                std::fs::remove_file(t.site.join(&rel)).unwrap();
            } else {
                save(
                    t,
                    &rel,
                    &format!(
                        "---\ntitle: 新页面{step}\ndate: 2024-0{}-15\n---\n新页面的正文。\n",
                        1 + rng.below(9)
                    ),
                );
            }
            return vec![rel];
        }
        7 => {
            let site = read(t, "site.yaml");
            save(
                t,
                "site.yaml",
                &site.replacen("title: ", &format!("title: {step}"), 1),
            );
            return vec!["site.yaml".into()];
        }
        // A section's own page: its introduction, or its title.
        8 => {
            let rel = "content/news/_index.md";
            let text = read(t, rel);
            let text = if rng.below(2) == 0 {
                format!("{text}\n第{step}次修改的栏目介绍。\n")
            } else {
                text.replacen("title: ", &format!("title: 改{step} "), 1)
            };
            save(t, rel, &text);
            return vec![rel.into()];
        }
        // A template override comes or goes.
        _ => {
            let rel = "templates/partials/pager.html";
            if t.site.join(rel).exists() {
                std::fs::remove_file(t.site.join(rel)).unwrap();
            } else {
                save(
                    t,
                    rel,
                    "<nav class=\"mine\">{{ pager.current }}/{{ pager.total }}</nav>",
                );
            }
            return vec![rel.into()];
        }
    }
    vec![page.to_string()]
}

/// After a quick rebuild every page already equals a full build's; only the search
/// index, the feed, the sitemap and the boards' files wait for the follow-up.
fn assert_quick_equals_full(project: &Project, full: &Project, what: &str) {
    for (file, served) in full.files() {
        if !waits(file) {
            assert!(
                project.get(file) == Some(served),
                "{what}: {file} differs after the quick rebuild"
            );
        }
    }
}

fn fresh(t: &SiteTest) -> Result<Project, String> {
    let mut p = Project::new(&t.site, "http://127.0.0.1:1111/", Lang::En);
    p.full().map(|_| p)
}

/// The follow-up of the last build, made and served, as `serve` makes it after edits
/// pause.
fn follow(project: &mut Project) -> Outcome {
    let made = project
        .follow_up()
        .expect("a built site has a follow-up")
        .run();
    project
        .merge(made)
        .expect("nothing was rebuilt meanwhile")
        .unwrap()
}

#[test]
fn incremental_rebuilds_equal_full_builds_over_random_edits() {
    for seed in [1u64, 7, 42, 2024] {
        let t = SiteTest::from_fixture("basic");
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut project = fresh(&t).unwrap();
        let mut fast = 0;
        for step in 0..25 {
            let touched = edit(&t, &mut rng, step);
            let outcome = project
                .apply(&touched)
                .unwrap_or_else(|e| panic!("seed {seed} step {step}: {e}"));
            let full = fresh(&t).unwrap();
            if outcome.needs_full {
                fast += 1;
                assert_quick_equals_full(&project, &full, &format!("seed {seed} step {step}"));
                follow(&mut project);
            }
            assert!(
                project.files() == full.files(),
                "seed {seed} step {step}: incremental and full builds differ ({touched:?})"
            );
        }
        assert!(fast > 0, "seed {seed}: the fast path was never taken");
    }
}

/// Pages added and removed one by one, in a section with `_index.md` and in a folder
/// without one (its first page makes the section, its last one removed takes it
/// away), a page made a draft and published again: each rebuild equals a full build.
#[test]
fn pages_that_come_and_go_equal_full_builds() {
    let t = SiteTest::from_fixture("basic");
    let mut project = fresh(&t).unwrap();
    let page = |title: &str| format!("---\ntitle: {title}\ndate: 2024-05-01\n---\n正文。\n");
    let third = read(&t, "content/news/third.md");
    let drafted = third.replacen("title:", "draft: true\ntitle:", 1);
    // Each step saves the file with its text, or removes it (`None`).
    let steps: Vec<(&str, Option<String>)> = vec![
        ("content/news/a.md", Some(page("甲"))),
        ("content/notes/a.md", Some(page("乙"))),
        ("content/notes/b.md", Some(page("丙"))),
        ("content/notes/a.md", None),
        ("content/notes/b.md", None),
        ("content/news/a.md", None),
        ("content/news/third.md", Some(drafted)),
        ("content/news/third.md", Some(third)),
    ];
    for (i, (rel, text)) in steps.into_iter().enumerate() {
        match &text {
            Some(text) => save(&t, rel, text),
            None => std::fs::remove_file(t.site.join(rel)).unwrap(),
        }
        project
            .apply(&[rel.to_string()])
            .unwrap_or_else(|e| panic!("step {i}: {e}"));
        let full = fresh(&t).unwrap();
        assert_quick_equals_full(&project, &full, &format!("step {i} ({rel})"));
        follow(&mut project);
        assert!(
            project.files() == full.files(),
            "step {i} ({rel}): incremental and full builds differ"
        );
        assert_eq!(
            project.get("notes/index.html").is_some(),
            (1..=3).contains(&i),
            "step {i}: the notes section is there while it has pages"
        );
    }
}

/// A new page whose path another page has fails the rebuild naming both, keeps the last
/// good site, and the site builds again once the page is gone.
#[test]
fn a_new_page_on_a_taken_path_fails_naming_both_files() {
    let t = SiteTest::from_fixture("basic");
    let mut project = fresh(&t).unwrap();
    let before = project.files().clone();
    let rel = "content/news/dup.md";
    save(&t, rel, "---\ntitle: 重名\nslug: second\n---\n正文。\n");
    let err = project.apply(&[rel.into()]).unwrap_err();
    assert!(
        err.contains("would both be written to /news/second/")
            && err.contains("content/news/dup.md")
            && err.contains("content/news/second.md"),
        "{err}"
    );
    assert_eq!(
        project.files(),
        &before,
        "the last good build is still served"
    );
    std::fs::remove_file(t.site.join(rel)).unwrap();
    project.apply(&[rel.into()]).unwrap();
    assert!(project.error.is_none());
    project.full().unwrap();
    assert!(project.files() == fresh(&t).unwrap().files());
}

/// An edit never waits for the follow-up (boards, search index, feeds): the first build
/// and the rebuild after an edit leave them out, the follow-up is made from one build's
/// site without the project, and one made from a site an edit has replaced is dropped —
/// the edit's own follow-up serves what a full build has.
#[test]
fn an_edit_never_waits_for_the_follow_up() {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "boards/ceshi.yaml",
        "title: 测试展板\nsize: 400x600mm\nblocks:\n  - { type: text, title: 简介, body: 一段文字。 }\n",
    );
    let mut project = Project::new(&t.site, "http://127.0.0.1:1111/", Lang::En);
    let started = project.start().unwrap();
    assert!(started.needs_full && project.awaiting());
    assert!(project.get("boards/ceshi/index.html").is_some());
    for left in ["boards/ceshi.pdf", "boards/ceshi.png", "search/index.js"] {
        assert!(
            project.get(left).is_none(),
            "{left} waits for the follow-up"
        );
    }
    // The follow-up is under way when the page is saved: the edit is rebuilt and served
    // without it, and still without laying out the board.
    let first = project.follow_up().unwrap();
    let page = "content/news/second.md";
    save(
        &t,
        page,
        &read(&t, page).replace("正文。", "正文。\n\n保存后的一段。"),
    );
    let o = project.apply(&[page.into()]).unwrap();
    assert!(o.needs_full);
    let shown = project
        .get("news/second/index.html")
        .unwrap()
        .bytes()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown).contains("保存后的一段。"));
    assert!(project.get("boards/ceshi.pdf").is_none());
    assert!(project.awaiting(), "requests for the boards still wait");
    // The follow-up made from the site before the edit is not served.
    let before = project.files().clone();
    assert!(project.merge(first.run()).is_none());
    assert_eq!(project.files(), &before);
    // The edit's own follow-up is.
    let o = follow(&mut project);
    assert!(!project.awaiting());
    assert!(
        o.changed.contains(&"boards/ceshi.pdf".to_string()),
        "{:?}",
        o.changed
    );
    assert!(project.files() == fresh(&t).unwrap().files());
    // Later edits leave the boards' files as they were until their follow-up.
    let board = "boards/ceshi.yaml";
    let pdf = project.get("boards/ceshi.pdf").unwrap().bytes().unwrap();
    save(
        &t,
        board,
        &read(&t, board).replace("一段文字。", "改过的文字。"),
    );
    project.apply(&[board.into()]).unwrap();
    assert_eq!(
        project.get("boards/ceshi.pdf").unwrap().bytes().unwrap(),
        pdf
    );
    let o = follow(&mut project);
    assert!(
        o.changed.contains(&"boards/ceshi.pdf".to_string()),
        "{:?}",
        o.changed
    );
    assert!(project.files() == fresh(&t).unwrap().files());
}

#[test]
fn errors_keep_the_last_good_site_and_clear() {
    let t = SiteTest::from_fixture("basic");
    let mut project = fresh(&t).unwrap();
    let before = project.files().clone();
    save(
        &t,
        "content/news/third.md",
        &read(&t, "content/news/third.md").replace("title: 第三篇", "title: \"五微\"一体"),
    );
    let err = project
        .apply(&["content/news/third.md".into()])
        .unwrap_err();
    assert!(err.contains("content/news/third.md:2:8"), "{err}");
    assert_eq!(
        project.files(),
        &before,
        "the last good build is still served"
    );
    // A broken link in a body edit fails too, on the fast path.
    save(
        &t,
        "content/news/third.md",
        &read(&t, "content/news/third.md").replace("title: \"五微\"一体", "title: 第三篇"),
    );
    project.apply(&["content/news/third.md".into()]).unwrap();
    assert!(project.error.is_none());
}

// ---- over HTTP, with the real binary

struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

fn request(url: &str, method: &str, path: &str) -> Reply {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(host).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let headers = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = headers.split_whitespace().nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        headers: headers.to_ascii_lowercase(),
        body: raw[split + 4..].to_vec(),
    }
}

fn get_text(url: &str, path: &str) -> String {
    String::from_utf8_lossy(&request(url, "GET", path).body).into_owned()
}

/// Connects to the live-reload stream; events arrive on the receiver as "name data".
fn events(url: &str) -> mpsc::Receiver<String> {
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let (tx, rx) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut s = TcpStream::connect(&host).unwrap();
        write!(s, "GET /__zhanting/events HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
        let mut name = String::new();
        let _ = ready_tx.send(());
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if tx.send(format!("{name} {d}")).is_err() {
                    break;
                }
            }
        }
    });
    ready_rx.recv().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    rx
}

fn wait_for(rx: &mpsc::Receiver<String>, what: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(e) if e.starts_with(what) => return e,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("no `{what}` event");
}

#[test]
fn a_save_reloads_the_page_and_errors_show_in_the_browser() {
    let t = SiteTest::from_fixture("basic");
    let (_server, url) = serve(&t);
    let page = get_text(&url, "/news/second/");
    assert!(
        page.contains("/__zhanting/live-reload.js"),
        "served pages carry the reload client"
    );
    assert!(
        !t.out_dir().exists(),
        "serve writes nothing into the site folder"
    );
    let rx = events(&url);

    save(
        &t,
        "content/news/second.md",
        &read(&t, "content/news/second.md").replace("正文。", "正文。\n\n新加的一段。"),
    );
    let e = wait_for(&rx, "reload");
    assert!(e.contains("\"/news/second/\""), "{e}");
    assert!(get_text(&url, "/news/second/").contains("新加的一段。"));

    save(
        &t,
        "site.yaml",
        &read(&t, "site.yaml").replace("title: 测试支部", "title: 测试支部\ntitel: x"),
    );
    let e = wait_for(&rx, "failed");
    assert!(
        e.contains("unknown key `titel`") && e.contains("site.yaml:2:1"),
        "{e}"
    );
    assert_eq!(
        request(&url, "GET", "/").status,
        200,
        "the server keeps serving"
    );
    save(
        &t,
        "site.yaml",
        &read(&t, "site.yaml").replace("\ntitel: x", ""),
    );
    wait_for(&rx, "ok");

    // A stylesheet is swapped, not reloaded.
    save(&t, "static/extra.css", "body { color: red }");
    let e = wait_for(&rx, "css");
    assert!(e.contains("/extra.css"), "{e}");
}

#[test]
fn only_the_build_is_served_with_the_right_types() {
    let t = SiteTest::from_fixture("basic");
    let (_server, url) = serve(&t);
    for (path, status, ty) in [
        ("/", 200, "text/html; charset=utf-8"),
        ("/assets/zhanting.css", 200, "text/css; charset=utf-8"),
        ("/feed.xml", 200, "application/xml; charset=utf-8"),
        ("/search/index.js", 200, "text/javascript; charset=utf-8"),
        ("/hello.txt", 200, "text/plain; charset=utf-8"),
        ("/nothing/here/", 404, "text/html; charset=utf-8"),
    ] {
        let r = request(&url, "GET", path);
        assert_eq!(r.status, status, "{path}");
        assert!(
            r.headers.contains(&format!("content-type: {ty}")),
            "{path}: {}",
            r.headers
        );
    }
    assert!(
        String::from_utf8_lossy(&request(&url, "GET", "/missing").body).contains("页面未找到"),
        "404 is the site's 404.html"
    );
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/news/..%2f..%2fsite.yaml",
        "/content/news/third.md",
        "/site.yaml",
        "/news/",
    ] {
        let r = request(&url, "GET", path);
        if path == "/news/" {
            assert_eq!(r.status, 200);
        } else {
            assert_eq!(r.status, 404, "{path}");
            assert!(
                !String::from_utf8_lossy(&r.body).contains("base_url"),
                "{path} leaked a source file"
            );
        }
    }
    // Processed images: WebP with its type, the original never.
    let page = get_text(&url, "/news/qi-yi-zhu-ti-dang-ri/");
    let webp = regex::Regex::new(r"/media/img/[0-9a-f]+-\d+\.webp")
        .unwrap()
        .find(&page)
        .unwrap()
        .as_str()
        .to_string();
    let r = request(&url, "GET", &webp);
    assert_eq!(r.status, 200);
    assert!(r.headers.contains("content-type: image/webp") && r.body.starts_with(b"RIFF"));
    assert_eq!(
        request(&url, "GET", "/media/content/news/img/photo.png").status,
        404
    );
    let head = request(&url, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty() && head.headers.contains("content-type: text/html"));
    assert_eq!(request(&url, "GET", "/news").status, 301);
    assert_eq!(request(&url, "POST", "/").status, 405);
}

#[test]
fn a_site_that_never_built_shows_why_until_fixed() {
    let t = SiteTest::from_fixture("basic");
    save(
        &t,
        "site.yaml",
        &read(&t, "site.yaml").replace("title: 测试支部", "title: 测试支部\ntitel: x"),
    );
    let (_server, url) = serve(&t);
    let r = request(&url, "GET", "/news/");
    assert_eq!(r.status, 503);
    let body = String::from_utf8_lossy(&r.body);
    assert!(
        body.contains("unknown key `titel`") && body.contains("/__zhanting/live-reload.js"),
        "{body}"
    );
    let rx = events(&url);
    save(
        &t,
        "site.yaml",
        &read(&t, "site.yaml").replace("\ntitel: x", ""),
    );
    wait_for(&rx, "ok");
    assert_eq!(request(&url, "GET", "/news/").status, 200);
}

#[test]
fn boards_are_served_and_laid_out_again_when_their_file_changes() {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "boards/ceshi.yaml",
        "title: 测试展板\nsize: 400x600mm\nblocks:\n  - { type: text, title: 简介, body: 一段文字。 }\n",
    );
    let (_server, url) = serve(&t);
    for (path, ty) in [
        ("/boards/", "text/html; charset=utf-8"),
        ("/boards/ceshi/", "text/html; charset=utf-8"),
        ("/boards/ceshi.pdf", "application/pdf"),
        ("/boards/ceshi.png", "image/png"),
    ] {
        let r = request(&url, "GET", path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers.contains(&format!("content-type: {ty}")),
            "{path}: {}",
            r.headers
        );
    }
    let before = request(&url, "GET", "/boards/ceshi.pdf").body;
    assert!(before.starts_with(b"%PDF-"));
    let rx = events(&url);
    save(
        &t,
        "boards/ceshi.yaml",
        &read(&t, "boards/ceshi.yaml").replace("一段文字。", "改过的文字。"),
    );
    // The preview image changed (laid out after the page, by the follow-up), and any
    // page may show it: every browser reloads.
    wait_for(&rx, "reload [\"*\"]");
    assert_ne!(request(&url, "GET", "/boards/ceshi.pdf").body, before);
    assert!(get_text(&url, "/boards/ceshi/").contains("改过的文字。"));
    assert!(!t.out_dir().exists(), "serve writes no output");
}

#[test]
fn the_deck_and_booklet_are_served_and_follow_the_brand() {
    let t = SiteTest::from_fixture("basic");
    let (_server, url) = serve(&t);
    let links = get_text(&url, "/brand/");
    assert!(links.contains("href=\"/downloads/deck.pdf\""), "{links}");
    for path in ["/downloads/deck.pdf", "/downloads/booklet-2024.pdf"] {
        let r = request(&url, "GET", path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers.contains("content-type: application/pdf"),
            "{path}: {}",
            r.headers
        );
        assert!(r.body.starts_with(b"%PDF-"), "{path}");
    }
    let before = request(&url, "GET", "/downloads/deck.pdf").body;
    let rx = events(&url);
    save(
        &t,
        "brand.yaml",
        &read(&t, "brand.yaml").replace("slogan: 以微见著", "slogan: 以微见著 聚力前行"),
    );
    // The brand page shows the slogan; the deck is laid out again when asked for.
    wait_for(&rx, "reload");
    assert_ne!(request(&url, "GET", "/downloads/deck.pdf").body, before);
    assert!(!t.out_dir().exists(), "serve writes no output");
}

/// Outputs a quick rebuild leaves for the follow-up: the search indexes, feeds and
/// sitemaps (of a portal and of each branch), the boards' print files and previews.
fn waits(file: &str) -> bool {
    let own = |f: &str| {
        f.starts_with("search/")
            || [
                "feed.xml",
                "sitemap.xml",
                "robots.txt",
                "sitemap-portal.xml",
            ]
            .contains(&f)
            || f.strip_prefix("boards/")
                .is_some_and(|b| !b.contains('/') && (b.ends_with(".pdf") || b.ends_with(".png")))
    };
    own(file) || file.split_once('/').is_some_and(|(_, rest)| own(rest))
}

#[test]
fn a_portal_rebuilds_only_the_branch_an_edit_is_in() {
    let t = SiteTest::from_fixture("portal");
    let mut project = fresh(&t).unwrap();
    let page = "branches/er/content/news/yishi.md";
    save(
        &t,
        page,
        &read(&t, page).replace("title: 议事厅开会", "title: 议事厅开会了"),
    );
    let o = project.apply(&[page.into()]).unwrap();
    assert!(o.needs_full);
    assert!(
        o.changed.contains(&"er/news/yishi/index.html".to_string()),
        "{:?}",
        o.changed
    );
    assert!(
        o.changed.contains(&"index.html".to_string()),
        "the portal's home shows it"
    );
    assert!(
        o.changed
            .iter()
            .all(|f| !f.starts_with("yi/") && !f.starts_with("san/")),
        "other branches untouched: {:?}",
        o.changed
    );
    // The result equals a full build, but for what waits for the follow-up one.
    let full = fresh(&t).unwrap();
    for (file, served) in full.files() {
        if !waits(file) {
            assert!(project.get(file) == Some(served), "{file} differs");
        }
    }
    follow(&mut project);
    assert!(project.files() == full.files(), "equal after the follow-up");
    // A broken branch: the error names its folder; the last good portal stays served.
    let before = project.files().clone();
    let broken = "branches/san/content/news/hezuoshe.md";
    save(
        &t,
        broken,
        &read(&t, broken).replace("2026-06-01", "2026-13-01"),
    );
    let err = project.apply(&[broken.into()]).unwrap_err();
    assert!(
        err.contains("branches/san/content/news/hezuoshe.md:3"),
        "{err}"
    );
    assert_eq!(project.files(), &before);
    // A change of portal.yaml reads it again.
    save(
        &t,
        broken,
        &read(&t, broken).replace("2026-13-01", "2026-06-01"),
    );
    save(
        &t,
        "portal.yaml",
        &read(&t, "portal.yaml").replace("title: 测试工委", "title: 新的工委"),
    );
    let o = project
        .apply(&["portal.yaml".into(), broken.into()])
        .unwrap();
    assert!(o.full);
    let home = project.get("index.html").unwrap().bytes().unwrap();
    assert!(String::from_utf8_lossy(&home).contains("新的工委"));
}

/// A save that touches two branches, one of which breaks: nothing of either is served,
/// and once the broken one is fixed, the other's change shows too (its run was not
/// kept while the portal failed). A file in no branch runs nothing.
#[test]
fn a_portal_keeps_no_branch_run_of_a_failed_rebuild() {
    let t = SiteTest::from_fixture("portal");
    // A warning in a branch the failed rebuild does not touch.
    let typo = "branches/yi/content/news/third.md";
    save(
        &t,
        typo,
        &format!("{}\n\n大力弘扬社会主意核心价值观。\n", read(&t, typo)),
    );
    let mut project = fresh(&t).unwrap();
    let warnings = project.unshown_warnings(&[]).unwrap_or_default();
    assert!(warnings.contains("社会主意核心价值观"), "{warnings}");
    let good = "branches/er/content/news/yishi.md";
    let broken = "branches/san/content/news/hezuoshe.md";
    save(
        &t,
        good,
        &read(&t, good).replace("title: 议事厅开会", "title: 议事厅开会了"),
    );
    save(
        &t,
        broken,
        &read(&t, broken).replace("2026-06-01", "2026-13-01"),
    );
    let before = project.files().clone();
    let err = project.apply(&[good.into(), broken.into()]).unwrap_err();
    assert!(
        err.contains("branches/san/content/news/hezuoshe.md:3"),
        "{err}"
    );
    assert!(
        !err.contains("社会主意"),
        "a failed rebuild shows its errors, not the warnings of branches it left: {err}"
    );
    assert_eq!(
        project.files(),
        &before,
        "nothing of the failed rebuild is served"
    );
    save(
        &t,
        broken,
        &read(&t, broken).replace("2026-13-01", "2026-06-01"),
    );
    let o = project.apply(&[broken.into()]).unwrap();
    assert!(
        o.changed.contains(&"er/news/yishi/index.html".to_string()),
        "the other branch's save shows once the portal builds: {:?}",
        o.changed
    );
    let page = project
        .get("er/news/yishi/index.html")
        .unwrap()
        .bytes()
        .unwrap();
    assert!(String::from_utf8_lossy(&page).contains("议事厅开会了"));
    let full = fresh(&t).unwrap();
    assert_quick_equals_full(&project, &full, "after the fix");
    // A file of the portal folder that is in no branch (and not portal.yaml).
    t.file("notes.txt", "会议记录");
    let o = project.apply(&["notes.txt".into()]).unwrap();
    assert!(o.changed.is_empty(), "{:?}", o.changed);
}

#[test]
fn serving_a_portal_follows_saves_in_its_branches() {
    let t = SiteTest::from_fixture("portal");
    let (_server, url) = serve(&t);
    let page = "branches/san/content/news/hezuoshe.md";
    assert!(get_text(&url, "/san/news/hezuoshe/").contains("党员帮扶村里的合作社"));
    let rx = events(&url);
    save(
        &t,
        page,
        &read(&t, page).replace("title: 党员帮扶村里的合作社", "title: 党员帮扶金银花合作社"),
    );
    // A reload arrives (the page's, or every page's: its new title gives it a new link
    // card, as in a site), and the page shows the save.
    wait_for(&rx, "reload");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !get_text(&url, "/san/news/hezuoshe/").contains("党员帮扶金银花合作社") {
        assert!(Instant::now() < deadline, "the save never showed");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        get_text(&url, "/").contains("党员帮扶金银花合作社"),
        "the portal's home follows"
    );
}

/// serve's first load reads the record of files the checks found clean (as a build
/// does) and writes it, so starting serve on a large site does not check every page
/// again: a file the record holds as clean, unchanged, is not read for the checks.
#[test]
fn serve_starts_from_the_record_of_clean_files_and_keeps_it() {
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "content/news/third.md",
        "第三篇正文。",
        "第三篇正文。\n\n大力弘扬社会主意核心价值观。",
    );
    let record = t.site.join(".zhanting-cache/checks/clean");
    let mut project = fresh(&t).unwrap();
    let warnings = project.unshown_warnings(&[]).unwrap_or_default();
    assert!(warnings.contains("社会主意核心价值观"), "{warnings}");
    let text = std::fs::read_to_string(&record).expect("serve's first load keeps the record");
    assert!(text.contains("\tcontent/about.md\n"), "{text}");
    assert!(!text.contains("third.md"), "{text}");

    // The record now says the file with the typo is clean, as it is: the next start
    // takes its word and does not read the file for the checks.
    let meta = std::fs::metadata(t.site.join("content/news/third.md")).unwrap();
    let nanos = meta
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let forged = format!("{text}{}.{nanos}\tcontent/news/third.md\n", meta.len());
    std::fs::write(&record, forged).unwrap();
    let mut project = fresh(&t).unwrap();
    let warnings = project.unshown_warnings(&[]).unwrap_or_default();
    assert!(!warnings.contains("社会主意核心价值观"), "{warnings}");
}
