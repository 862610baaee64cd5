//! Dates as written by users: `YYYY-MM`, `YYYY-MM-DD` or RFC 3339. Date-only values are
//! taken as midnight China Standard Time (UTC+8), the zone every branch site lives in.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Month,
    Day,
    Time,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub at: DateTime<FixedOffset>,
    pub precision: Precision,
}

impl std::hash::Hash for Date {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.at.timestamp().hash(h);
        self.at.offset().local_minus_utc().hash(h);
        self.precision.hash(h);
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.at.cmp(&other.at)
    }
}

/// Why a date string was refused, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub en: String,
    pub zh: String,
}

fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

impl Date {
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let s = s.trim();
        let bad_shape = || DateError {
            en: format!("`{s}` is not a date"),
            zh: format!("`{s}` 不是有效的日期"),
        };
        let impossible = || DateError {
            en: format!("`{s}` is not a real date (no such month or day)"),
            zh: format!("`{s}` 不是真实存在的日期（没有这个月或这一天）"),
        };
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if s.len() > 10 {
            return match DateTime::parse_from_rfc3339(s) {
                Ok(at) => Ok(Date {
                    at,
                    precision: Precision::Time,
                }),
                Err(_) => {
                    // A well-shaped date part with an impossible day is "impossible", not "bad".
                    let day = s.get(..10).unwrap_or("");
                    let well_shaped = day.len() == 10 && day.as_bytes().get(4) == Some(&b'-');
                    if well_shaped && Date::parse(day).is_err() {
                        Err(impossible())
                    } else {
                        Err(bad_shape())
                    }
                }
            };
        }
        let parts: Vec<&str> = s.split('-').collect();
        let (y, m, d, precision) = match parts.as_slice() {
            [y, m] if digits(y, 4) && digits(m, 2) => (*y, *m, "01", Precision::Month),
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
                (*y, *m, *d, Precision::Day)
            }
            _ => return Err(bad_shape()),
        };
        let (y, m, d): (i32, u32, u32) = (
            y.parse().map_err(|_| bad_shape())?,
            m.parse().map_err(|_| bad_shape())?,
            d.parse().map_err(|_| bad_shape())?,
        );
        let naive = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(impossible)?;
        let at = china()
            .from_local_datetime(&naive.and_hms_opt(0, 0, 0).expect("midnight exists"))
            .single()
            .ok_or_else(impossible)?;
        Ok(Date { at, precision })
    }

    /// `2024-07-01`, or `2024-07` for a month.
    pub fn display(&self) -> String {
        match self.precision {
            Precision::Month => self.at.format("%Y-%m").to_string(),
            _ => self.at.format("%Y-%m-%d").to_string(),
        }
    }

    /// `2024年7月1日`, or `2024年7月`.
    pub fn display_zh(&self) -> String {
        match self.precision {
            Precision::Month => self.at.format("%Y年%-m月").to_string(),
            _ => self.at.format("%Y年%-m月%-d日").to_string(),
        }
    }

    /// Year, month and day, when the date names a day (not only a month).
    pub fn ymd(&self) -> Option<(i32, u32, u32)> {
        use chrono::Datelike;
        (self.precision != Precision::Month)
            .then(|| (self.at.year(), self.at.month(), self.at.day()))
    }

    pub fn year(&self) -> i32 {
        use chrono::Datelike;
        self.at.year()
    }

    pub fn rfc3339(&self) -> String {
        self.at.to_rfc3339()
    }
}

/// The message every date error ends with.
pub const DATE_HINT_EN: &str =
    "write dates as YYYY-MM-DD (2024-07-01), YYYY-MM (2024-07) or RFC 3339 (2024-07-01T09:00:00+08:00)";
pub const DATE_HINT_ZH: &str =
    "日期请写成 YYYY-MM-DD（2024-07-01）、YYYY-MM（2024-07）或 RFC 3339（2024-07-01T09:00:00+08:00）";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_three_forms() {
        assert_eq!(Date::parse("2024-07-01").unwrap().display(), "2024-07-01");
        assert_eq!(Date::parse("2017-05").unwrap().display(), "2017-05");
        let t = Date::parse("2024-07-01T09:30:00+08:00").unwrap();
        assert_eq!(t.precision, Precision::Time);
        assert_eq!(t.display_zh(), "2024年7月1日");
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert!(Date::parse("2024-02-30")
            .unwrap_err()
            .en
            .contains("not a real date"));
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-13").is_err());
        assert!(Date::parse("2024-02-30T09:00:00+08:00")
            .unwrap_err()
            .en
            .contains("not a real"));
        assert!(Date::parse("七月一日")
            .unwrap_err()
            .en
            .contains("not a date"));
        assert!(Date::parse("2024/07/01").is_err());
        assert!(Date::parse("2024-2-3").is_err());
    }
}
