//! Planning the designed link cards (`model::cards`): which pages get one, what each
//! shows, and its file name, a hash of everything it is drawn from. Nothing is drawn
//! here; the board engine draws the cards whose files are not in its cache.

use crate::config::Language;
use crate::model::cards::{CardFrame, DesignedCard, DesignedCards};
use crate::model::Site;

/// The designed cards of `site`.
pub fn plan(site: &Site) -> DesignedCards {
    let config = &site.config;
    let zh = config.language == Language::ZhCn;
    let word = |z: &'static str, e: &'static str| if zh { z } else { e };
    let brand = site.brand.as_ref();
    let frame = CardFrame {
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
    };
    let template = site
        .board_templates
        .get(crate::theme::CARD_TEMPLATE)
        .map(|t| t.1.as_str())
        .unwrap_or("");
    // What every card is drawn from besides its words: the layout, the frame, the
    // emblem's content (its published name holds its hash) and the fonts.
    let emblem_id = frame.emblem.as_ref().map(|s| {
        site.media
            .pictures
            .get(s)
            .and_then(|p| p.variants.first())
            .map(|v| v.fallback.clone())
            .unwrap_or_else(|| format!("{s}:{:?}", crate::cache::stamp(&site.root.join(s))))
    });
    let base = {
        let mut h = blake3::Hasher::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(template.as_bytes());
        h.update(format!("{frame:?}{emblem_id:?}").as_bytes());
        h.update(format!("{:?}{:?}", config.boards.font, config.boards.title_font).as_bytes());
        h
    };
    let card = |kicker: &str, title: &str, subtitle: Option<&str>| {
        let mut h = base.clone();
        h.update(format!("{kicker}\u{0}{title}\u{0}{subtitle:?}").as_bytes());
        DesignedCard {
            kicker: kicker.to_string(),
            title: title.to_string(),
            subtitle: subtitle.map(str::to_string),
            key: h.finalize().to_hex()[..16].to_string(),
        }
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
