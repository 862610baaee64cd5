//! Site-relative paths: joining a path written in a file with that file's folder, and
//! refusing any that escape the site folder.

use crate::model::Asset;

/// Joins `target` (as written in a file) with `dir` (site-relative folder of that file).
/// Returns `None` when the result would leave the site folder. A target starting with
/// `/` is taken from the site folder itself.
pub fn join(dir: &str, target: &str) -> Option<String> {
    let target = target.replace('\\', "/");
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The site-relative folder of a site-relative file.
pub fn parent(file: &str) -> &str {
    match file.rfind('/') {
        Some(i) => &file[..i],
        None => "",
    }
}

/// Where a referenced file is published as is: files under `static/` keep the place
/// `static/` gives them, everything else goes under `/media/`.
pub fn asset(source: &str) -> Asset {
    let path = match source.strip_prefix("static/") {
        Some(rest) => format!("/{rest}"),
        None => format!("/media/{source}"),
    };
    Asset {
        source: source.to_string(),
        path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_refuses_escapes() {
        assert_eq!(
            join("content/news", "../lectures/a.md").unwrap(),
            "content/lectures/a.md"
        );
        assert_eq!(
            join("content/news", "img/./a.jpg").unwrap(),
            "content/news/img/a.jpg"
        );
        assert_eq!(join("", "brand/logo.png").unwrap(), "brand/logo.png");
        assert_eq!(join("content", "/static/x.png").unwrap(), "static/x.png");
        assert_eq!(join("content/news", "../../../etc/passwd"), None);
        assert_eq!(asset("static/logo.png").path, "/logo.png");
        assert_eq!(asset("brand/logo.png").path, "/media/brand/logo.png");
    }
}
