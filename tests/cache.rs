//! Every artifact made with the caches equals the one a cold build makes without them:
//! random edits to any kind of source file (a report's body, front matter, brand.yaml,
//! achievements, an album's captions, a board, site.yaml, a picture replaced), and after
//! each one the site built again with its `.zhanting-cache/` compared, file by file and
//! byte by byte (pages, board PDFs and previews, the deck, the booklet, link cards), with
//! a copy of the site built from nothing. Then the same through `serve`.

mod common;

use common::{read, save, Rng, SiteTest};
use std::collections::BTreeMap;
use std::path::Path;
use zhanting::error::Lang;
use zhanting::serve::project::Project;

/// The "basic" fixture with a board that shows the brand, the achievements and the
/// album, so every kind of cached artifact is made.
fn site() -> SiteTest {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "boards/fengcai.yaml",
        "# 支部风采展板\ntitle: 支部风采\nsize: 600x900mm\nblocks:\n  - { type: text, title: 简介, body: 支部简介。 }\n  - { type: stats, from: achievements }\n  - { type: photos, album: trip }\n  - { type: pillars, from: brand }\n",
    );
    t
}

/// A picture of `w`×`h` pixels in one colour, as PNG.
fn png(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb(rgb));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The kinds of edit, each changing what some cached artifact shows (or only where its
/// messages point).
const KINDS: usize = 9;

/// Edit `kind` at step `step`; returns the files it touched.
fn edit(t: &SiteTest, rng: &mut Rng, kind: usize, step: usize) -> Vec<String> {
    let report = ["content/news/third.md", "content/news/七一主题党日.md"][rng.below(2)];
    let touched = match kind {
        // A report's body: a phone number masked (the booklet once kept the old one).
        0 => {
            let text = read(t, report);
            let text = if text.contains("13812342345") {
                text.replace("13812342345", "138****2345")
            } else {
                format!("{text}\n联系电话 13812342345，第{step}次修改。\n")
            };
            save(t, report, &text);
            report.to_string()
        }
        // Front matter: the title, or a comment that moves every line below it.
        1 => {
            let text = read(t, report);
            let text = if rng.below(2) == 0 {
                text.replacen("title: ", &format!("title: 改{step} "), 1)
            } else {
                text.replacen("---\n", &format!("---\n# 备注{step}\n"), 1)
            };
            save(t, report, &text);
            report.to_string()
        }
        2 => {
            let text =
                read(t, "brand.yaml").replacen("slogan: ", &format!("slogan: 第{step}版"), 1);
            save(t, "brand.yaml", &text);
            "brand.yaml".into()
        }
        3 => {
            let text = read(t, "achievements.yaml").replacen(
                "value: ",
                &format!("value: {}", step + 1),
                1,
            );
            save(t, "achievements.yaml", &text);
            "achievements.yaml".into()
        }
        4 => {
            let rel = "albums/trip/album.yaml";
            let text = read(t, rel).replacen("caption: ", &format!("caption: 第{step}张"), 1);
            save(t, rel, &text);
            rel.into()
        }
        // A picture replaced, by one of the same size or of another size.
        5 => {
            let rel = "albums/trip/a.png";
            let colour = [(step * 40 % 256) as u8, 90, 160];
            let bytes = if rng.below(2) == 0 {
                png(8, 6, colour)
            } else {
                png(640, 480, colour)
            };
            std::fs::write(t.site.join(rel), bytes).unwrap();
            rel.into()
        }
        // The board: a block's title, or a comment line above it all.
        6 => {
            let rel = "boards/fengcai.yaml";
            let text = read(t, rel);
            let text = if rng.below(2) == 0 {
                text.replacen("title: 简介", &format!("title: 简介{step}"), 1)
            } else {
                format!("# 第{step}次修改\n{text}")
            };
            save(t, rel, &text);
            rel.into()
        }
        7 => {
            let text = read(t, "site.yaml").replacen(
                "organization: ",
                &format!("organization: 第{step}"),
                1,
            );
            save(t, "site.yaml", &text);
            "site.yaml".into()
        }
        // A report of the year comes or goes.
        _ => {
            let rel = "content/news/new.md";
            if t.site.join(rel).exists() {
                std::fs::remove_file(t.site.join(rel)).unwrap();
            } else {
                save(
                    t,
                    rel,
                    &format!(
                        "---\ntitle: 新报道{step}\ndate: 2024-03-0{}\n---\n新报道的正文{step}。\n",
                        1 + rng.below(9)
                    ),
                );
            }
            rel.into()
        }
    };
    vec![touched]
}

/// The kinds in a seeded order, each at least once.
fn kinds(rng: &mut Rng, rounds: usize) -> Vec<usize> {
    let mut all: Vec<usize> = (0..rounds).flat_map(|_| 0..KINDS).collect();
    for i in (1..all.len()).rev() {
        all.swap(i, rng.below(i + 1));
    }
    all
}

/// Every file below `dir` by its path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    SiteTest::snapshot(dir)
        .into_iter()
        .map(|(k, (bytes, _))| (k, bytes))
        .collect()
}

/// A copy of the site without its cache and output, in a new temporary folder.
fn cold_copy(t: &SiteTest) -> SiteTest {
    let cold = SiteTest::from_dir(&t.site);
    let _ = std::fs::remove_dir_all(cold.site.join(".zhanting-cache"));
    cold
}

/// The names of the files that differ between two builds.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut out: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(b.keys().filter(|k| !a.contains_key(*k)).cloned());
    out
}

#[test]
fn builds_with_the_cache_equal_cold_builds_over_random_edits() {
    let t = site();
    t.build(&[]).ok();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for (step, kind) in kinds(&mut rng, 1).into_iter().enumerate() {
        let touched = edit(&t, &mut rng, kind, step);
        let warm = t.build(&[]);
        warm.ok();
        let cold = cold_copy(&t);
        let fresh = cold.build(&[]);
        fresh.ok();
        let (a, b) = (files(&t.out_dir()), files(&cold.out_dir()));
        assert!(
            a.keys()
                .any(|k| k.starts_with("boards/") && k.ends_with(".pdf"))
                && a.contains_key("downloads/booklet-2024.pdf")
                && a.contains_key("downloads/deck.pdf"),
            "the site makes every kind of cached artifact: {:?}",
            a.keys().collect::<Vec<_>>()
        );
        let differ = differences(&a, &b);
        assert!(
            differ.is_empty(),
            "step {step}, after editing {touched:?}: built with the cache, {differ:?} differ from a cold build\n{}",
            warm.stdout
        );
        assert_eq!(
            warm.stderr, fresh.stderr,
            "step {step}, after editing {touched:?}: the warnings differ"
        );
    }
}

/// The served files of a serve project, made.
fn served(p: &Project) -> BTreeMap<String, Vec<u8>> {
    p.files()
        .iter()
        .map(|(k, v)| (k.clone(), v.bytes().unwrap().to_vec()))
        .collect()
}

#[test]
fn serve_with_the_cache_equals_a_cold_serve_over_random_edits() {
    let t = site();
    let url = "http://127.0.0.1:1111/";
    let mut project = Project::new(&t.site, url, Lang::En);
    project.full().unwrap();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for (step, kind) in kinds(&mut rng, 1).into_iter().enumerate() {
        let touched = edit(&t, &mut rng, kind, step);
        let outcome = project
            .apply(&touched)
            .unwrap_or_else(|e| panic!("step {step}: {e}"));
        if outcome.needs_full {
            project.full().unwrap();
        }
        let cold = cold_copy(&t);
        let mut fresh = Project::new(&cold.site, url, Lang::En);
        fresh.full().unwrap();
        let differ = differences(&served(&project), &served(&fresh));
        assert!(
            differ.is_empty(),
            "step {step}, after editing {touched:?}: served with the cache, {differ:?} differ from a cold preview"
        );
    }
}

/// A page's card (its own page, lists, its neighbours) shows its video: the video
/// replaced while the page stays as it is reaches every card in a preview (the kept
/// card's key once left the video out).
#[test]
fn a_video_replaced_under_an_unchanged_page_reaches_its_cards() {
    let t = SiteTest::from_fixture("video");
    let url = "http://127.0.0.1:1111/";
    let mut project = Project::new(&t.site, url, Lang::En);
    project.full().unwrap();
    let rel = "albums/huodong/clip.mp4";
    let mut clip = std::fs::read(t.site.join(rel)).unwrap();
    // A free box at the end: another file (another content hash, another size) that
    // plays the same.
    clip.extend_from_slice(&[0, 0, 0, 16, b'f', b'r', b'e', b'e', 1, 2, 3, 4, 5, 6, 7, 8]);
    std::fs::write(t.site.join(rel), &clip).unwrap();
    if project.apply(&[rel.to_string()]).unwrap().needs_full {
        project.full().unwrap();
    }
    let cold = cold_copy(&t);
    let mut fresh = Project::new(&cold.site, url, Lang::En);
    fresh.full().unwrap();
    let (a, b) = (served(&project), served(&fresh));
    let differ = differences(&a, &b);
    assert!(differ.is_empty(), "{differ:?} differ from a cold preview");
    let published = a
        .keys()
        .find(|k| k.starts_with("media/video/") && k.ends_with(".mp4"))
        .unwrap();
    assert_eq!(a[published], clip, "the new video is served");
    let page = String::from_utf8(a["news/chuxin/index.html"].clone()).unwrap();
    assert!(
        page.contains(published.as_str()),
        "the page plays the new video"
    );
}
