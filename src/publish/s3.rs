//! `kind: s3`: any S3-compatible bucket — 阿里云 OSS, 腾讯云 COS, 华为云 OBS, MinIO,
//! AWS. Requests are signed with AWS Signature V4 by `rusty-s3` (sans-IO: it makes the
//! signed address, nothing else) and sent by `ureq` over rustls. Each upload carries
//! `Content-MD5`, which the store checks against what it received, and no other
//! checksum (the CRC32 headers newer AWS SDKs send are what OSS, COS and OBS reject).
//!
//! The store's errors become messages that say what to fix: the variable holding a
//! wrong key, a missing bucket, a clock that differs from the store's (read from the
//! answer's `Date`), the network.

use super::credentials::Credentials;
use super::{Error, ErrorKind, LocalFile, Remote, Store, MANIFEST};
use crate::config::publish::Publish;
use base64::Engine;
use rusty_s3::{S3Action, UrlStyle};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// How long a signed request stays valid.
const SIGNED_FOR: Duration = Duration::from_secs(3600);
/// A clock further than this from the store's is named as the cause of a refusal.
const SKEW: Duration = Duration::from_secs(5 * 60);

pub(crate) struct Bucket {
    bucket: rusty_s3::Bucket,
    keys: rusty_s3::Credentials,
    credentials: Credentials,
    prefix: String,
    agent: ureq::Agent,
    shown: String,
}

impl Bucket {
    pub fn new(settings: &Publish, credentials: Credentials) -> Result<Bucket, Error> {
        let endpoint = settings.endpoint.as_deref().unwrap_or("").trim();
        let name = settings.bucket.as_deref().unwrap_or("").trim().to_string();
        let bad_endpoint = |why: String| {
            Error::new(
                ErrorKind::Settings,
                format!("publish.endpoint `{endpoint}` cannot be used: {why}"),
                format!("无法使用 publish.endpoint `{endpoint}`：{why}"),
            )
            .hint(
                "write the region's endpoint from the console, e.g. https://oss-cn-chengdu.aliyuncs.com; for an address by IP, or a server without bucket names in the host, add path_style: true",
                "请填写控制台中该地域的访问域名，例如 https://oss-cn-chengdu.aliyuncs.com；用 IP 地址访问、或服务器不支持把存储桶名放在域名中时，请加上 path_style: true",
            )
        };
        let url = url::Url::parse(endpoint).map_err(|e| bad_endpoint(e.to_string()))?;
        let style = if settings.path_style {
            UrlStyle::Path
        } else {
            UrlStyle::VirtualHost
        };
        let bucket = rusty_s3::Bucket::new(url, style, name.clone(), settings.region())
            .map_err(|e| bad_endpoint(format!("{e:?}")))?;
        let keys = match &credentials.token {
            Some(t) => rusty_s3::Credentials::new_with_token(
                credentials.key_id.clone(),
                credentials.secret.expose().to_string(),
                t.expose().to_string(),
            ),
            None => rusty_s3::Credentials::new(
                credentials.key_id.clone(),
                credentials.secret.expose().to_string(),
            ),
        };
        let prefix = settings.key_prefix();
        Ok(Bucket {
            bucket,
            keys,
            credentials,
            shown: format!("s3://{name}/{prefix} ({endpoint})"),
            prefix,
            agent: agent(),
        })
    }

    /// A store's error answer as an error for the user.
    fn refused(&self, what: &str, response: &mut ureq::http::Response<ureq::Body>) -> Error {
        let status = response.status().as_u16();
        let date = response
            .headers()
            .get("date")
            .and_then(|d| d.to_str().ok())
            .and_then(|d| httpdate::parse_http_date(d).ok());
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .unwrap_or_default();
        let code = tag(&body, "Code").unwrap_or_default();
        let message = tag(&body, "Message").unwrap_or_default();
        let bucket = self.bucket.name();
        let skew = date.map(|d| match d.duration_since(SystemTime::now()) {
            Ok(ahead) => ahead,
            Err(behind) => behind.duration(),
        });
        let skewed = code == "RequestTimeTooSkewed"
            || code == "RequestExpired"
            || (status == 403 && skew.is_some_and(|s| s > SKEW));
        let detail = if code.is_empty() {
            format!("HTTP {status}")
        } else if message.is_empty() {
            format!("{code}, HTTP {status}")
        } else {
            format!("{code}: {message}")
        };
        let e = |kind, en: String, zh: String| Error::new(kind, en, zh);
        if skewed {
            // Whole minutes, rounded: the Date header counts whole seconds.
            let minutes = skew.map(|s| (s.as_secs() + 30) / 60);
            let by = minutes.map_or(String::new(), |m| format!(" ({m} min)"));
            let by_zh = minutes.map_or(String::new(), |m| format!("（相差 {m} 分钟）"));
            return e(
                ErrorKind::ClockSkew,
                format!("the store refused the request because this computer's clock differs from its own{by} ({detail})"),
                format!("存储拒绝了请求：这台电脑的时钟与存储服务器相差太多{by_zh}（{detail}）"),
            )
            .hint(
                "set the computer's date, time and time zone right (or turn on automatic time), then publish again",
                "请校正电脑的日期、时间和时区（或打开自动对时），然后再发布",
            );
        }
        let key_id = self.credentials.source.key_id_name();
        let secret = self.credentials.source.secret_name();
        match (status, code.as_str()) {
            (_, "InvalidAccessKeyId" | "NotSignedUp") => e(
                ErrorKind::Credentials,
                format!("the store does not know the access key id in {key_id} ({detail})"),
                format!("存储不认识 {key_id} 中的 AccessKey ID（{detail}）"),
            )
            .hint(
                format!("copy the AccessKey ID again from the cloud console into {key_id}; check that it belongs to this cloud"),
                format!("请从云控制台重新复制 AccessKey ID 到 {key_id}，并确认它属于这家云服务"),
            ),
            (_, "SignatureDoesNotMatch") => e(
                ErrorKind::Credentials,
                format!("the secret in {secret} does not match the access key id ({detail})"),
                format!("{secret} 中的密钥（Secret）与 AccessKey ID 不匹配（{detail}）"),
            )
            .hint(
                format!("copy the AccessKey secret again into {secret}, without spaces; if it is right, check publish.region"),
                format!("请重新复制 AccessKey Secret 到 {secret}，注意不要带空格；如果它无误，请检查 publish.region"),
            ),
            (_, "AuthorizationHeaderMalformed" | "AuthorizationQueryParametersError" | "InvalidRegion") => e(
                ErrorKind::Settings,
                format!("the store does not accept the region `{}` ({detail})", self.bucket.region()),
                format!("存储不接受地域 `{}`（{detail}）", self.bucket.region()),
            )
            .hint(
                "write the bucket's region in publish.region, e.g. region: cn-chengdu (OSS), ap-guangzhou (COS), cn-north-4 (OBS)",
                "请在 publish.region 中填写存储桶所在地域，例如 region: cn-chengdu（OSS）、ap-guangzhou（COS）、cn-north-4（OBS）",
            ),
            (_, "NoSuchBucket") | (404, "") => e(
                ErrorKind::NoBucket,
                format!("the bucket `{bucket}` does not exist at this endpoint ({detail})"),
                format!("该访问域名下没有名为 `{bucket}` 的存储桶（{detail}）"),
            )
            .hint(
                "create the bucket in the cloud console, or check publish.bucket (COS names end with -APPID, e.g. dangjian-1250000000) and that publish.endpoint is the bucket's region",
                "请在云控制台创建存储桶，或检查 publish.bucket（COS 的名称带 -APPID，例如 dangjian-1250000000），以及 publish.endpoint 是否为存储桶所在地域",
            ),
            (301, _) | (_, "PermanentRedirect" | "IncorrectEndpoint") => e(
                ErrorKind::Settings,
                format!("the bucket `{bucket}` is in another region than publish.endpoint says ({detail})"),
                format!("存储桶 `{bucket}` 不在 publish.endpoint 所指的地域（{detail}）"),
            )
            .hint(
                "use the endpoint the bucket's overview page in the console shows",
                "请使用控制台中存储桶概览页显示的访问域名（Endpoint）",
            ),
            (403, _) => e(
                ErrorKind::Denied,
                format!("the key in {key_id} may not {what} in the bucket `{bucket}` ({detail})"),
                format!("{key_id} 中的密钥没有权限在存储桶 `{bucket}` 中{}（{detail}）", what_zh(what)),
            )
            .hint(
                "give the key's user read, write and list permission on this bucket in the console (RAM / CAM / IAM)",
                "请在控制台（访问控制 RAM / CAM / IAM）中为该子账号授予这个存储桶的读、写和列举权限",
            ),
            (429 | 500..=599, _) | (_, "SlowDown" | "RequestTimeout" | "InternalError" | "ServiceUnavailable") => {
                let mut e = e(
                    ErrorKind::Network,
                    format!("the store is busy or failing ({detail})"),
                    format!("存储服务暂时繁忙或出错（{detail}）"),
                )
                .hint(
                    "publish again in a while: what is already up stays",
                    "请稍后再发布一次：已上传的文件不会重复上传",
                );
                e.transient = true;
                e
            }
            _ => e(
                ErrorKind::Store,
                format!("the store refused to {what} ({detail})"),
                format!("存储拒绝了{}（{detail}）", what_zh(what)),
            )
            .hint(
                "check the publish: settings; publish again to see whether it passes",
                "请检查 publish: 设置，然后再发布一次",
            ),
        }
    }

    /// A request that could not be made or answered: the network.
    fn unreachable(&self, e: &ureq::Error) -> Error {
        let endpoint = self.bucket.base_url().host_str().unwrap_or("").to_string();
        let (en, zh, transient) = match e {
            ureq::Error::HostNotFound => (
                format!("cannot find {endpoint}: no network, or the endpoint is misspelt"),
                format!("找不到 {endpoint}：网络未连接，或访问域名写错了"),
                true,
            ),
            ureq::Error::Timeout(_) => (
                format!("{endpoint} did not answer in time"),
                format!("{endpoint} 响应超时"),
                true,
            ),
            ureq::Error::Rustls(err) => (
                format!("the secure connection to {endpoint} failed: {err}"),
                format!("与 {endpoint} 的安全连接（HTTPS）失败：{err}"),
                false,
            ),
            other => (
                format!("cannot reach {endpoint}: {other}"),
                format!("无法连接 {endpoint}：{other}"),
                true,
            ),
        };
        let mut err = Error::new(ErrorKind::Network, en, zh).hint(
            "check the network connection (and a proxy, if the unit uses one), then publish again: what is already up is not sent again",
            "请检查网络连接（单位使用代理时也请检查代理设置），然后再发布一次：已上传的文件不会重复上传",
        );
        err.transient = transient;
        err
    }

    /// Sends a request; the answer if it succeeded, else the error it means. With
    /// `missing_ok`, an object that is not there (the bucket is) is `None`.
    fn send(
        &self,
        what: &str,
        missing_ok: bool,
        request: impl FnOnce(&ureq::Agent) -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Option<ureq::http::Response<ureq::Body>>, Error> {
        let mut response = request(&self.agent).map_err(|e| self.unreachable(&e))?;
        if response.status().is_success() {
            return Ok(Some(response));
        }
        let e = self.refused(what, &mut response);
        if missing_ok && response.status().as_u16() == 404 && e.kind != ErrorKind::NoBucket {
            return Ok(None);
        }
        Err(e)
    }

    fn key(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }
}

/// The agent: rustls (with ring), Mozilla's roots, several connections kept open, the
/// environment's proxy; no status is an error of its own (each is read as the store's
/// answer).
fn agent() -> ureq::Agent {
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .root_certs(ureq::tls::RootCerts::WebPki)
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        // A redirect is the store saying the bucket is elsewhere: an error to explain.
        .max_redirects(0)
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_recv_response(Some(Duration::from_secs(120)))
        .timeout_per_write(Some(Duration::from_secs(120)))
        .max_idle_connections_per_host(32)
        .user_agent(format!("zhanting/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

fn what_zh(what: &str) -> &'static str {
    match what {
        "list" => "列出文件",
        "read" => "读取文件",
        "delete" => "删除文件",
        _ => "上传文件",
    }
}

/// The text of the first `<name>…</name>` of an XML answer.
fn tag(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml[start..end].trim().to_string())
}

impl Store for Bucket {
    fn describe(&self) -> String {
        self.shown.clone()
    }

    fn list(&self) -> Result<BTreeMap<String, Remote>, Error> {
        let mut out = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = self.bucket.list_objects_v2(Some(&self.keys));
            if !self.prefix.is_empty() {
                action.with_prefix(self.prefix.as_str());
            }
            if let Some(t) = &token {
                action.with_continuation_token(t.clone());
            }
            let url = action.sign(SIGNED_FOR);
            let Some(mut response) = self.send("list", false, |a| a.get(url.as_str()).call())?
            else {
                return Ok(out);
            };
            let body = response
                .body_mut()
                .with_config()
                .limit(64 * 1024 * 1024)
                .read_to_string()
                .map_err(|e| self.unreachable(&e))?;
            let page = rusty_s3::actions::ListObjectsV2::parse_response(&body).map_err(|e| {
                Error::new(
                    ErrorKind::Store,
                    format!("the store's list of files cannot be read: {e}"),
                    format!("无法读取存储返回的文件列表：{e}"),
                )
                .hint(
                    "check that publish.endpoint is an S3-compatible address of the store",
                    "请确认 publish.endpoint 是该存储的 S3 兼容访问地址",
                )
            })?;
            for o in page.contents {
                let Some(path) = o.key.strip_prefix(&self.prefix) else {
                    continue;
                };
                if path == MANIFEST || path.is_empty() || path.ends_with('/') {
                    continue;
                }
                out.insert(
                    path.to_string(),
                    Remote {
                        size: o.size.unwrap_or(0),
                        stamp: o.etag.map(|t| t.trim_matches('"').to_ascii_lowercase()),
                    },
                );
            }
            match page.next_continuation_token {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    fn read_manifest(&self) -> Result<Option<Vec<u8>>, Error> {
        let key = self.key(MANIFEST);
        let url = rusty_s3::actions::GetObject::new(&self.bucket, Some(&self.keys), &key)
            .sign(SIGNED_FOR);
        let Some(mut response) = self.send("read", true, |a| a.get(url.as_str()).call())? else {
            return Ok(None);
        };
        response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_vec()
            .map(Some)
            .map_err(|e| self.unreachable(&e))
    }

    fn write_manifest(&self, bytes: &[u8]) -> Result<(), Error> {
        let key = self.key(MANIFEST);
        let md5 = content_md5(bytes);
        let mut action = rusty_s3::actions::PutObject::new(&self.bucket, Some(&self.keys), &key);
        let headers = [
            ("cache-control", "no-cache"),
            ("content-md5", md5.as_str()),
            ("content-type", "application/json"),
        ];
        for (k, v) in headers {
            action.headers_mut().insert(k, v);
        }
        let url = action.sign(SIGNED_FOR);
        self.send("write", false, |a| {
            let mut r = a.put(url.as_str());
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.send(bytes)
        })?;
        Ok(())
    }

    fn put(&self, file: &LocalFile, from: &Path) -> Result<Option<String>, Error> {
        let key = self.key(&file.path);
        let md5 = base64::engine::general_purpose::STANDARD.encode(file.md5);
        let mut action = rusty_s3::actions::PutObject::new(&self.bucket, Some(&self.keys), &key);
        let headers = [
            ("cache-control", file.cache_control.as_str()),
            ("content-md5", md5.as_str()),
            ("content-type", file.content_type.as_str()),
        ];
        for (k, v) in headers {
            action.headers_mut().insert(k, v);
        }
        let url = action.sign(SIGNED_FOR);
        let body = std::fs::File::open(from).map_err(|e| {
            let shown = from.display();
            Error::new(
                ErrorKind::Io,
                format!("cannot read {shown}: {e}"),
                format!("无法读取 {shown}：{e}"),
            )
            .hint(
                "build the site again, then publish",
                "请重新生成网站后再发布",
            )
        })?;
        let response = self.send("write", false, |a| {
            let mut r = a.put(url.as_str());
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.send(body)
        })?;
        Ok(response
            .as_ref()
            .and_then(|r| r.headers().get("etag"))
            .and_then(|t| t.to_str().ok())
            .map(|t| t.trim_matches('"').to_ascii_lowercase()))
    }

    fn delete(&self, path: &str) -> Result<(), Error> {
        let key = self.key(path);
        let url = rusty_s3::actions::DeleteObject::new(&self.bucket, Some(&self.keys), &key)
            .sign(SIGNED_FOR);
        self.send("delete", true, |a| a.delete(url.as_str()).call())?;
        Ok(())
    }
}

/// `Content-MD5` of bytes: base64 of the digest.
fn content_md5(bytes: &[u8]) -> String {
    use md5::Digest;
    base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::publish::Kind;
    use crate::publish::credentials::{Secret, Source};

    fn bucket() -> Bucket {
        let settings = Publish {
            kind: Kind::S3,
            endpoint: Some("https://oss-cn-chengdu.aliyuncs.com".into()),
            bucket: Some("dangjian".into()),
            prefix: None,
            region: None,
            path_style: false,
            path: None,
            credentials: None,
            max_deletes: 256,
        };
        let credentials = Credentials {
            key_id: "LTAI5t".into(),
            secret: Secret::new("s"),
            token: None,
            source: Source::Zhanting,
        };
        Bucket::new(&settings, credentials).unwrap()
    }

    fn answer(status: u16, date: SystemTime, body: &str) -> ureq::http::Response<ureq::Body> {
        ureq::http::Response::builder()
            .status(status)
            .header("date", httpdate::fmt_http_date(date))
            .body(ureq::Body::builder().data(body.as_bytes().to_vec()))
            .unwrap()
    }

    #[test]
    fn a_refusal_with_the_stores_clock_far_off_is_the_clock() {
        let b = bucket();
        let off = SystemTime::now() + Duration::from_secs(40 * 60);
        let body = "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>";
        let e = b.refused("list", &mut answer(403, off, body));
        assert_eq!(e.kind, ErrorKind::ClockSkew);
        assert!(
            e.diagnostic.message.en.contains("(40 min)"),
            "{}",
            e.diagnostic.message.en
        );
        // The same refusal with the clocks agreeing is a permission.
        let e = b.refused("list", &mut answer(403, SystemTime::now(), body));
        assert_eq!(e.kind, ErrorKind::Denied);
        assert!(e.diagnostic.message.en.contains("ZHANTING_ACCESS_KEY_ID"));
        let skewed = "<Error><Code>RequestTimeTooSkewed</Code></Error>";
        let e = b.refused("write", &mut answer(403, SystemTime::now(), skewed));
        assert_eq!(e.kind, ErrorKind::ClockSkew);
    }

    #[test]
    fn a_busy_store_is_tried_again_a_missing_bucket_is_not() {
        let b = bucket();
        let e = b.refused(
            "write",
            &mut answer(
                503,
                SystemTime::now(),
                "<Error><Code>SlowDown</Code></Error>",
            ),
        );
        assert!(e.transient);
        let e = b.refused(
            "list",
            &mut answer(
                404,
                SystemTime::now(),
                "<Error><Code>NoSuchBucket</Code></Error>",
            ),
        );
        assert_eq!(e.kind, ErrorKind::NoBucket);
        assert!(!e.transient);
    }
}
