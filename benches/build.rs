//! Criterion benches of the build's stages over a synthetic site of Chinese pages:
//! loading (front matter + Markdown) and rendering (templates, lists, tags).
//!
//! `cargo bench --bench build` (set ZHANTING_BENCH_PAGES to change the size, default 1000).

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
    group.bench_function("render (templates, lists, tags, feeds)", |b| {
        b.iter(|| zhanting::render_site(&site, &urls).unwrap())
    });
    group.bench_function("build (warm output)", |b| {
        b.iter(|| zhanting::build(tmp.path(), &opts).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
