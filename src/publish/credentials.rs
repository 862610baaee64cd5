//! The access key of a bucket: from `ZHANTING_ACCESS_KEY_ID` and
//! `ZHANTING_SECRET_ACCESS_KEY`, else the standard `AWS_ACCESS_KEY_ID` and
//! `AWS_SECRET_ACCESS_KEY`, else the file `publish: { credentials: … }` names, which
//! must be outside the site folder. Never from site.yaml, never written anywhere, never
//! printed: the secret's `Debug` is asterisks.

use super::{Error, ErrorKind};
use crate::config::publish::Publish;
use std::path::{Path, PathBuf};

/// Where the key came from, so an error can name what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `ZHANTING_ACCESS_KEY_ID` / `ZHANTING_SECRET_ACCESS_KEY`.
    Zhanting,
    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`.
    Aws,
    /// A credentials file.
    File(PathBuf),
}

impl Source {
    /// What holds the key id: a variable, or `access_key_id in FILE`.
    pub fn key_id_name(&self) -> String {
        match self {
            Source::Zhanting => "ZHANTING_ACCESS_KEY_ID".into(),
            Source::Aws => "AWS_ACCESS_KEY_ID".into(),
            Source::File(p) => format!("access_key_id in {}", p.display()),
        }
    }

    /// What holds the secret.
    pub fn secret_name(&self) -> String {
        match self {
            Source::Zhanting => "ZHANTING_SECRET_ACCESS_KEY".into(),
            Source::Aws => "AWS_SECRET_ACCESS_KEY".into(),
            Source::File(p) => format!("secret_access_key in {}", p.display()),
        }
    }
}

/// A secret string that never shows itself.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("********")
    }
}

#[derive(Debug, Clone)]
pub struct Credentials {
    pub key_id: String,
    pub secret: Secret,
    /// A temporary key's session token (STS), if any.
    pub token: Option<Secret>,
    pub source: Source,
}

const NO_KEY_HINT: (&str, &str) = (
    "create an AccessKey for the bucket in the cloud console (a RAM/CAM/IAM user that may only write this bucket is best), then before publishing: export ZHANTING_ACCESS_KEY_ID=… ZHANTING_SECRET_ACCESS_KEY=… (Windows: set …); or write both into a file outside the site folder and name it with `publish: { credentials: ~/.config/zhanting/credentials }`",
    "请在云控制台为存储桶创建 AccessKey（最好是只能写这个存储桶的子账号），发布前设置环境变量：export ZHANTING_ACCESS_KEY_ID=… ZHANTING_SECRET_ACCESS_KEY=…（Windows 用 set …）；或把两者写进站点文件夹之外的文件，并用 `publish: { credentials: ~/.config/zhanting/credentials }` 指明",
);

impl Credentials {
    /// The key for `settings`, from the environment or the credentials file.
    /// `site_dir` is the site (or portal) folder, `file` its settings file.
    pub fn find(settings: &Publish, site_dir: &Path, file: &str) -> Result<Credentials, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        for (source, id_var, secret_var, token_var) in [
            (
                Source::Zhanting,
                "ZHANTING_ACCESS_KEY_ID",
                "ZHANTING_SECRET_ACCESS_KEY",
                "ZHANTING_SESSION_TOKEN",
            ),
            (
                Source::Aws,
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
            ),
        ] {
            match (var(id_var), var(secret_var)) {
                (Some(id), Some(secret)) => {
                    return Ok(Credentials {
                        key_id: id.trim().to_string(),
                        secret: Secret(secret.trim().to_string()),
                        token: var(token_var).map(|t| Secret(t.trim().to_string())),
                        source,
                    })
                }
                (Some(_), None) => return Err(half(secret_var, id_var)),
                (None, Some(_)) => return Err(half(id_var, secret_var)),
                (None, None) => {}
            }
        }
        if let Some(path) = &settings.credentials {
            return from_file(&resolve(path, site_dir), site_dir, file);
        }
        Err(Error::new(
            ErrorKind::Credentials,
            "no access key for the bucket: ZHANTING_ACCESS_KEY_ID and ZHANTING_SECRET_ACCESS_KEY are not set",
            "没有存储桶的访问密钥：未设置 ZHANTING_ACCESS_KEY_ID 和 ZHANTING_SECRET_ACCESS_KEY",
        )
        .hint(NO_KEY_HINT.0, NO_KEY_HINT.1))
    }
}

/// One variable of a pair is set and the other is not.
fn half(missing: &str, set: &str) -> Error {
    Error::new(
        ErrorKind::Credentials,
        format!("{set} is set but {missing} is not"),
        format!("设置了 {set}，但没有设置 {missing}"),
    )
    .hint(
        format!("set {missing} too (the AccessKey's other half, from the cloud console)"),
        format!("请同时设置 {missing}（AccessKey 的另一半，见云控制台）"),
    )
}

/// `~/…` from the home folder; a relative path from the site folder.
fn resolve(path: &str, site_dir: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => site_dir.join(path),
    }
}

/// Reads a credentials file: `key = value` or `key: value` lines (an AWS credentials
/// file works), `#` comments and `[section]` lines ignored; keys `access_key_id`,
/// `secret_access_key`, `session_token`, with or without `aws_`, any case.
fn from_file(path: &Path, site_dir: &Path, file: &str) -> Result<Credentials, Error> {
    let shown = path.display().to_string();
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let site = std::fs::canonicalize(site_dir).unwrap_or_else(|_| site_dir.to_path_buf());
    if abs.starts_with(&site) {
        return Err(Error::new(
            ErrorKind::Credentials,
            format!("the credentials file {shown} is inside the site folder"),
            format!("密钥文件 {shown} 位于站点文件夹之内"),
        )
        .hint(
            format!("the site folder is copied and shared: move the file out of it, e.g. to ~/.config/zhanting/credentials, and change `credentials:` in {file}"),
            format!("站点文件夹会被复制和传阅：请把这个文件移到站点文件夹之外，例如 ~/.config/zhanting/credentials，并修改 {file} 中的 `credentials:`"),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            ErrorKind::Credentials,
            format!("cannot read the credentials file {shown}: {e}"),
            format!("无法读取密钥文件 {shown}：{e}"),
        )
        .hint(
            format!("check the path of `credentials:` in {file}; the file holds access_key_id = … and secret_access_key = …"),
            format!("请检查 {file} 中 `credentials:` 的路径；文件内容为 access_key_id = … 和 secret_access_key = …"),
        )
    })?;
    let (mut id, mut secret, mut token) = (None, None, None);
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
            continue;
        }
        let Some((k, v)) = line.split_once(['=', ':']) else {
            continue;
        };
        let k = k.trim().to_ascii_lowercase();
        let k = k
            .strip_prefix("zhanting_")
            .or_else(|| k.strip_prefix("aws_"))
            .unwrap_or(&k);
        let v = v.trim().trim_matches(['"', '\'']).to_string();
        let slot = match k {
            "access_key_id" => &mut id,
            "secret_access_key" => &mut secret,
            "session_token" => &mut token,
            _ => continue,
        };
        if slot.is_none() && !v.is_empty() {
            *slot = Some(v);
        }
    }
    let source = Source::File(path.to_path_buf());
    match (id, secret) {
        (Some(key_id), Some(secret)) => Ok(Credentials {
            key_id,
            secret: Secret(secret),
            token: token.map(Secret),
            source,
        }),
        (id, _) => {
            let missing = if id.is_none() {
                "access_key_id"
            } else {
                "secret_access_key"
            };
            Err(Error::new(
                ErrorKind::Credentials,
                format!("the credentials file {shown} has no {missing}"),
                format!("密钥文件 {shown} 中没有 {missing}"),
            )
            .hint(
                "write two lines: access_key_id = … and secret_access_key = …",
                "请写两行：access_key_id = … 和 secret_access_key = …",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_never_shows_itself() {
        let c = Credentials {
            key_id: "LTAI5t".into(),
            secret: Secret("very-secret".into()),
            token: None,
            source: Source::Zhanting,
        };
        assert!(!format!("{c:?}").contains("very-secret"));
    }

    #[test]
    fn a_file_inside_the_site_is_refused_and_one_outside_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir(&site).unwrap();
        std::fs::write(site.join("keys"), "access_key_id=a\nsecret_access_key=b\n").unwrap();
        let e = from_file(&site.join("keys"), &site, "site.yaml").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Credentials);
        let outside = dir.path().join("credentials");
        std::fs::write(
            &outside,
            "# AWS style\n[default]\naws_access_key_id = AKID\naws_secret_access_key = \"s3cr3t\"\n",
        )
        .unwrap();
        let c = from_file(&outside, &site, "site.yaml").unwrap();
        assert_eq!((c.key_id.as_str(), c.secret.expose()), ("AKID", "s3cr3t"));
    }
}
