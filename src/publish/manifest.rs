//! The manifest zhanting keeps beside what it published (`.zhanting-publish.json` at
//! the root of the prefix or folder): for each file, the MD5 and headers it was put
//! with and the stamp the store gave it (ETag or modification time). It holds no secret,
//! only what the published site already shows.
//!
//! `pending` names the files a run set out to put before it put them, so that a run
//! stopped midway leaves nothing behind that the next run would not know of.

use super::LocalFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(default)]
    pub generator: String,
    #[serde(default)]
    pub files: BTreeMap<String, Entry>,
    #[serde(default)]
    pub pending: BTreeMap<String, Entry>,
}

/// What zhanting put at one path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub md5: String,
    pub size: u64,
    pub content_type: String,
    pub cache_control: String,
    /// The store's ETag or the file's modification time, as the listing shows it.
    #[serde(default)]
    pub stamp: Option<String>,
}

impl Entry {
    pub fn of(f: &LocalFile, stamp: Option<String>) -> Entry {
        Entry {
            md5: super::local::hex(&f.md5),
            size: f.size,
            content_type: f.content_type.clone(),
            cache_control: f.cache_control.clone(),
            stamp,
        }
    }

    /// Whether this entry is `f` as it would be put now: same bytes, same headers.
    pub fn describes(&self, f: &LocalFile) -> bool {
        self.size == f.size
            && self.md5 == super::local::hex(&f.md5)
            && self.content_type == f.content_type
            && self.cache_control == f.cache_control
    }
}

impl Manifest {
    /// A manifest read back; one that cannot be read counts as none (every file is then
    /// put again, and nothing is deleted that it named).
    pub fn parse(bytes: &[u8]) -> Manifest {
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut m = self.clone();
        m.generator = format!("zhanting {}", env!("CARGO_PKG_VERSION"));
        serde_json::to_vec_pretty(&m).unwrap_or_default()
    }
}
