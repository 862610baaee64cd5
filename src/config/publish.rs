//! The `publish:` section of `site.yaml` and `portal.yaml`: where `zhanting publish`
//! puts the built site — an S3-compatible bucket (阿里云 OSS, 腾讯云 COS, 华为云 OBS,
//! MinIO …) or a folder (a USB stick, a mounted share).
//!
//! Credentials never live here: a key that holds one is an error that says where it
//! belongs (the environment, or a file outside the site folder), and the line is shown
//! with its value masked, so the secret is not printed either.

use crate::error::Diagnostic;
use crate::yaml;
use serde::Deserialize;

/// The deletion guard's default: more deletions than this are refused.
pub const DEFAULT_MAX_DELETES: usize = 256;

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Publish {
    /// `s3` (any S3-compatible store) or `folder`.
    pub kind: Kind,
    /// The store's address, e.g. `https://oss-cn-chengdu.aliyuncs.com` (`s3`).
    #[serde(default)]
    pub endpoint: Option<String>,
    /// The bucket's name (`s3`).
    #[serde(default)]
    pub bucket: Option<String>,
    /// The folder inside the bucket the site goes into, e.g. `longquan/`.
    #[serde(default)]
    pub prefix: Option<String>,
    /// The signing region; else read from the endpoint (`oss-cn-chengdu` → `cn-chengdu`).
    #[serde(default)]
    pub region: Option<String>,
    /// Path-style addresses (`endpoint/bucket/key`), for endpoints without
    /// virtual-hosted buckets (MinIO on a server of the unit).
    #[serde(default)]
    pub path_style: bool,
    /// The folder to publish into (`folder`), absolute or relative to the site folder.
    #[serde(default)]
    pub path: Option<String>,
    /// A file outside the site folder holding the access key (`s3`), when not given
    /// by the environment.
    #[serde(default)]
    pub credentials: Option<String>,
    /// More deletions than this are refused (`--max-deletes` overrides it).
    #[serde(default = "default_max_deletes")]
    pub max_deletes: usize,
}

fn default_max_deletes() -> usize {
    DEFAULT_MAX_DELETES
}

#[cfg_attr(test, derive(schemars::JsonSchema, serde::Serialize))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    S3,
    Folder,
}

/// Keys that hold a secret, in any spelling people copy from a console or an SDK
/// example; compared lower-case with `-` as `_`.
const SECRET_KEYS: &[&str] = &[
    "access_key_id",
    "access_key",
    "accesskey",
    "accesskeyid",
    "access_key_secret",
    "accesskeysecret",
    "secret_access_key",
    "secret_key",
    "secretkey",
    "secret_id",
    "secretid",
    "secret",
    "ak",
    "sk",
    "key_id",
    "password",
    "session_token",
    "security_token",
    "token",
];

/// Whether `key` names a secret.
pub fn is_secret_key(key: &str) -> bool {
    let k = key.trim().to_ascii_lowercase().replace('-', "_");
    SECRET_KEYS.contains(&k.as_str())
}

/// Every key of `file` (top level or inside `publish:`) that holds a secret, as an
/// error at its line, with the value masked. Run before the strict parse, which would
/// otherwise show the line — and the secret — as an unknown key.
pub fn secrets_in(file: &str, src: &str) -> Vec<Diagnostic> {
    let Ok(serde_yaml::Value::Mapping(top)) = serde_yaml::from_str::<serde_yaml::Value>(src) else {
        return Vec::new();
    };
    let mut found: Vec<(String, usize)> = Vec::new();
    for (k, _) in &top {
        if let Some(k) = k.as_str().filter(|k| is_secret_key(k)) {
            found.push((k.to_string(), 1));
        }
    }
    if let Some(serde_yaml::Value::Mapping(publish)) = top.get("publish") {
        let from = yaml::find_key(src, "publish", 1).map_or(1, |p| p.0);
        for (k, _) in publish {
            if let Some(k) = k.as_str().filter(|k| is_secret_key(k)) {
                found.push((k.to_string(), from));
            }
        }
    }
    found
        .into_iter()
        .map(|(key, from)| {
            let mut d = Diagnostic::error(
                format!("`{key}` holds a secret: keys to the store never go in {file}"),
                format!("`{key}` 是密钥：存储的访问密钥不能写在 {file} 中"),
            )
            .file(file)
            .hint(
                "remove the line, and give the key to zhanting publish in the environment (ZHANTING_ACCESS_KEY_ID and ZHANTING_SECRET_ACCESS_KEY) or in a file outside the site folder named by `publish: { credentials: ~/.config/zhanting/credentials }`; the site folder is copied and shared, so change the key in the cloud console if it was ever sent along",
                "请删除这一行，改为在环境变量（ZHANTING_ACCESS_KEY_ID 和 ZHANTING_SECRET_ACCESS_KEY）中提供，或写在站点文件夹之外的文件里，并用 `publish: { credentials: ~/.config/zhanting/credentials }` 指明；站点文件夹会被复制和传阅，如果它曾随文件夹发出，请到云控制台更换这个密钥",
            );
            if let Some((line, column)) = yaml::find_key(src, &key, from) {
                d = d.at(src, line, column);
                d.source_line = d.source_line.map(|l| masked(&l));
            }
            d
        })
        .collect()
}

/// The line with everything after the key's colon replaced by asterisks.
fn masked(line: &str) -> String {
    match line.split_once(':') {
        Some((key, _)) => format!("{key}: ********"),
        None => "********".to_string(),
    }
}

impl Publish {
    /// Checks what the schema cannot: the keys each kind needs, the endpoint's form, the
    /// prefix's. `file` is the settings file, `src` its text.
    pub fn check(&self, file: &str, src: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let base = yaml::find_key(src, "publish", 1).map_or(1, |p| p.0);
        let at = |key: &str| yaml::find_key(src, key, base).or(Some((base, 1)));
        let mut err = |key: &str, en: String, zh: String, hint: (&str, &str)| {
            out.push(
                Diagnostic::error(en, zh)
                    .file(file)
                    .at_opt(src, at(key))
                    .hint(hint.0, hint.1),
            );
        };
        match self.kind {
            Kind::S3 => {
                match self.endpoint.as_deref().map(str::trim) {
                    None | Some("") => err(
                        "kind",
                        "publish.endpoint is missing: kind s3 needs the store's address".into(),
                        "缺少 publish.endpoint：kind 为 s3 时需要写存储的访问地址".into(),
                        ENDPOINT_HINT,
                    ),
                    Some(e)
                        if !(e.starts_with("https://") || e.starts_with("http://"))
                            || e.contains(['?', '#', ' ']) =>
                    {
                        err(
                            "endpoint",
                            format!("publish.endpoint `{e}` is not an http(s) address"),
                            format!("publish.endpoint `{e}` 不是 http(s) 地址"),
                            ENDPOINT_HINT,
                        )
                    }
                    Some(_) => {}
                }
                match self.bucket.as_deref().map(str::trim) {
                    None | Some("") => err(
                        "kind",
                        "publish.bucket is missing: kind s3 needs the bucket's name".into(),
                        "缺少 publish.bucket：kind 为 s3 时需要写存储桶（Bucket）名称".into(),
                        BUCKET_HINT,
                    ),
                    Some(b) if !is_bucket_name(b) => err(
                        "bucket",
                        format!("publish.bucket `{b}` is not a bucket name"),
                        format!("publish.bucket `{b}` 不是有效的存储桶名称"),
                        BUCKET_HINT,
                    ),
                    Some(_) => {}
                }
                if self.path.is_some() {
                    err(
                        "path",
                        "publish.path is for kind folder; a bucket takes `prefix`".into(),
                        "publish.path 用于 kind: folder；存储桶中的子目录请写 `prefix`".into(),
                        ("e.g. prefix: longquan/", "例如 prefix: longquan/"),
                    );
                }
            }
            Kind::Folder => {
                if self.path.as_deref().is_none_or(|p| p.trim().is_empty()) {
                    err(
                        "kind",
                        "publish.path is missing: kind folder needs the folder to publish into"
                            .into(),
                        "缺少 publish.path：kind 为 folder 时需要写发布到的文件夹".into(),
                        (
                            "e.g. path: /media/usb/dangjian (a USB stick or a mounted share)",
                            "例如 path: /media/usb/dangjian（U 盘或挂载的共享文件夹）",
                        ),
                    );
                }
                for key in ["endpoint", "bucket", "region", "credentials"] {
                    let given = match key {
                        "endpoint" => self.endpoint.is_some(),
                        "bucket" => self.bucket.is_some(),
                        "region" => self.region.is_some(),
                        _ => self.credentials.is_some(),
                    };
                    if given {
                        err(
                            key,
                            format!("publish.{key} is for kind s3, not for a folder"),
                            format!("publish.{key} 用于 kind: s3，文件夹用不到"),
                            (
                                "remove it, or write kind: s3 to publish to a bucket",
                                "请删除它；如要发布到存储桶，请写 kind: s3",
                            ),
                        );
                    }
                }
            }
        }
        if let Some(p) = &self.prefix {
            if p.split('/').any(|s| s == ".." || s == ".") || p.contains('\\') {
                err(
                    "prefix",
                    format!("publish.prefix `{p}` is not a folder inside the bucket"),
                    format!("publish.prefix `{p}` 不是存储桶中的文件夹"),
                    (
                        "write folder names joined by /, e.g. prefix: dangjian/longquan/",
                        "请用 / 连接文件夹名，例如 prefix: dangjian/longquan/",
                    ),
                );
            }
        }
        if self.max_deletes == 0 {
            // Zero would refuse every deletion; say so rather than surprise later.
            err(
                "max_deletes",
                "publish.max_deletes is 0: every publish that removes a page would be refused"
                    .into(),
                "publish.max_deletes 为 0：任何删除页面的发布都会被拒绝".into(),
                ("the default is 256", "默认值为 256"),
            );
        }
        out
    }

    /// The prefix as keys start with it: no leading `/`, one trailing `/` (or empty).
    pub fn key_prefix(&self) -> String {
        let p = self
            .prefix
            .as_deref()
            .unwrap_or("")
            .trim()
            .trim_matches('/');
        if p.is_empty() {
            String::new()
        } else {
            format!("{p}/")
        }
    }

    /// The signing region: the setting, else what the endpoint's host says (OSS, COS,
    /// OBS, AWS), else `us-east-1` (MinIO's).
    pub fn region(&self) -> String {
        if let Some(r) = self
            .region
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            return r.to_string();
        }
        self.endpoint
            .as_deref()
            .and_then(region_of_endpoint)
            .unwrap_or_else(|| "us-east-1".to_string())
    }
}

const ENDPOINT_HINT: (&str, &str) = (
    "e.g. endpoint: https://oss-cn-chengdu.aliyuncs.com (Aliyun OSS), https://cos.ap-guangzhou.myqcloud.com (Tencent COS), https://obs.cn-north-4.myhuaweicloud.com (Huawei OBS)",
    "例如 endpoint: https://oss-cn-chengdu.aliyuncs.com（阿里云 OSS）、https://cos.ap-guangzhou.myqcloud.com（腾讯云 COS）、https://obs.cn-north-4.myhuaweicloud.com（华为云 OBS）",
);

const BUCKET_HINT: (&str, &str) = (
    "the bucket's name as the console shows it: 3 to 63 lower-case letters, digits, `-` and `.`, e.g. bucket: dangjian-1250000000",
    "填写控制台中显示的存储桶名称：3 到 63 个小写字母、数字、`-` 或 `.`，例如 bucket: dangjian-1250000000",
);

/// A bucket name every store accepts: 3–63 of `a-z0-9.-`, starting and ending with a
/// letter or digit.
fn is_bucket_name(b: &str) -> bool {
    let bytes = b.as_bytes();
    (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'.')
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
}

/// The region an endpoint's host names: `oss-cn-chengdu.aliyuncs.com` and
/// `s3.oss-cn-chengdu.aliyuncs.com` → `cn-chengdu`, `cos.ap-guangzhou.myqcloud.com` →
/// `ap-guangzhou`, `obs.cn-north-4.myhuaweicloud.com` → `cn-north-4`,
/// `s3.us-east-2.amazonaws.com` → `us-east-2`.
pub fn region_of_endpoint(endpoint: &str) -> Option<String> {
    let rest = endpoint.split("://").nth(1)?;
    let host = rest.split(['/', ':']).next()?.to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let region = if host.ends_with(".aliyuncs.com") {
        labels
            .iter()
            .find_map(|l| l.strip_prefix("oss-"))
            .map(|r| r.trim_end_matches("-internal"))
    } else if host.ends_with(".myqcloud.com") {
        labels
            .iter()
            .position(|l| *l == "cos")
            .and_then(|i| labels.get(i + 1).copied())
    } else if host.ends_with(".myhuaweicloud.com") {
        labels
            .iter()
            .position(|l| *l == "obs")
            .and_then(|i| labels.get(i + 1).copied())
    } else if host.ends_with(".amazonaws.com") {
        labels
            .iter()
            .position(|l| *l == "s3" || l.starts_with("s3-"))
            .and_then(|i| labels.get(i + 1).copied())
            .filter(|r| *r != "amazonaws")
    } else {
        None
    };
    region
        .filter(|r| !r.is_empty() && *r != "accelerate")
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_come_from_the_clouds_endpoints() {
        for (endpoint, region) in [
            ("https://oss-cn-chengdu.aliyuncs.com", Some("cn-chengdu")),
            (
                "https://s3.oss-cn-hangzhou.aliyuncs.com",
                Some("cn-hangzhou"),
            ),
            (
                "https://oss-cn-beijing-internal.aliyuncs.com",
                Some("cn-beijing"),
            ),
            (
                "https://cos.ap-guangzhou.myqcloud.com",
                Some("ap-guangzhou"),
            ),
            (
                "https://obs.cn-north-4.myhuaweicloud.com",
                Some("cn-north-4"),
            ),
            ("https://s3.us-east-2.amazonaws.com", Some("us-east-2")),
            ("http://127.0.0.1:9000", None),
        ] {
            assert_eq!(
                region_of_endpoint(endpoint).as_deref(),
                region,
                "{endpoint}"
            );
        }
    }

    #[test]
    fn prefixes_are_folders() {
        let mut p = Publish {
            kind: Kind::S3,
            endpoint: None,
            bucket: None,
            prefix: Some("/longquan".into()),
            region: None,
            path_style: false,
            path: None,
            credentials: None,
            max_deletes: 256,
        };
        assert_eq!(p.key_prefix(), "longquan/");
        p.prefix = Some("a/b/".into());
        assert_eq!(p.key_prefix(), "a/b/");
        p.prefix = None;
        assert_eq!(p.key_prefix(), "");
    }

    #[test]
    fn each_kind_names_what_it_lacks_at_its_line() {
        let errs =
            crate::config::SiteConfig::parse("title: x\npublish:\n  kind: s3\n  prefix: ../up\n")
                .unwrap_err();
        let got: Vec<(&str, Option<usize>)> = errs
            .iter()
            .map(|e| (e.message.en.as_str(), e.line))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "publish.endpoint is missing: kind s3 needs the store's address",
                    Some(3)
                ),
                (
                    "publish.bucket is missing: kind s3 needs the bucket's name",
                    Some(3)
                ),
                (
                    "publish.prefix `../up` is not a folder inside the bucket",
                    Some(4)
                ),
            ]
        );
        let errs = crate::config::SiteConfig::parse(
            "title: x\npublish:\n  kind: folder\n  path: /media/usb\n  bucket: b\n",
        )
        .unwrap_err();
        assert_eq!(
            errs[0].message.en,
            "publish.bucket is for kind s3, not for a folder"
        );
        assert_eq!(errs[0].line, Some(5));
        let errs =
            crate::config::SiteConfig::parse("title: x\npublish:\n  kind: ftp\n").unwrap_err();
        assert!(errs[0].message.en.contains("ftp"), "{:?}", errs[0]);
    }

    #[test]
    fn a_secret_is_an_error_at_its_line_with_the_value_masked() {
        let src = "title: x\npublish:\n  kind: s3\n  AccessKeySecret: abcDEF123secret\n";
        let errs = secrets_in("site.yaml", src);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, Some(4));
        let shown = errs[0].render(crate::error::Lang::En);
        assert!(!shown.contains("abcDEF123secret"), "{shown}");
        assert!(shown.contains("AccessKeySecret: ********"), "{shown}");
        assert!(shown.contains("ZHANTING_SECRET_ACCESS_KEY"), "{shown}");
    }
}
