//! `portal.yaml`: a committee's portal over its branches' site folders. The same strict
//! schema rules as `site.yaml`, its title, address, theme and footer keys, and the list
//! of branches.

use crate::config::{self, Footer, Language, SiteConfig, Theme};
use crate::error::Diagnostic;
use crate::yaml;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const FILE: &str = "portal.yaml";

/// The portal's own paths, which no branch slug may take.
pub const RESERVED_SLUGS: &[&str] = &[
    "branches",
    "boards",
    "search",
    "assets",
    "media",
    "feed.xml",
    "sitemap.xml",
    "404.html",
    "robots.txt",
];

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalConfig {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    /// One sentence for search engines and link previews.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub theme: Theme,
    #[serde(default)]
    pub footer: Footer,
    #[serde(default = "yes")]
    pub search: bool,
    #[serde(default = "yes")]
    pub feed: bool,
    pub branches: Vec<BranchEntry>,
    /// Where `zhanting publish` puts the portal, every branch under its slug.
    #[serde(default)]
    pub publish: Option<config::publish::Publish>,
}

fn yes() -> bool {
    true
}

/// One line of `branches:`.
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchEntry {
    /// The branch's site folder, relative to the portal folder.
    pub path: String,
    /// Where the branch is published under the portal: `/SLUG/`. Defaults to the
    /// folder's name.
    #[serde(default)]
    pub slug: Option<String>,
}

/// A branch of a checked portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    pub slug: String,
    /// The branch's site folder.
    pub dir: PathBuf,
    /// The folder as `portal.yaml` names it, which its diagnostics are prefixed with.
    pub shown: String,
}

/// A portal read and checked: its settings and its branches.
#[derive(Debug, Clone)]
pub struct Portal {
    pub dir: PathBuf,
    pub config: PortalConfig,
    pub branches: Vec<Branch>,
}

/// Whether `dir` is a portal folder (it has `portal.yaml`).
pub fn is_portal(dir: &Path) -> bool {
    dir.join(FILE).is_file()
}

impl Portal {
    /// Reads and checks `DIR/portal.yaml`: every problem is returned, each at its line.
    pub fn from_dir(dir: &Path) -> Result<Portal, Vec<Diagnostic>> {
        let src = std::fs::read_to_string(dir.join(FILE))
            .map_err(|e| vec![Diagnostic::unreadable(FILE, &e)])?;
        Portal::parse(dir, &src)
    }

    /// Parses and checks `src`, the text of the portal.yaml of folder `dir` (where the
    /// branch folders it lists are looked for).
    pub fn parse(dir: &Path, src: &str) -> Result<Portal, Vec<Diagnostic>> {
        let secrets = config::publish::secrets_in(FILE, src);
        if !secrets.is_empty() {
            return Err(secrets);
        }
        let config: PortalConfig = yaml::parse(FILE, src, src, 0).map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        let mut branches = Vec::new();
        // The entry (index into `lines`) each accepted branch was listed at.
        let mut listed_at: Vec<usize> = Vec::new();
        check_settings(&config, src, &mut problems);
        if let Some(p) = &config.publish {
            problems.extend(p.check(FILE, src));
        }
        let lines = yaml::item_lines(src, "branches");
        if config.branches.is_empty() {
            problems.push(
                Diagnostic::error("portal.yaml lists no branches", "portal.yaml 没有列出任何支部")
                    .file(FILE)
                    .at_opt(src, yaml::find_key(src, "branches", 1))
                    .hint(
                        "list each branch's site folder, e.g. `- { path: branches/longquan, slug: longquan }`",
                        "请列出各支部的站点目录，例如 `- { path: branches/longquan, slug: longquan }`",
                    ),
            );
        }
        for (i, entry) in config.branches.iter().enumerate() {
            let at = lines.get(i).copied();
            match branch(dir, entry, src, at) {
                Ok(b) => {
                    if let Some(first) = branches.iter().position(|o: &Branch| o.slug == b.slug) {
                        let first_line = lines.get(listed_at[first]).map_or(0, |l| l.0);
                        problems.push(
                            Diagnostic::error(
                                format!("the slug `{}` is used by two branches", b.slug),
                                format!("两个支部使用了同一个 slug `{}`", b.slug),
                            )
                            .file(FILE)
                            .at_opt(src, at)
                            .hint(
                                format!("line {first_line} uses it already: give this branch its own, e.g. `slug: {}-2`", b.slug),
                                format!("第 {first_line} 行已使用它：请为这个支部另起一个，例如 `slug: {}-2`", b.slug),
                            ),
                        );
                    } else {
                        branches.push(b);
                        listed_at.push(i);
                    }
                }
                Err(d) => problems.push(d),
            }
        }
        if problems.is_empty() {
            Ok(Portal {
                dir: dir.to_path_buf(),
                config,
                branches,
            })
        } else {
            Err(problems)
        }
    }

    /// The portal's settings as a site's, for the templates every page shares.
    pub fn site_config(&self, nav: Vec<config::NavItem>) -> SiteConfig {
        let c = &self.config;
        SiteConfig {
            title: c.title.clone(),
            subtitle: c.subtitle.clone(),
            description: c.description.clone(),
            base_url: c.base_url.clone(),
            language: c.language,
            organization: c.organization.clone(),
            logo: None,
            theme: c.theme.clone(),
            nav: Some(nav),
            footer: c.footer.clone(),
            slugs: Default::default(),
            paginate_by: 20,
            images: Default::default(),
            boards: Default::default(),
            search: c.search,
            feed: c.feed,
            documents: false,
            publish: None,
            portal: None,
        }
    }

    /// What each branch's pages link back to: the portal's home at `base_path` of
    /// the server.
    pub fn link(&self, base_path: &str) -> config::PortalLink {
        config::PortalLink {
            title: self.config.title.clone(),
            path: base_path.to_string(),
        }
    }

    /// The portal's address, normalized.
    pub fn base_url(&self) -> Option<String> {
        self.config
            .base_url
            .as_deref()
            .map(config::normalize_base_url)
    }
}

fn check_settings(c: &PortalConfig, src: &str, out: &mut Vec<Diagnostic>) {
    if c.title.trim().is_empty() {
        out.push(
            Diagnostic::error("the portal title is empty", "门户标题 title 为空")
                .file(FILE)
                .at_opt(src, yaml::find_key(src, "title", 1))
                .hint(
                    "write the committee's name, e.g. title: 中共某某区直属机关工作委员会",
                    "请填写党委名称，例如 title: 中共某某区直属机关工作委员会",
                ),
        );
    }
    if let Some(url) = &c.base_url {
        if let Err((en, zh)) = config::check_base_url(url) {
            out.push(
                Diagnostic::error(en, zh)
                    .file(FILE)
                    .at_opt(src, yaml::find_key(src, "base_url", 1))
                    .hint(
                        "write the full address the portal is served at, e.g. https://dangjian.example.org/",
                        "请填写门户的完整地址，例如 https://dangjian.example.org/",
                    ),
            );
        }
    }
    for (key, value) in [("primary", &c.theme.primary), ("accent", &c.theme.accent)] {
        if !config::is_hex_colour(value) {
            out.push(
                Diagnostic::error(
                    format!("theme.{key} `{value}` is not a colour"),
                    format!("theme.{key} 的值 `{value}` 不是颜色"),
                )
                .file(FILE)
                .at_opt(src, yaml::find_value(src, key, value))
                .hint(
                    "write a hex colour in quotes, e.g. primary: \"#c8161d\"",
                    "请用带引号的十六进制颜色，例如 primary: \"#c8161d\"",
                ),
            );
        }
    }
}

/// Whether `slug` is a lower-case ASCII name: letters, digits and hyphens, not starting
/// with a hyphen.
fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
}

/// The branch of `entry`, checked: its folder exists, is a site and not a portal, and
/// its slug is a valid path segment the portal does not use itself.
fn branch(
    portal: &Path,
    entry: &BranchEntry,
    src: &str,
    at: Option<(usize, usize)>,
) -> Result<Branch, Diagnostic> {
    let err = |en: String, zh: String, hint: (String, String)| {
        Diagnostic::error(en, zh)
            .file(FILE)
            .at_opt(src, at)
            .hint(hint.0, hint.1)
    };
    // As the watcher names its files: `/` between parts, no `.` parts.
    let shown = entry
        .path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/");
    let dir = portal.join(&shown);
    let p = &entry.path;
    if !dir.is_dir() {
        return Err(err(
            format!("the branch folder {p} does not exist"),
            format!("支部目录 {p} 不存在"),
            (
                format!(
                    "the path is relative to the portal folder ({})",
                    portal.display()
                ),
                format!("路径相对于门户目录（{}）", portal.display()),
            ),
        ));
    }
    if is_portal(&dir) {
        return Err(err(
            format!("the branch folder {p} is itself a portal (it has portal.yaml)"),
            format!("支部目录 {p} 本身是一个门户（含 portal.yaml）"),
            (
                "a portal lists branch sites, not other portals: list that portal's branches here instead".into(),
                "门户只能列出支部站点，不能嵌套门户：请直接在这里列出那个门户的各支部".into(),
            ),
        ));
    }
    if !dir.join(config::FILE).is_file() {
        return Err(err(
            format!("the branch folder {p} has no site.yaml"),
            format!("支部目录 {p} 中没有 site.yaml"),
            (
                "a branch is a zhanting site folder: check the path, or create one with `zhanting init`".into(),
                "支部应是一个 zhanting 站点目录：请检查路径，或用 `zhanting init` 新建".into(),
            ),
        ));
    }
    let slug = match &entry.slug {
        Some(s) => s.clone(),
        None => Path::new(&shown)
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default(),
    };
    if !is_slug(&slug) {
        return Err(err(
            format!("the branch slug `{slug}` is not a lower-case ASCII name"),
            format!("支部 slug `{slug}` 不是小写英文字母、数字和连字符组成的名称"),
            (
                "give the branch a slug of letters, digits and hyphens, e.g. `slug: longquan`"
                    .into(),
                "请为该支部写一个由字母、数字和连字符组成的 slug，例如 `slug: longquan`".into(),
            ),
        ));
    }
    if RESERVED_SLUGS.contains(&slug.as_str()) {
        return Err(err(
            format!("the branch slug `{slug}` is a path of the portal itself"),
            format!("支部 slug `{slug}` 与门户自身的路径冲突"),
            (
                format!(
                    "choose another slug; the portal uses {}",
                    RESERVED_SLUGS.join(", ")
                ),
                format!("请另选一个；门户自身使用 {}", RESERVED_SLUGS.join("、")),
            ),
        ));
    }
    Ok(Branch { slug, dir, shown })
}

#[cfg(test)]
pub(crate) fn schema() -> schemars::Schema {
    schemars::schema_for!(PortalConfig)
}
