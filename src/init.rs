//! `zhanting init DIR`: a small working site (site.yaml, brand.yaml with five pillars,
//! achievements, a section with two pages, an about page) from `site-template/starter/`.

use crate::error::Diagnostic;
use crate::theme::THEME;
use include_dir::Dir;
use std::fs;
use std::path::Path;

pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    let shown = dir.display().to_string();
    if let Ok(mut entries) = fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(Diagnostic::error(
                format!("{shown} is not empty"),
                format!("{shown} 不是空目录"),
            )
            .hint(
                "choose a new folder name: zhanting init my-site",
                "请换一个新的目录名：zhanting init my-site",
            ));
        }
    }
    let starter = THEME
        .get_dir("starter")
        .expect("the theme has a starter site");
    write_dir(starter, Path::new("starter"), dir).map_err(|e| {
        Diagnostic::error(
            format!("cannot write {shown}: {e}"),
            format!("无法写入 {shown}：{e}"),
        )
        .hint(
            "check the folder's permissions and the disk space",
            "请检查目录权限和磁盘空间",
        )
    })
}

/// The starter site in `dir`, which may hold other files (the program itself, when
/// `zhanting edit` offers a new site in the folder it was started in) but none of the
/// starter's: nothing is ever overwritten.
pub fn init_here(dir: &Path) -> Result<(), Diagnostic> {
    let shown = dir.display().to_string();
    let starter = THEME
        .get_dir("starter")
        .expect("the theme has a starter site");
    let taken: Vec<String> = starter
        .entries()
        .iter()
        .map(|e| e.path().strip_prefix("starter").unwrap_or(e.path()))
        .filter(|rel| dir.join(rel).exists())
        .map(|rel| rel.display().to_string())
        .collect();
    if !taken.is_empty() {
        return Err(Diagnostic::error(
            format!("{shown} already holds {}", taken.join(", ")),
            format!("{shown} 中已有 {}", taken.join("、")),
        )
        .hint(
            "choose an empty folder for a new site",
            "请为新站点选择一个空文件夹",
        ));
    }
    write_dir(starter, Path::new("starter"), dir).map_err(|e| {
        Diagnostic::error(
            format!("cannot write {shown}: {e}"),
            format!("无法写入 {shown}：{e}"),
        )
    })
}

fn write_dir(d: &Dir, prefix: &Path, to: &Path) -> std::io::Result<()> {
    for f in d.files() {
        let rel = f.path().strip_prefix(prefix).unwrap_or(f.path());
        let target = to.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, f.contents())?;
    }
    for sub in d.dirs() {
        write_dir(sub, prefix, to)?;
    }
    Ok(())
}
