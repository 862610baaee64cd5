//! `screen.yaml`: the 大屏 mode's slide time and which kinds of slide it shows, in which
//! order. Without the file every kind the site has the facts for is shown, in the order
//! of [`ScreenSlide::ALL`], 12 seconds each.

use super::read_text;
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::model::screen::{Screen, ScreenSlide, DEFAULT_SECONDS, SCREEN_FILE};
use crate::model::Site;
use crate::yaml;
use serde::Deserialize;

/// The shortest and longest time a slide may stay, in seconds.
const SECONDS: std::ops::RangeInclusive<u32> = 3..=600;

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScreenFile {
    #[serde(default = "default_seconds")]
    seconds: u32,
    #[serde(default)]
    slides: Option<Vec<ScreenSlide>>,
}

fn default_seconds() -> u32 {
    DEFAULT_SECONDS
}

/// Whether the site has something for a kind of slide to show.
fn has_facts(site: &Site, kind: ScreenSlide) -> bool {
    match kind {
        ScreenSlide::Brand => site.brand.is_some(),
        ScreenSlide::Pillars => site.brand.as_ref().is_some_and(|b| !b.pillars.is_empty()),
        ScreenSlide::Stats => !site.achievements.stats.is_empty(),
        ScreenSlide::Reports => site.pages.iter().any(|p| p.date.is_some() && !p.draft),
        ScreenSlide::Photos => site.albums.iter().any(|a| !a.photos.is_empty()),
        ScreenSlide::Boards => !site.boards.is_empty(),
    }
}

/// What the kind of slide needs, for the warning when a listed kind has nothing.
fn needs(kind: ScreenSlide) -> (&'static str, &'static str) {
    match kind {
        ScreenSlide::Brand => ("brand.yaml", "brand.yaml"),
        ScreenSlide::Pillars => ("pillars in brand.yaml", "brand.yaml 中的 pillars（载体）"),
        ScreenSlide::Stats => (
            "stats in achievements.yaml",
            "achievements.yaml 中的 stats（统计数字）",
        ),
        ScreenSlide::Reports => ("page with a date", "带日期的页面"),
        ScreenSlide::Photos => ("album with photos", "有照片的相册"),
        ScreenSlide::Boards => ("board in boards/", "boards/ 中的展板"),
    }
}

/// The screen of the site: `screen.yaml`'s slides, or every kind with facts.
pub fn load(folder: &SiteFolder, site: &Site, diags: &mut Diagnostics) -> Screen {
    let all = || -> Vec<ScreenSlide> {
        ScreenSlide::ALL
            .into_iter()
            .filter(|&k| has_facts(site, k))
            .collect()
    };
    if !folder.is_file(SCREEN_FILE) {
        return Screen {
            seconds: DEFAULT_SECONDS,
            slides: all(),
        };
    }
    let Some(src) = read_text(folder, SCREEN_FILE, diags) else {
        return Screen::default();
    };
    let file: ScreenFile = match yaml::parse(SCREEN_FILE, &src, &src, 0) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return Screen::default();
        }
    };
    if !SECONDS.contains(&file.seconds) {
        diags.push(seconds_out_of_range(file.seconds, &src));
    }
    let slides = match file.slides {
        None => all(),
        Some(listed) => with_facts(site, listed, &src, diags),
    };
    Screen {
        seconds: file.seconds,
        slides,
    }
}

/// The error for a slide time out of range.
fn seconds_out_of_range(seconds: u32, src: &str) -> Diagnostic {
    Diagnostic::error(
        format!(
            "`seconds: {}` is out of range: a slide stays {} to {} seconds",
            seconds,
            SECONDS.start(),
            SECONDS.end()
        ),
        format!(
            "`seconds: {}` 超出范围：每张幻灯片停留 {} 到 {} 秒",
            seconds,
            SECONDS.start(),
            SECONDS.end()
        ),
    )
    .file(SCREEN_FILE)
    .at_opt(src, yaml::find_key(src, "seconds", 1))
    .hint(
        "write a number of seconds such as `seconds: 12`",
        "请写秒数，例如 `seconds: 12`",
    )
}

/// The slides screen.yaml lists that the site has facts for; a warning for each left out.
fn with_facts(
    site: &Site,
    listed: Vec<ScreenSlide>,
    src: &str,
    diags: &mut Diagnostics,
) -> Vec<ScreenSlide> {
    let lines = yaml::item_lines(src, "slides");
    let mut slides = Vec::new();
    for (i, kind) in listed.into_iter().enumerate() {
        if !has_facts(site, kind) {
            let (en, zh) = needs(kind);
            diags.push(
                Diagnostic::warning(
                    format!(
                        "the screen's `{}` slide is left out: the site has no {en}",
                        kind.name()
                    ),
                    format!(
                        "大屏的 `{}` 幻灯片没有内容，已略过：网站还没有{zh}",
                        kind.name()
                    ),
                )
                .file(SCREEN_FILE)
                .at_opt(
                    src,
                    lines
                        .get(i)
                        .copied()
                        .or_else(|| yaml::find_key(src, "slides", 1)),
                )
                .hint(
                    format!("add {en}, or remove `{}` from `slides`", kind.name()),
                    format!("请添加{zh}，或从 `slides` 中删去 `{}`", kind.name()),
                ),
            );
        } else {
            slides.push(kind);
        }
    }
    slides
}

/// The problems serde finds in screen.yaml's text on its own, as `build` words them.
pub(crate) fn check_text(src: &str) -> Option<Diagnostic> {
    yaml::parse::<ScreenFile>(SCREEN_FILE, src, src, 0).err()
}

/// The schema the loader reads screen.yaml by, for the settings reference (`src/reference.rs`).
#[cfg(test)]
pub(crate) fn schema() -> schemars::Schema {
    schemars::schema_for!(ScreenFile)
}
