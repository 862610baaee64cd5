//! Planning the designed link cards (`model::cards`): which pages get one, what each
//! shows, and its file name, a hash of everything it is drawn from. Nothing is drawn
//! here; the board engine draws the cards whose files are not in its cache.

use crate::config::Language;
use crate::model::cards::{CardFrame, DesignedCard, DesignedCards};
use crate::model::Site;

/// The template that draws a card, `boards/card.typ`.
pub const CARD_LAYOUT: &str = "card";

/// Where a card's world holds the emblem `source`: `/emblem.png`, `/emblem.jpg` (a HEIC
/// is drawn from its conversion).
pub fn emblem_path(source: &str) -> String {
    let ext = if crate::images::heic::is_heic(std::path::Path::new(source)) {
        "jpg".to_string()
    } else {
        source
            .rsplit('.')
            .next()
            .unwrap_or("png")
            .to_ascii_lowercase()
    };
    format!("/emblem.{ext}")
}

/// The card template's `sys.inputs` for `card` in `frame`: everything drawing it reads
/// but the emblem's bytes.
pub fn inputs(site: &Site, frame: &CardFrame, card: &DesignedCard) -> serde_json::Value {
    serde_json::json!({
        "card": {
            "kicker": card.kicker,
            "title": card.title,
            "subtitle": card.subtitle,
        },
        "frame": {
            "site": frame.site,
            "organization": frame.organization,
            "brand": frame.brand,
            "primary": frame.primary,
            "accent": frame.accent,
            "emblem": frame.emblem.as_deref().map(emblem_path),
        },
        "fonts": crate::typeset::fonts(site),
    })
}

/// What every card of `site` shows around its words: the site, the brand, the colours
/// and the emblem (the brand's logo, else the site's, when the file is there).
fn frame(site: &Site) -> CardFrame {
    let config = &site.config;
    let brand = site.brand.as_ref();
    CardFrame {
        site: config.title.clone(),
        organization: config.organization.clone(),
        brand: brand.map(|b| b.name.clone()),
        primary: config.theme.primary.clone(),
        accent: config.theme.accent.clone(),
        emblem: brand
            .and_then(|b| b.logo.as_ref())
            .map(|l| l.source.clone())
            .or_else(|| {
                config
                    .logo
                    .as_deref()
                    .map(|l| l.trim_start_matches('/').to_string())
            })
            .filter(|s| site.root.join(s).is_file()),
    }
}

/// The designed cards of `site`.
pub fn plan(site: &Site) -> DesignedCards {
    let config = &site.config;
    let zh = config.language == Language::ZhCn;
    let word = |z: &'static str, e: &'static str| if zh { z } else { e };
    let brand = site.brand.as_ref();
    let frame = frame(site);
    // Every card is keyed by what drawing it reads: the template's inputs (its words,
    // the frame, the fonts) and the emblem's content.
    let emblem = frame.emblem.as_deref();
    let card = |kicker: &str, title: &str, subtitle: Option<&str>| {
        let mut card = DesignedCard {
            kicker: kicker.to_string(),
            title: title.to_string(),
            subtitle: subtitle.map(str::to_string),
            key: String::new(),
        };
        card.key = crate::typeset::Key::new(site, CARD_LAYOUT)
            .json(&inputs(site, &frame, &card))
            .sources(site, emblem)
            .short();
        card
    };
    let slogan = brand.and_then(|b| b.slogan.as_deref());
    let home = card(
        config
            .organization
            .as_deref()
            .unwrap_or(word("党建品牌展示", "Party branch showcase")),
        &config.title,
        slogan.or(config.subtitle.as_deref()),
    );
    DesignedCards {
        home: Some(home),
        brand: brand.map(|b| {
            let title = if zh {
                format!("「{}」", b.name)
            } else {
                b.name.clone()
            };
            card(word("党建品牌", "Party branch brand"), &title, slogan)
        }),
        sections: site
            .sections
            .iter()
            .map(|s| card(&config.title, &s.title, s.description.as_deref()))
            .collect(),
        albums: site
            .albums
            .iter()
            .map(|a| {
                let has_card = a
                    .cover_source()
                    .and_then(|c| site.media.pictures.get(&c))
                    .is_some_and(|p| p.card().is_some());
                (!has_card).then(|| card(word("相册", "Album"), &a.title, a.description.as_deref()))
            })
            .collect(),
        boards: site
            .boards
            .iter()
            .map(|b| card(word("展板", "Board"), &b.title, b.subtitle.as_deref()))
            .collect(),
        frame,
    }
}
