//! Designed link cards: the 1200×630 pictures a chat app shows beside a shared link to
//! a page that has no photo of its own — the home page, the brand page, each section,
//! each album without photos and each board. The board engine draws them (Typst, the
//! theme's `boards/card.typ`); planning names each by a hash of everything drawn on it,
//! so pages can name their card before it is drawn, and a rebuild draws none again.

use serde::Serialize;

/// What one designed card shows. Its file is named by [`DesignedCard::key`].
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct DesignedCard {
    /// The line above the title: what the page is (党建品牌, 栏目, 相册, 展板).
    pub kicker: String,
    pub title: String,
    /// The line under the title: the brand's slogan, a section's description.
    pub subtitle: Option<String>,
    /// 16 hex digits of a hash over everything the card is drawn from.
    pub key: String,
}

impl DesignedCard {
    /// Its site path, `/media/cards/KEY.jpg`.
    pub fn path(&self) -> String {
        format!("{DIR}{}.jpg", self.key)
    }
}

/// Where designed cards are published.
pub const DIR: &str = "/media/cards/";

/// What every designed card of a site shows besides its own words.
#[derive(Debug, Clone, Default, Serialize, Hash)]
pub struct CardFrame {
    pub site: String,
    pub organization: Option<String>,
    pub brand: Option<String>,
    pub primary: String,
    pub accent: String,
    /// Site-relative source of the brand emblem (or the site's logo), drawn on every card.
    pub emblem: Option<String>,
}

/// The designed cards of a site.
#[derive(Debug, Clone, Default)]
pub struct DesignedCards {
    pub frame: CardFrame,
    pub home: Option<DesignedCard>,
    pub brand: Option<DesignedCard>,
    /// One per section, in the site's order.
    pub sections: Vec<DesignedCard>,
    /// One per album: `None` for an album whose cover makes its card.
    pub albums: Vec<Option<DesignedCard>>,
    /// One per board.
    pub boards: Vec<DesignedCard>,
}

impl DesignedCards {
    /// Every card, once each.
    pub fn all(&self) -> Vec<&DesignedCard> {
        let mut all: Vec<&DesignedCard> = self
            .home
            .iter()
            .chain(&self.brand)
            .chain(&self.sections)
            .chain(self.albums.iter().flatten())
            .chain(&self.boards)
            .collect();
        all.sort_by(|a, b| a.key.cmp(&b.key));
        all.dedup_by(|a, b| a.key == b.key);
        all
    }
}
