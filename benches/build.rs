//! Criterion benches of the hot paths, over a synthetic site of Chinese pages: loading
//! (front matter + Markdown), one page's Markdown, rendering (templates, section and tag
//! pagination, feeds), the search index, a warm build, and one camera photo through the
//! image pipeline.
//!
//! `cargo bench --bench build` (ZHANTING_BENCH_PAGES sets the size, default 1000).

use criterion::{criterion_group, criterion_main, Criterion};
use zhanting::BuildOptions;

#[path = "common/site.rs"]
mod site;

fn bench(c: &mut Criterion) {
    let pages = std::env::var("ZHANTING_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let tmp = tempfile::tempdir().unwrap();
    site::write_site(tmp.path(), pages);
    let opts = BuildOptions::default();
    let mut group = c.benchmark_group(format!("{pages} pages"));
    group.sample_size(10);
    group.bench_function("load (front matter + Markdown)", |b| {
        b.iter(|| zhanting::load_site(tmp.path(), &opts, true).unwrap())
    });
    let (site, urls, _) = zhanting::load_site(tmp.path(), &opts, true).unwrap();
    let site = std::sync::Arc::new(site);
    let pipeline = zhanting::Pipeline::build(tmp.path(), &opts);
    group.bench_function("render (templates, lists, tags, feeds, search)", |b| {
        b.iter(|| {
            let mut diags = zhanting::error::Diagnostics::new();
            pipeline.render(&site, &urls, &["images", "boards"], &mut diags)
        })
    });
    group.bench_function("search index", |b| {
        b.iter(|| {
            let files = zhanting::render::search::render(
                std::slice::from_ref(&site),
                zhanting::render::search::documents(&site),
            );
            // Text files are made while writing: make them, as a build does.
            files
                .into_iter()
                .map(|(_, c)| {
                    if let zhanting::artifact::Content::Deferred(f) = c {
                        usize::from(f().is_ok())
                    } else {
                        0
                    }
                })
                .sum::<usize>()
        })
    });
    group.bench_function("build (warm output)", |b| {
        b.iter(|| zhanting::build(tmp.path(), &opts).unwrap())
    });
    group.finish();

    // One page's Markdown, alone.
    let source = std::fs::read_to_string(tmp.path().join("content/news/p00001.md")).unwrap();
    let body = source.splitn(3, "---").nth(2).unwrap().to_string();
    let pages_map: rustc_hash::FxHashMap<std::sync::Arc<str>, std::sync::Arc<str>> = (0..pages)
        .map(|i| {
            (
                format!("content/news/p{i:05}.md").into(),
                format!("/news/p{i:05}/").into(),
            )
        })
        .collect();
    let none = rustc_hash::FxHashSet::default();
    let folder = zhanting::folder::SiteFolder::disk(tmp.path());
    let ctx = zhanting::markdown::LinkContext {
        folder: &folder,
        file: "content/news/p00001.md",
        file_source: &source,
        line_offset: 0,
        page_path: "/news/p00001/",
        urls: &urls,
        pages: &pages_map,
        unpublished: &none,
        slugs: zhanting::config::SlugMode::Pinyin,
        pictures: None,
    };
    c.bench_function("markdown of one page", |b| {
        b.iter(|| zhanting::markdown::render(&body, &ctx))
    });

    // One 4000×3000 photo decoded (DCT-scaled), resized to three widths, encoded.
    let photo_site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(photo_site.path().join("albums/a")).unwrap();
    let (w, h) = (4000u32, 3000u32);
    let pixels: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let (x, y) = (i % w, i / w);
            [(x / 16) as u8, (y / 12) as u8, ((x ^ y) & 0xff) as u8]
        })
        .collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 90)
        .encode(&pixels, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    std::fs::write(photo_site.path().join("albums/a/p.jpg"), jpeg).unwrap();
    let settings = zhanting::config::Images {
        widths: vec![480, 1200, 2000],
        quality: 75,
        formats: vec![zhanting::config::ImageFormat::Jpeg],
        strip_metadata: true,
    };
    let planner = zhanting::load::media::Planner::new(
        photo_site.path(),
        &settings,
        std::sync::Arc::new(zhanting::cache::SourceHashes::default()),
    );
    let mut diags = zhanting::error::Diagnostics::new();
    let media = zhanting::load::media::plan(&["albums/a/p.jpg".to_string()], &planner, &mut diags);
    let cache = zhanting::cache::DiskCache::new(photo_site.path(), "images");
    let mut photo = c.benchmark_group("image pipeline");
    photo.sample_size(10);
    photo.bench_function("4000×3000 JPEG → 480/1200/2000 JPEG", |b| {
        b.iter(|| {
            let _ = std::fs::remove_dir_all(&cache.dir);
            let mut diags = zhanting::error::Diagnostics::new();
            zhanting::images::process(&media, &cache, &settings, &Default::default(), &mut diags)
        })
    });
    photo.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
