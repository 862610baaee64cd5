//! The minijinja environment: a template is taken from the site's `templates/` when it
//! has one of that name, else from the default theme embedded in the binary.
//!
//! Templates turn site paths into links with `url(path)`, which knows the page being
//! rendered (`current_path` in the context) so `--offline` links can be relative.

use crate::error::Diagnostic;
use crate::theme::THEME;
use crate::urls::Urls;
use minijinja::{AutoEscape, Environment, ErrorKind, State, UndefinedBehavior};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a template comes from, for error messages.
#[derive(Debug, Clone)]
pub struct TemplateSources {
    user_dir: Option<PathBuf>,
}

impl TemplateSources {
    pub fn new(user_dir: Option<&Path>) -> TemplateSources {
        TemplateSources {
            user_dir: user_dir.map(Path::to_path_buf),
        }
    }

    /// A hash of the site's own templates, by their names, sizes and modification
    /// times (the theme's are fixed in the binary).
    pub fn fingerprint(&self, folder: &crate::folder::SiteFolder) -> u64 {
        let files: Vec<(String, Option<crate::cache::Stamp>)> = match &self.user_dir {
            Some(_) => folder
                .files("templates", None)
                .into_iter()
                .map(|f| {
                    let stamp = folder.stamp(&f);
                    (f, stamp)
                })
                .collect(),
            None => Vec::new(),
        };
        crate::cache::fingerprint(&(self.user_dir.is_some(), files))
    }

    /// The text of template `name` and the file it comes from, as shown to users.
    pub fn load(&self, name: &str) -> Option<(String, String)> {
        if name.split(['/', '\\']).any(|p| p == ".." || p.is_empty()) {
            return None;
        }
        if let Some(dir) = &self.user_dir {
            if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
                return Some((text, format!("templates/{name}")));
            }
        }
        THEME
            .get_file(format!("templates/{name}"))
            .and_then(|f| f.contents_utf8())
            .map(|t| {
                (
                    t.to_string(),
                    format!("site-template/templates/{name} (built-in theme)"),
                )
            })
    }
}

pub fn environment(sources: &TemplateSources, urls: Arc<Urls>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    // Escape like minijinja but leave `/` alone: `&#x2f;` in every URL bloats pages.
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(s) if state.auto_escape() == AutoEscape::Html && !value.is_safe() => out
            .write_str(&crate::markdown::escape(s))
            .map_err(minijinja::Error::from),
        _ => minijinja::escape_formatter(out, state, value),
    });
    let loader_sources = sources.clone();
    env.set_loader(move |name| Ok(loader_sources.load(name).map(|(text, _)| text)));
    let link_urls = urls.clone();
    env.add_function(
        "url",
        move |state: &State, path: &str| -> Result<String, minijinja::Error> {
            let from = state
                .lookup("current_path")
                .and_then(|v| v.as_str().map(str::to_string))
                .ok_or_else(|| {
                    minijinja::Error::new(ErrorKind::InvalidOperation, "url() needs current_path")
                })?;
            Ok(link_urls.link(&from, path))
        },
    );
    env.add_function("abs_url", move |path: &str| urls.absolute(path));
    env
}

/// A minijinja error as a diagnostic naming the template file and line.
pub fn error_diagnostic(
    sources: &TemplateSources,
    err: &minijinja::Error,
    rendering: &str,
) -> Diagnostic {
    let name = err.name().unwrap_or("?").to_string();
    let detail = err
        .detail()
        .map(str::to_string)
        .unwrap_or_else(|| err.kind().to_string());
    let (file, text) = match sources.load(&name) {
        Some((text, file)) => (file, Some(text)),
        None => (format!("templates/{name}"), None),
    };
    let mut d = if err.kind() == ErrorKind::TemplateNotFound {
        Diagnostic::error(
            format!("template `{name}` not found (while rendering {rendering})"),
            format!("找不到模板 `{name}`（渲染 {rendering} 时）"),
        )
        .file(file)
        .hint(
            "put the template in the site's templates/ folder, or use a name of the built-in theme such as page.html",
            "请把模板放在站点的 templates/ 目录中，或使用内置主题的模板名，例如 page.html",
        )
    } else {
        Diagnostic::error(
            format!("template error: {detail} (while rendering {rendering})"),
            format!("模板错误：{detail}（渲染 {rendering} 时）"),
        )
        .file(file)
        .hint(
            "check the template's syntax and the names it uses; undefined names are errors",
            "请检查模板语法和其中使用的变量名；未定义的变量会报错",
        )
    };
    if let (Some(text), Some(line)) = (text, err.line()) {
        // The error's byte range as a column of its line (1 when it cannot be mapped).
        let line_start = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        let column = err
            .range()
            .and_then(|r| text.get(line_start..r.start))
            .map(|before| before.chars().count() + 1)
            .unwrap_or(1);
        d = d.at(&text, line, column);
    }
    d
}
