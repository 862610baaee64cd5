//! HEIC/HEIF photos, the iPhone's default format, through libheif's `heif-convert`
//! (Debian: `libheif-examples`), which every photo tool builds on. Each HEIC file is
//! converted once to a full-quality JPEG, kept in `.zhanting-cache/heic/` under a hash of
//! its bytes; from there it is a JPEG like any other (EXIF orientation, ICC profile,
//! renditions). Without `heif-convert` a HEIC photo is an error that says how to fix it:
//! it is never left out in silence.

use crate::error::Diagnostic;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Folder of `.zhanting-cache/` with the converted HEIC photos.
const CACHE: &str = "heic";

/// Whether `path` names a HEIC or HEIF file (by its extension, as phones name them).
pub fn is_heic(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("heic") || e.eq_ignore_ascii_case("heif"))
}

/// The bytes of the image at `path`: the file itself, or for a HEIC file its JPEG
/// conversion (cached under `cache_root`, the site's `.zhanting-cache/`).
pub fn image_bytes(path: &Path, cache_root: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    if !is_heic(path) {
        return Ok(bytes);
    }
    let key = &blake3::hash(&bytes).to_hex()[..16];
    let jpeg = converted(path, key, cache_root)?;
    std::fs::read(jpeg).map_err(|e| e.to_string())
}

/// The JPEG conversion of HEIC file `path`, whose content hash (16 hex digits of
/// BLAKE3, as [`crate::cache::SourceHashes`] gives it) is `key`: in the cache, or made
/// now. The HEIC file is not read when the conversion is cached.
pub fn converted(path: &Path, key: &str, cache_root: &Path) -> Result<PathBuf, String> {
    let dir = cache_root.join(CACHE);
    let cached = dir.join(format!("{key}.jpg"));
    if cached.is_file() {
        return Ok(cached);
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let tmp = dir.join(format!("{key}.{}.tmp.jpg", std::process::id()));
    let run = Command::new("heif-convert")
        .args(["-q", "95"])
        .arg(path)
        .arg(&tmp)
        .output();
    let out = match run {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(MISSING.into()),
        Err(e) => return Err(format!("heif-convert: {e}")),
        Ok(out) => out,
    };
    // With several top-level images heif-convert numbers its outputs; the first is the
    // primary one.
    let numbered = dir.join(format!("{key}.{}.tmp-1.jpg", std::process::id()));
    let made = if tmp.exists() { tmp } else { numbered };
    let jpeg = match std::fs::read(&made) {
        Ok(j) if out.status.success() => j,
        _ => {
            let _ = std::fs::remove_file(&made);
            let why = String::from_utf8_lossy(&out.stderr);
            return Err(format!(
                "heif-convert could not read it: {}",
                why.lines().last().unwrap_or("no output").trim()
            ));
        }
    };
    let _ = std::fs::remove_file(&made);
    // libheif has already applied the container's rotation (irot/imir); an EXIF
    // orientation beside it describes the same turn and must not be applied twice.
    let heic = std::fs::read(path).map_err(|e| e.to_string())?;
    let jpeg = if has_box(&heic, b"irot") || has_box(&heic, b"imir") {
        super::without_exif(&jpeg).unwrap_or(jpeg)
    } else {
        jpeg
    };
    let file = dir.join(format!("{key}.{}.jpg.part", std::process::id()));
    std::fs::write(&file, &jpeg)
        .and_then(|_| std::fs::rename(&file, &cached))
        .map_err(|e| e.to_string())?;
    Ok(cached)
}

/// Removes the conversions no HEIC photo of the site (content hashes `keep`) uses.
pub fn prune(cache_root: &Path, keep: &std::collections::HashSet<&str>) {
    super::prune_by_hash(&cache_root.join(CACHE), keep);
}

const MISSING: &str = "heif-convert (libheif) is not installed";

/// Whether `reason`, an error of [`image_bytes`], is the missing converter.
pub fn is_missing(reason: &str) -> bool {
    reason == MISSING
}

/// The error for HEIC photo `rel` when libheif's converter is missing: both fixes.
pub fn missing(rel: &str) -> Diagnostic {
    Diagnostic::error(
        format!("cannot read HEIC photo {rel}: {MISSING}"),
        format!("无法读取 HEIC 照片 {rel}：没有安装 libheif 的 heif-convert"),
    )
    .file(rel.to_string())
    .hint(
        "install libheif (Debian/Ubuntu: apt install libheif-examples; macOS: brew install \
libheif), or export the photo as JPEG (iPhone: Settings → Camera → Formats → Most Compatible)",
        "请安装 libheif（Debian/Ubuntu：apt install libheif-examples；macOS：brew install libheif），\
或把照片导出为 JPEG（iPhone：设置 → 相机 → 格式 → 兼容性最佳）",
    )
}

/// Whether the HEIF box `kind` appears in the item properties at the start of `bytes`
/// (the `meta` box comes first in phone files).
fn has_box(bytes: &[u8], kind: &[u8; 4]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    head.windows(4).any(|w| w == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heic_is_known_by_its_extension() {
        assert!(is_heic(Path::new("albums/a/IMG_0001.HEIC")));
        assert!(is_heic(Path::new("a.heif")));
        assert!(!is_heic(Path::new("a.jpg")));
    }
}
