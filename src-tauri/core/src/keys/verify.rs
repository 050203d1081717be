//! Verification: proves a key against the gateway by calling BOTH Models routes (OpenAI style
//! with `Authorization: Bearer`, Anthropic style with `x-api-key`), because a key policy can
//! treat the two differently. Each route's outcome, the models it shows and when are kept on
//! the key's record. Gateway failures are outcomes, not errors: only a bad base URL or a
//! missing secret makes `verify` fail.

use super::audit::action;
use super::vault::{subject_of, KeyVault, VaultError};
use super::ApiKey;
use crate::gateway::{Family, GatewayClient, GatewayError, Timeouts};
use crate::models::list_models;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::time::Duration;
use ts_rs::TS;

/// Shorter than a chat request's limits: a verify that hangs tells the admin nothing.
const VERIFY_TIMEOUTS: Timeouts = Timeouts {
    connect: Duration::from_secs(5),
    request: Duration::from_secs(20),
};

/// The longest gateway message kept per route.
const MAX_MESSAGE_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// 2xx with a models list.
    Works,
    /// 401: wrong, revoked, disabled or expired key.
    Invalid,
    /// 403: blocked by the key's policy or subscription.
    Blocked,
    /// 429: rate or usage limited right now.
    Limited,
    /// Network failure or timeout: says nothing about the key.
    Unreachable,
    /// Anything else (5xx, an unreadable answer).
    Error,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Works => "works",
            Outcome::Invalid => "invalid",
            Outcome::Blocked => "blocked",
            Outcome::Limited => "limited",
            Outcome::Unreachable => "unreachable",
            Outcome::Error => "error",
        }
    }

    fn of(e: &GatewayError) -> Self {
        match e {
            GatewayError::Unreachable { .. }
            | GatewayError::Timeout { .. }
            | GatewayError::Transport { .. } => Outcome::Unreachable,
            GatewayError::Status { status: 401, .. } => Outcome::Invalid,
            GatewayError::Status { status: 403, .. } => Outcome::Blocked,
            GatewayError::Status { status: 429, .. } => Outcome::Limited,
            _ => Outcome::Error,
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One Models route's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RouteCheck {
    /// "openai" or "anthropic".
    pub family: String,
    pub outcome: Outcome,
    /// The HTTP status when the gateway answered with an error.
    pub status: Option<u16>,
    pub model_count: u32,
    /// The gateway's own words on failure (the key itself scrubbed out).
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    /// See [`overall`].
    pub outcome: Outcome,
    /// RFC 3339.
    pub checked_at: String,
    pub routes: Vec<RouteCheck>,
    /// The union of the model IDs both routes showed, sorted.
    pub model_ids: Vec<String>,
    pub model_count: u32,
}

impl Verification {
    /// One line for the audit log: "works; openai works (12 models), anthropic works (12)".
    pub fn summary(&self) -> String {
        let routes: Vec<String> = self
            .routes
            .iter()
            .map(|r| match r.status {
                Some(s) => format!("{} {} (HTTP {s})", r.family, r.outcome),
                None => format!("{} {} ({} models)", r.family, r.outcome, r.model_count),
            })
            .collect();
        format!("{}; {}", self.outcome, routes.join(", "))
    }
}

/// The overall outcome. A key "works" only if at least one route works and no route says it
/// is invalid: a 401 anywhere means the gateway no longer accepts the key itself, whereas a 403
/// or 429 on one route is a policy or a limit that the other route's success outlives. With no
/// working route, the most telling failure wins: invalid, then blocked, limited, error, and
/// unreachable last (it says nothing about the key).
pub fn overall(routes: &[RouteCheck]) -> Outcome {
    let has = |o: Outcome| routes.iter().any(|r| r.outcome == o);
    if has(Outcome::Invalid) {
        return Outcome::Invalid;
    }
    [
        Outcome::Works,
        Outcome::Blocked,
        Outcome::Limited,
        Outcome::Error,
    ]
    .into_iter()
    .find(|o| has(*o))
    .unwrap_or(Outcome::Unreachable)
}

/// Verifies a key that need not be stored (a paste before adding, a rotation's new key).
pub async fn verify_secret(secret: &ApiKey, base_url: &str) -> Result<Verification, VaultError> {
    verify_secret_via(secret, base_url, &crate::gateway::Network::default()).await
}

/// [`verify_secret`] through `network`'s proxy and TLS roots; its timeouts are capped at the
/// verification's own, shorter ones.
pub async fn verify_secret_via(
    secret: &ApiKey,
    base_url: &str,
    network: &crate::gateway::Network,
) -> Result<Verification, VaultError> {
    let mut network = network.clone();
    network.timeouts = Timeouts {
        connect: network.timeouts.connect.min(VERIFY_TIMEOUTS.connect),
        request: network.timeouts.request.min(VERIFY_TIMEOUTS.request),
    };
    let client = GatewayClient::with_network(base_url, secret.clone(), &network)
        .map_err(|e| VaultError::InvalidInput(e.to_string()))?;
    let (openai, anthropic) = tokio::join!(
        check(&client, Family::OpenAi, secret),
        check(&client, Family::Anthropic, secret)
    );
    let mut ids = BTreeSet::new();
    let mut routes = Vec::new();
    for (check, models) in [openai, anthropic] {
        ids.extend(models);
        routes.push(check);
    }
    let model_ids: Vec<String> = ids.into_iter().collect();
    Ok(Verification {
        outcome: overall(&routes),
        checked_at: super::records::now_rfc3339(),
        model_count: u32::try_from(model_ids.len()).unwrap_or(u32::MAX),
        routes,
        model_ids,
    })
}

async fn check(
    client: &GatewayClient,
    family: Family,
    secret: &ApiKey,
) -> (RouteCheck, Vec<String>) {
    match list_models(client, family).await {
        Ok(models) => (
            RouteCheck {
                family: family.name().to_owned(),
                outcome: Outcome::Works,
                status: None,
                model_count: u32::try_from(models.len()).unwrap_or(u32::MAX),
                message: None,
            },
            models.into_iter().map(|m| m.id).collect(),
        ),
        Err(e) => {
            // A gateway may echo the presented key in its error text; it must not reach the
            // record, the audit log or the UI.
            let message: String = e
                .to_string()
                .replace(secret.expose(), &secret.masked())
                .chars()
                .take(MAX_MESSAGE_CHARS)
                .collect();
            (
                RouteCheck {
                    family: family.name().to_owned(),
                    outcome: Outcome::of(&e),
                    status: e.status(),
                    model_count: 0,
                    message: Some(message),
                },
                Vec::new(),
            )
        }
    }
}

impl KeyVault {
    /// Verifies a stored key against `base_url` and records the result on the key.
    pub async fn verify(&self, key_id: &str, base_url: &str) -> Result<Verification, VaultError> {
        let row = self.row(key_id)?;
        let secret = self.secret_of(&row)?;
        let verification = verify_secret_via(&secret, base_url, &self.network()).await?;
        self.remember_verification(key_id, &verification)?;
        self.record(
            action::KEY_VERIFIED,
            &subject_of(&row),
            verification.outcome.as_str(),
            Some(verification.summary()),
        );
        Ok(verification)
    }

    pub(crate) fn remember_verification(
        &self,
        key_id: &str,
        v: &Verification,
    ) -> Result<(), VaultError> {
        let json = serde_json::to_string(v).map_err(|e| VaultError::InvalidInput(e.to_string()))?;
        self.store()
            .set_key_verification(key_id, &v.checked_at, &json)?;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn route(outcome: Outcome) -> RouteCheck {
        RouteCheck {
            family: "x".into(),
            outcome,
            status: None,
            model_count: 0,
            message: None,
        }
    }

    #[test]
    fn overall_rule() {
        use Outcome::*;
        let o = |a, b| overall(&[route(a), route(b)]);
        assert_eq!(o(Works, Works), Works);
        assert_eq!(o(Works, Blocked), Works);
        assert_eq!(o(Limited, Works), Works);
        assert_eq!(o(Works, Invalid), Invalid);
        assert_eq!(o(Unreachable, Limited), Limited);
        assert_eq!(o(Error, Blocked), Blocked);
        assert_eq!(o(Unreachable, Unreachable), Unreachable);
        assert_eq!(o(Unreachable, Error), Error);
    }
}
