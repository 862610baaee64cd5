//! Files published as they are: the theme's CSS and scripts, the files the content
//! references (under `/media/`; videos under `/media/video/`, named by their content's
//! hash, never re-encoded), and the site's `static/` folder (which may replace a
//! theme file, never a generated page: the pipeline checks that when it gathers the
//! outputs).

use crate::artifact::{Content, Origin, OutputFile};
use crate::model::Site;
use crate::paths::rel_string;
use crate::theme::THEME;

pub fn render(site: &Site) -> Vec<OutputFile> {
    let mut files = theme_static();
    for (path, source) in &site.assets {
        // Images are published processed, never as the original (a video's picture is
        // its poster frame: the video itself is published, under its content's hash).
        let video = crate::paths::is_video(source);
        if site.media.pictures.contains_key(source) && !video {
            continue;
        }
        files.push(OutputFile {
            path: path.trim_start_matches('/').to_string(),
            content: if video {
                Content::CopyNamedByHash(site.root.join(source))
            } else {
                Content::Copy(site.root.join(source))
            },
            origin: Origin::Media,
            key: None,
        });
    }
    for f in &site.static_files {
        files.push(OutputFile {
            path: f.output.clone(),
            content: Content::Copy(f.source.clone()),
            origin: Origin::Static(format!("static/{}", f.output)),
            key: None,
        });
    }
    files
}

/// The theme's CSS and scripts, under the same paths as in `site-template/static/`.
pub fn theme_static() -> Vec<OutputFile> {
    fn visit(dir: &'static include_dir::Dir<'static>, files: &mut Vec<OutputFile>) {
        for f in dir.files() {
            let rel = f.path().strip_prefix("static").unwrap_or(f.path());
            files.push(OutputFile {
                path: rel_string(rel),
                content: Content::Static(f.contents()),
                origin: Origin::Theme,
                key: None,
            });
        }
        for d in dir.dirs() {
            visit(d, files);
        }
    }
    let mut files = Vec::new();
    if let Some(dir) = THEME.get_dir("static") {
        visit(dir, &mut files);
    }
    files
}
