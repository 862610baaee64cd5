//! The 大屏 mode (`/screen/`): a full-screen loop of the brand for the activity room's
//! television, made from the site's facts; `screen.yaml` chooses the slides and their
//! time.

use serde::{Deserialize, Serialize};

pub const SCREEN_FILE: &str = "screen.yaml";

/// Seconds each slide stays when `screen.yaml` does not say.
pub const DEFAULT_SECONDS: u32 = 12;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Hash)]
pub struct Screen {
    /// How long each slide stays, in seconds.
    pub seconds: u32,
    /// The kinds of slide, in order, each with facts to show.
    pub slides: Vec<ScreenSlide>,
}

impl Default for Screen {
    fn default() -> Screen {
        Screen {
            seconds: DEFAULT_SECONDS,
            slides: Vec::new(),
        }
    }
}

/// A kind of slide; some give several slides (one per pillar, album or board).
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ScreenSlide {
    /// The emblem, name and slogan.
    Brand,
    /// One slide per pillar.
    Pillars,
    /// The statistics, counting up.
    Stats,
    /// The latest three reports.
    Reports,
    /// One slide per album, latest three.
    Photos,
    /// One slide per board.
    Boards,
}

impl ScreenSlide {
    pub const ALL: [ScreenSlide; 6] = [
        ScreenSlide::Brand,
        ScreenSlide::Pillars,
        ScreenSlide::Stats,
        ScreenSlide::Reports,
        ScreenSlide::Photos,
        ScreenSlide::Boards,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ScreenSlide::Brand => "brand",
            ScreenSlide::Pillars => "pillars",
            ScreenSlide::Stats => "stats",
            ScreenSlide::Reports => "reports",
            ScreenSlide::Photos => "photos",
            ScreenSlide::Boards => "boards",
        }
    }
}
