//! Key records: what the app knows about a key besides its secret (label, team, environment,
//! kind, fingerprint, dates, status), the input types for adding and editing one, and the
//! conversions from store rows. Nothing here holds or prints a secret except `NewKey.secret`,
//! which is an `ApiKey`.

use super::verify::Verification;
use super::ApiKey;
use crate::store::{KeyRow, KeyUseRow};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use ts_rs::TS;

/// Which environment a key serves; a connection holds one key per environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Dev,
    Staging,
    Prod,
    Personal,
}

impl Environment {
    pub const ALL: [Environment; 4] = [Self::Dev, Self::Staging, Self::Prod, Self::Personal];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dev => "dev",
            Self::Staging => "staging",
            Self::Prod => "prod",
            Self::Personal => "personal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl std::fmt::Display for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The billing kind, told by the prefix (contract §5.1): `sk-plan-`, `sk-custom-`, else basic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    Plan,
    Custom,
    Basic,
}

impl KeyKind {
    pub fn detect(secret: &ApiKey) -> Self {
        match secret.visible_prefix() {
            "sk-plan-" => Self::Plan,
            "sk-custom-" => Self::Custom,
            _ => Self::Basic,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Custom => "custom",
            Self::Basic => "basic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Plan, Self::Custom, Self::Basic]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    Active,
    /// A rotation plan was verified and awaits the admin's confirmation.
    Rotating,
    /// Replaced (see `replaced_by`) or taken out of use; kept for the record.
    Retired,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Rotating => "rotating",
            Self::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Rotating, Self::Retired]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One connection environment slot that holds a key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyUse {
    pub connection_id: String,
    pub connection_name: String,
    pub environment: Environment,
}

/// A key as the UI lists it. Only the masked form of the secret. Built from SQLite alone:
/// listing keys never reads the keychain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyRecord {
    pub id: String,
    pub label: String,
    pub team: Option<String>,
    pub project: Option<String>,
    pub environment: Environment,
    pub kind: KeyKind,
    /// The kind prefix AnyInt's dashboard shows (`sk-plan-`, `sk-custom-`, `sk-`).
    pub prefix: String,
    /// 12 hex digits of SHA-256: tells keys apart, cannot rebuild one.
    pub fingerprint: String,
    pub masked_key: String,
    /// RFC 3339.
    pub created_at: String,
    pub last_verified_at: Option<String>,
    pub last_verification: Option<Verification>,
    pub last_used_at: Option<String>,
    /// `YYYY-MM-DD`.
    pub rotate_by: Option<String>,
    /// `YYYY-MM-DD`.
    pub expires_at: Option<String>,
    pub status: KeyStatus,
    pub notes: Option<String>,
    /// The id of the key that replaced this one in a rotation.
    pub replaced_by: Option<String>,
    /// Whether the keychain held the secret the last time the app read it (false once a
    /// read found it deleted outside the app). Not checked by listing: see `KeyVault::list`.
    pub in_keychain: bool,
    /// The connection whose gateway the key belongs to: verification and rotation talk to it
    /// only. `None` until the key is first bound.
    pub connection_id: Option<String>,
    /// The connections (and environments) that use the key now.
    pub used_by: Vec<KeyUse>,
}

impl KeyRecord {
    pub(crate) fn from_row(row: KeyRow, used_by: Vec<KeyUse>) -> Self {
        // A row written by this version always parses; an unreadable verification blob
        // (a future format) is shown as "not verified" rather than failing the whole list.
        let last_verification = row
            .last_verification
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok());
        KeyRecord {
            environment: row.environment,
            kind: row.kind,
            status: row.status,
            id: row.id,
            label: row.label,
            team: row.team,
            project: row.project,
            prefix: row.prefix,
            fingerprint: row.fingerprint,
            masked_key: row.masked_key,
            created_at: row.created_at,
            last_verified_at: row.last_verified_at,
            last_verification,
            last_used_at: row.last_used_at,
            rotate_by: row.rotate_by,
            expires_at: row.expires_at,
            notes: row.notes,
            replaced_by: row.replaced_by,
            in_keychain: row.keychain_missing_at.is_none(),
            connection_id: row.connection_id,
            used_by,
        }
    }
}

impl From<KeyUseRow> for KeyUse {
    fn from(u: KeyUseRow) -> Self {
        KeyUse {
            connection_id: u.connection_id,
            connection_name: u.connection_name,
            environment: u.environment,
        }
    }
}

impl KeyRecord {
    /// The editable part, e.g. to prefill the edit form or copy onto a replacement key.
    pub fn metadata(&self) -> KeyMetadata {
        KeyMetadata {
            label: self.label.clone(),
            team: self.team.clone(),
            project: self.project.clone(),
            environment: self.environment,
            rotate_by: self.rotate_by.clone(),
            expires_at: self.expires_at.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// The editable metadata of a key, as the UI's form sends it (the whole form each time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyMetadata {
    pub label: String,
    pub team: Option<String>,
    pub project: Option<String>,
    pub environment: Environment,
    /// `YYYY-MM-DD`.
    pub rotate_by: Option<String>,
    /// `YYYY-MM-DD`.
    pub expires_at: Option<String>,
    pub notes: Option<String>,
}

/// A key to add: metadata plus the secret. Not serialisable: the secret arrives through the
/// adapter as an `ApiKey` and goes straight to the keychain.
#[derive(Debug, Clone)]
pub struct NewKey {
    pub label: String,
    pub team: Option<String>,
    pub project: Option<String>,
    pub environment: Environment,
    pub secret: ApiKey,
    pub rotate_by: Option<String>,
    pub expires_at: Option<String>,
    pub notes: Option<String>,
}

impl NewKey {
    pub fn new(meta: KeyMetadata, secret: ApiKey) -> Self {
        NewKey {
            label: meta.label,
            team: meta.team,
            project: meta.project,
            environment: meta.environment,
            secret,
            rotate_by: meta.rotate_by,
            expires_at: meta.expires_at,
            notes: meta.notes,
        }
    }

    pub fn metadata(&self) -> KeyMetadata {
        KeyMetadata {
            label: self.label.clone(),
            team: self.team.clone(),
            project: self.project.clone(),
            environment: self.environment,
            rotate_by: self.rotate_by.clone(),
            expires_at: self.expires_at.clone(),
            notes: self.notes.clone(),
        }
    }
}

impl KeyMetadata {
    /// Trims text fields, turns blanks into `None`, and checks the label and the dates.
    pub(crate) fn normalised(&self) -> Result<KeyMetadata, String> {
        let label = self.label.trim();
        if label.is_empty() {
            return Err("a key needs a label".into());
        }
        let opt = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let date = |v: &Option<String>, what: &str| -> Result<Option<String>, String> {
            match opt(v) {
                None => Ok(None),
                Some(s) => parse_date(&s)
                    .map(|_| Some(s.clone()))
                    .ok_or_else(|| format!("{what} `{s}` is not a date (use YYYY-MM-DD)")),
            }
        };
        Ok(KeyMetadata {
            label: label.to_owned(),
            team: opt(&self.team),
            project: opt(&self.project),
            environment: self.environment,
            rotate_by: date(&self.rotate_by, "rotate-by date")?,
            expires_at: date(&self.expires_at, "expiry date")?,
            notes: opt(&self.notes),
        })
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), format).ok()
}

pub(crate) fn format_date(d: time::Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    d.format(format).unwrap_or_default()
}

pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Today's date where the user is: the system time zone (TZ, else /etc/localtime), UTC only
/// when none can be found. Read through `jiff`'s TZ database support, which is sound in a
/// multi-threaded process (the `time` crate refuses to read the local offset there) and
/// follows a DST change or a TZ change while the app runs.
pub fn local_today() -> time::Date {
    local_date(jiff::Timestamp::now(), &jiff::tz::TimeZone::system())
}

/// The calendar date of `at` in `tz`.
pub(crate) fn local_date(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> time::Date {
    let d = tz.to_datetime(at).date();
    time::Month::try_from(u8::try_from(d.month()).unwrap_or(1))
        .ok()
        .and_then(|m| {
            time::Date::from_calendar_date(i32::from(d.year()), m, u8::try_from(d.day()).ok()?).ok()
        })
        // Every jiff date is a valid `time` date; this only keeps the types honest.
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
}

/// A new record id: a hash of the time, the process and a counter, so ids made in the same
/// nanosecond (or by two app instances) still differ. Never derived from the secret.
pub(crate) fn new_key_id() -> String {
    use sha2::{Digest, Sha256};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let seed = format!("{nanos}\0{}\0{n}", std::process::id());
    format!("key-{}", hex::encode(&Sha256::digest(seed.as_bytes())[..8]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn kind_comes_from_the_prefix() {
        let k = |s| KeyKind::detect(&ApiKey::new(s).unwrap());
        assert_eq!(k("sk-plan-abc123"), KeyKind::Plan);
        assert_eq!(k("sk-custom-abc123"), KeyKind::Custom);
        assert_eq!(k("sk-0123456789abcdef"), KeyKind::Basic);
        assert_eq!(k("weird"), KeyKind::Basic);
    }

    #[test]
    fn metadata_is_trimmed_and_dates_checked() {
        let meta = KeyMetadata {
            label: "  Team A  ".into(),
            team: Some(" ".into()),
            project: Some(" web ".into()),
            environment: Environment::Dev,
            rotate_by: Some("2030-02-28".into()),
            expires_at: None,
            notes: None,
        };
        let n = meta.normalised().unwrap();
        assert_eq!(
            (n.label.as_str(), n.team, n.project.as_deref()),
            ("Team A", None, Some("web"))
        );
        let bad = KeyMetadata {
            rotate_by: Some("2030-02-30".into()),
            ..meta.clone()
        };
        assert!(bad.normalised().unwrap_err().contains("YYYY-MM-DD"));
        let blank = KeyMetadata {
            label: " ".into(),
            ..meta
        };
        assert!(blank.normalised().is_err());
    }

    #[test]
    fn the_local_date_follows_the_time_zone_not_utc() {
        use jiff::tz::{offset, TimeZone};
        let late_utc: jiff::Timestamp = "2030-01-01T23:30:00Z".parse().unwrap();
        let early_utc: jiff::Timestamp = "2030-01-02T02:00:00Z".parse().unwrap();
        let d = |y, m, day| time::Date::from_calendar_date(y, m, day).unwrap();
        use time::Month::January;
        assert_eq!(local_date(late_utc, &TimeZone::UTC), d(2030, January, 1));
        // Berlin in winter is UTC+1: already the 2nd.
        let berlin = TimeZone::fixed(offset(1));
        assert_eq!(local_date(late_utc, &berlin), d(2030, January, 2));
        // New York (a POSIX rule, so no tzdata is needed): still the 1st at 02:00 UTC.
        let new_york = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(local_date(early_utc, &new_york), d(2030, January, 1));
        // In summer the same rule is UTC-4: 03:30 UTC on 1 July is 23:30 on 30 June.
        let july: jiff::Timestamp = "2030-07-01T03:30:00Z".parse().unwrap();
        assert_eq!(
            local_date(july, &new_york),
            time::Date::from_calendar_date(2030, time::Month::June, 30).unwrap()
        );
    }

    #[test]
    fn environment_serialises_lowercase_and_ids_differ() {
        assert_eq!(
            serde_json::to_string(&Environment::Staging).unwrap(),
            "\"staging\""
        );
        assert_eq!(Environment::parse("personal"), Some(Environment::Personal));
        assert_ne!(new_key_id(), new_key_id());
    }
}
