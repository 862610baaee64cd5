//! The layers of `src/`: each top-level module has a rank, and a module may use only
//! modules of its own rank or below, with no cycle among them. Read from the
//! `crate::…` paths of every source file, so a new `use` that climbs a layer, or a new
//! module without a rank, fails here. ARCHITECTURE.md explains the layers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Rank by module: bottom first. Keep in step with ARCHITECTURE.md.
const RANKS: &[(&str, u8)] = &[
    // plain data and facts every stage shares
    ("error", 0),
    ("paths", 0),
    ("yaml", 0),
    ("slug", 0),
    ("config", 0),
    ("urls", 0),
    ("model", 0),
    ("theme", 0),
    ("cache", 0),
    ("folder", 0),
    ("timing", 0),
    ("qr", 0),
    ("typeset", 0),
    // what stages exchange, and Markdown
    ("artifact", 1),
    ("markdown", 1),
    ("checks", 1),
    // documents from elsewhere (.docx, saved WeChat pages) as Markdown: pure readers
    ("convert", 1),
    // loading, and what renderers are built on
    ("load", 2),
    ("templates", 2),
    ("images", 2),
    // the settings reference (tests only), made from the loader's schemas
    ("reference", 3),
    // renderers
    ("render", 3),
    ("boards", 3),
    ("documents", 3),
    ("portal", 3),
    // writing
    ("output", 4),
    ("links", 4),
    // driving
    ("pipeline", 5),
    ("publish", 5),
    // the browser editor's file work (serve's HTTP side uses it; it offers init)
    ("edit", 6),
    ("serve", 6),
    ("init", 6),
    // `zhanting import`: loads the site, converts, checks and writes a new page
    ("import", 6),
];

/// The top-level module of a file of `src/` (`load/content.rs` → `load`); `None` for
/// the crate roots.
fn module_of(rel: &str) -> Option<String> {
    let first = rel.split('/').next()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main" | "cli")).then(|| name.to_string())
}

/// Every module `crate::…` names in `text`, with `use crate::{a, b::c}` groups opened.
fn used(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let path = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    for c in path.captures_iter(&code) {
        out.insert(c[1].to_string());
    }
    let group = regex::Regex::new(r"crate::\{([^}]*)\}").unwrap();
    for c in group.captures_iter(&code) {
        for item in c[1].split(',') {
            let name = item.trim().split("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                out.insert(name.to_string());
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in walkdir::WalkDir::new(&src) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Some(module) = module_of(&rel) else {
            continue;
        };
        let text = std::fs::read_to_string(e.path()).unwrap();
        let deps = g.entry(module.clone()).or_default();
        for d in used(&text) {
            if d != module {
                deps.insert(d);
            }
        }
    }
    g
}

#[test]
fn every_module_has_a_rank_and_uses_only_its_layer_and_below() {
    let ranks: BTreeMap<&str, u8> = RANKS.iter().copied().collect();
    let mut problems = Vec::new();
    for (module, deps) in graph() {
        let Some(&rank) = ranks.get(module.as_str()) else {
            problems.push(format!("src/{module} has no rank in tests/layers.rs"));
            continue;
        };
        for d in deps {
            match ranks.get(d.as_str()) {
                Some(&r) if r <= rank => {}
                Some(&r) => problems.push(format!(
                    "{module} (rank {rank}) uses {d} (rank {r}), a higher layer"
                )),
                None => problems.push(format!("{module} uses {d}, which has no rank")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_cycle_among_the_top_level_modules() {
    let g = graph();
    // Depth-first search; a module met again while on the stack closes a cycle.
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == m) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.to_string());
        for d in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, g, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in g.keys() {
        if let Some(cycle) = visit(m, &g, &mut Vec::new(), &mut done) {
            panic!("a cycle among the modules of src/: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_reader_finds_groups_and_paths() {
    let deps = used("use crate::{error::Diagnostic, model};\nfn f() { crate::urls::routes::HOME; }\n// crate::serve in a comment\n");
    assert_eq!(
        deps.into_iter().collect::<Vec<_>>(),
        vec!["error", "model", "urls"]
    );
}
