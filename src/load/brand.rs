//! `brand.yaml` (the brand and its pillars) and `achievements.yaml` (stats, honours,
//! milestones).

use super::content::{date_error, LinkEnv};
use super::{check_file_ref, read_text};
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::model::{Achievements, Brand, Date, Honor, Milestone, Pillar, Stat};
use crate::slug::slugify;
use crate::yaml::{self, Number};
use serde::Deserialize;
use std::collections::HashMap;

pub const BRAND_FILE: &str = "brand.yaml";
pub const ACHIEVEMENTS_FILE: &str = "achievements.yaml";

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BrandFile {
    name: String,
    #[serde(default)]
    slogan: Option<String>,
    #[serde(default)]
    logo: Option<String>,
    #[serde(default)]
    logo_meaning: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    meaning: Option<String>,
    #[serde(default)]
    story: Option<String>,
    #[serde(default)]
    pillars: Vec<PillarEntry>,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PillarEntry {
    name: String,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    motto: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    cover: Option<String>,
}

/// `brand.yaml` parsed but not yet checked against the rest of the site.
pub struct RawBrand {
    src: String,
    data: Option<BrandFile>,
    error: Option<Diagnostic>,
    read_errors: Diagnostics,
}

impl RawBrand {
    /// The text of brand.yaml.
    pub fn src(&self) -> &str {
        &self.src
    }
}

pub fn load_brand_file(folder: &SiteFolder) -> Option<RawBrand> {
    let mut read_errors = Diagnostics::new();
    let src = read_text(folder, BRAND_FILE, &mut read_errors);
    if src.is_none() && read_errors.is_empty() {
        return None;
    }
    let src = src.unwrap_or_default();
    let (data, error) = match yaml::parse::<BrandFile>(BRAND_FILE, &src, &src, 0) {
        Ok(d) => (Some(d), None),
        Err(e) => (None, Some(e)),
    };
    Some(RawBrand {
        src,
        data: data.filter(|_| read_errors.is_empty()),
        error: error.filter(|_| read_errors.is_empty()),
        read_errors,
    })
}

impl RawBrand {
    /// `(name, key)` of each pillar, in order; what page front matter may name.
    /// `None` when brand.yaml could not be read.
    pub fn pillar_names(&self, mode: crate::config::SlugMode) -> Option<Vec<(String, String)>> {
        self.data.as_ref().map(|d| {
            d.pillars
                .iter()
                .map(|p| (p.name.clone(), pillar_key(p, mode)))
                .collect()
        })
    }

    /// The brand's own name and its pillars' names, as written: the wording check
    /// takes them as right (a brand's name often plays on a formulation).
    /// When the file is broken, the `name:` lines as written.
    pub fn own_names(&self) -> Vec<String> {
        let names: Vec<String> = match &self.data {
            Some(d) => std::iter::once(&d.name)
                .chain(d.pillars.iter().map(|p| &p.name))
                .cloned()
                .collect(),
            None => self
                .src
                .lines()
                .filter_map(|l| {
                    let l = l
                        .trim_start_matches([' ', '\u{3000}', '\t', '-'])
                        .trim_start();
                    l.strip_prefix("name:").or_else(|| l.strip_prefix("name："))
                })
                .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
                .collect(),
        };
        names.into_iter().filter(|n| !n.trim().is_empty()).collect()
    }

    pub fn finish(
        self,
        folder: &SiteFolder,
        env: &LinkEnv,
        diags: &mut Diagnostics,
    ) -> Option<Brand> {
        diags.extend(self.read_errors.iter().cloned());
        if let Some(e) = &self.error {
            diags.push(e.clone());
        }
        let data = self.data.as_ref()?;
        let src = &self.src;
        let file = BRAND_FILE;
        let asset = |key: &str, target: &Option<String>, diags: &mut Diagnostics| {
            target
                .as_deref()
                .and_then(|t| check_file_ref(folder, file, src, key, t, diags))
                .map(|rel| crate::model::Asset::of(&rel))
        };
        let logo = asset("logo", &data.logo, diags);
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut pillars = Vec::new();
        for p in &data.pillars {
            let Some(key) = self.pillar_key(p, env.slugs, &mut seen, diags) else {
                continue;
            };
            let path = crate::urls::routes::pillar(&key);
            let body = p
                .body
                .as_deref()
                .map(|b| env.render_yaml_markdown(file, src, b, &path, diags))
                .unwrap_or_default();
            pillars.push(Pillar {
                name: p.name.clone(),
                path,
                key,
                motto: p.motto.clone(),
                summary: p.summary.clone(),
                body,
                cover: asset("cover", &p.cover, diags),
                pages: Vec::new(),
            });
        }
        let mut md = |text: &Option<String>| {
            text.as_deref()
                .map(|t| env.render_yaml_markdown(file, src, t, crate::urls::routes::BRAND, diags))
                .unwrap_or_default()
        };
        let meaning = md(&data.meaning);
        let story = md(&data.story);
        Some(Brand {
            name: data.name.clone(),
            slogan: data.slogan.clone(),
            logo,
            logo_meaning: data.logo_meaning.clone(),
            summary: data.summary.clone(),
            meaning,
            meaning_markdown: data.meaning.clone(),
            story,
            pillars,
        })
    }

    /// A pillar's key, which must be usable in a URL and not taken by another pillar.
    fn pillar_key(
        &self,
        p: &PillarEntry,
        mode: crate::config::SlugMode,
        seen: &mut HashMap<String, String>,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let (src, file) = (&self.src, BRAND_FILE);
        let key = pillar_key(p, mode);
        let pos = yaml::find_value(src, "name", &p.name);
        if key.is_empty() || key.contains('/') {
            diags.push(
                Diagnostic::error(
                    format!("pillar `{}` has no usable key", p.name),
                    format!("载体 `{}` 没有可用的 key", p.name),
                )
                .file(file)
                .at_opt(src, pos)
                .hint(
                    "add key: with letters, digits and dashes, e.g. key: wei-dangke",
                    "请添加由字母、数字和短横线组成的 key，例如 key: wei-dangke",
                ),
            );
            return None;
        }
        if let Some(other) = seen.insert(key.clone(), p.name.clone()) {
            diags.push(
                Diagnostic::error(
                    format!("pillars `{other}` and `{}` both have the key `{key}`, so both would be /brand/{key}/", p.name),
                    format!("载体 `{other}` 和 `{}` 的 key 都是 `{key}`，会生成同一个页面 /brand/{key}/", p.name),
                )
                .file(file)
                .at_opt(src, pos)
                .hint("give one of them a different key:", "请为其中一个设置不同的 key:"),
            );
            return None;
        }
        Some(key)
    }
}

fn pillar_key(p: &PillarEntry, mode: crate::config::SlugMode) -> String {
    match &p.key {
        Some(k) => k.trim().to_string(),
        None => slugify(&p.name, mode),
    }
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AchievementsFile {
    #[serde(default)]
    stats: Vec<StatEntry>,
    #[serde(default)]
    honors: Vec<HonorEntry>,
    #[serde(default)]
    milestones: Vec<MilestoneEntry>,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatEntry {
    label: String,
    value: Number,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HonorEntry {
    title: String,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    image: Option<String>,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneEntry {
    date: String,
    title: String,
    #[serde(default)]
    body: Option<String>,
}

pub struct RawAchievements {
    src: String,
    data: Option<AchievementsFile>,
    errors: Diagnostics,
}

impl RawAchievements {
    /// The text of achievements.yaml.
    pub fn src(&self) -> &str {
        &self.src
    }
}

pub fn load_achievements_file(folder: &SiteFolder) -> Option<RawAchievements> {
    let mut errors = Diagnostics::new();
    let src = read_text(folder, ACHIEVEMENTS_FILE, &mut errors);
    if src.is_none() && errors.is_empty() {
        return None;
    }
    let src = src.unwrap_or_default();
    let data = if errors.is_empty() {
        match yaml::parse::<AchievementsFile>(ACHIEVEMENTS_FILE, &src, &src, 0) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(e);
                None
            }
        }
    } else {
        None
    };
    Some(RawAchievements { src, data, errors })
}

impl RawAchievements {
    pub fn finish(
        self,
        folder: &SiteFolder,
        env: &LinkEnv,
        diags: &mut Diagnostics,
    ) -> Achievements {
        diags.extend(self.errors);
        let Some(data) = self.data else {
            return Achievements::default();
        };
        let (src, file) = (&self.src, ACHIEVEMENTS_FILE);
        let date = |key: &str, value: &str, diags: &mut Diagnostics| match Date::parse(value) {
            Ok(d) => Some(d),
            Err(e) => {
                diags.push(date_error(file, src, key, value, e));
                None
            }
        };
        let stats = data
            .stats
            .into_iter()
            .map(|s| Stat {
                as_of: s.as_of.as_deref().and_then(|v| date("as_of", v, diags)),
                label: s.label,
                value: s.value.display(),
                unit: s.unit,
                note: s.note,
            })
            .collect();
        let honors = data
            .honors
            .into_iter()
            .map(|h| Honor {
                image: h
                    .image
                    .as_deref()
                    .and_then(|t| check_file_ref(folder, file, src, "image", t, diags))
                    .map(|rel| crate::model::Asset::of(&rel)),
                title: h.title,
                year: h.year,
                issuer: h.issuer,
            })
            .collect();
        let mut milestones: Vec<Milestone> = data
            .milestones
            .into_iter()
            .filter_map(|m| {
                let d = date("date", &m.date, diags)?;
                let body = m
                    .body
                    .as_deref()
                    .map(|b| {
                        env.render_yaml_markdown(
                            file,
                            src,
                            b,
                            crate::urls::routes::ACHIEVEMENTS,
                            diags,
                        )
                    })
                    .unwrap_or_default();
                Some(Milestone {
                    date: d,
                    title: m.title,
                    body,
                })
            })
            .collect();
        milestones.sort_by_key(|m| m.date);
        Achievements {
            stats,
            honors,
            milestones,
        }
    }
}

/// The problems serde finds in brand.yaml's text on its own, as `build` words them (for
/// the editor's checks as one types).
pub(crate) fn check_brand(src: &str) -> Option<Diagnostic> {
    yaml::parse::<BrandFile>(BRAND_FILE, src, src, 0).err()
}

/// The same for achievements.yaml.
pub(crate) fn check_achievements(src: &str) -> Option<Diagnostic> {
    yaml::parse::<AchievementsFile>(ACHIEVEMENTS_FILE, src, src, 0).err()
}

/// The schema the loader reads BrandFile by, for the settings reference (`src/reference.rs`).
#[cfg(test)]
pub(crate) fn brand_schema() -> schemars::Schema {
    schemars::schema_for!(BrandFile)
}

/// The schema the loader reads AchievementsFile by, for the settings reference (`src/reference.rs`).
#[cfg(test)]
pub(crate) fn achievements_schema() -> schemars::Schema {
    schemars::schema_for!(AchievementsFile)
}
