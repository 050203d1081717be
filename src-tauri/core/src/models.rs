//! Both Models routes: the list of model IDs a key may use, read page by page.
//!
//! The documented shape is Anthropic's (`data[].id`, `display_name`, `type`, `created_at`,
//! `has_more`, `first_id`, `last_id`); OpenAI's (`object`, `created`, `owned_by`) must also be
//! read without failing (contract decision 3). Unknown fields are ignored.

use crate::gateway::{Family, GatewayClient, GatewayError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Page size asked for. Upstream Anthropic allows up to 1000; 100 keeps pages quick to parse
/// while a typical catalogue still needs one or two requests.
pub const PAGE_LIMIT: u32 = 100;

/// A guard against a gateway that keeps answering `has_more: true` with the same cursor.
const MAX_PAGES: usize = 500;

/// One model as the app shows it, whichever route and shape it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
    pub id: String,
    pub display_name: Option<String>,
    #[serde(rename = "type")]
    pub r#type: Option<String>,
    /// RFC 3339. OpenAI's `created` (Unix seconds) is converted.
    pub created_at: Option<String>,
    pub owned_by: Option<String>,
}

/// One page as either route sends it.
#[derive(Debug, Deserialize)]
struct ModelsPage {
    data: Vec<WireModel>,
    #[serde(default)]
    has_more: bool,
    last_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WireModel {
    id: String,
    display_name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    object: Option<String>,
    created_at: Option<serde_json::Value>,
    created: Option<i64>,
    owned_by: Option<String>,
}

impl From<WireModel> for ModelInfo {
    fn from(m: WireModel) -> Self {
        let created_at = match m.created_at {
            Some(serde_json::Value::String(s)) => Some(s),
            Some(serde_json::Value::Number(n)) => n.as_i64().and_then(unix_to_rfc3339),
            _ => m.created.and_then(unix_to_rfc3339),
        };
        ModelInfo {
            id: m.id,
            display_name: m.display_name,
            r#type: m.kind.or(m.object),
            created_at,
            owned_by: m.owned_by,
        }
    }
}

fn unix_to_rfc3339(secs: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()?
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// Lists every model `client`'s key can see on `family`'s Models route, following `has_more`
/// with `after_id`/`limit` until the gateway says it is done.
pub async fn list_models(
    client: &GatewayClient,
    family: Family,
) -> Result<Vec<ModelInfo>, GatewayError> {
    list_models_paged(client, family, PAGE_LIMIT).await
}

/// `list_models` with an explicit page size (tests use small pages to cross page boundaries).
pub async fn list_models_paged(
    client: &GatewayClient,
    family: Family,
    page_limit: u32,
) -> Result<Vec<ModelInfo>, GatewayError> {
    if !matches!(family, Family::OpenAi | Family::Anthropic) {
        return Err(GatewayError::NoModelsRoute {
            family: family.name(),
        });
    }
    let mut models = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut query = vec![("limit", page_limit.to_string())];
        if let Some(cursor) = &after {
            query.push(("after_id", cursor.clone()));
        }
        let page: ModelsPage = client.get_json(family, "/models", &query).await?;
        // The cursor is `last_id`, or the last item's ID when a gateway omits it.
        let next = page
            .last_id
            .clone()
            .or_else(|| page.data.last().map(|m| m.id.clone()));
        let empty = page.data.is_empty();
        models.extend(page.data.into_iter().map(ModelInfo::from));
        if !page.has_more || empty {
            return Ok(models);
        }
        if next.is_none() || next == after {
            return Err(
                client.decode_error("the gateway said has_more but gave no new cursor", b"")
            );
        }
        after = next;
    }
    Err(client.decode_error(
        format!("the models list did not end after {MAX_PAGES} pages"),
        b"",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_shapes() {
        let anthropic = r#"{"data":[{"id":"claude-sonnet-4-6","display_name":"Claude Sonnet 4.6","type":"model","created_at":"2026-02-17T00:00:00Z"}],"has_more":false,"first_id":"claude-sonnet-4-6","last_id":"claude-sonnet-4-6"}"#;
        let page: ModelsPage = serde_json::from_str(anthropic).unwrap();
        let m = ModelInfo::from(page.data.into_iter().next().unwrap());
        assert_eq!(m.display_name.as_deref(), Some("Claude Sonnet 4.6"));
        assert_eq!(m.created_at.as_deref(), Some("2026-02-17T00:00:00Z"));

        let openai = r#"{"object":"list","data":[{"id":"gpt-5","object":"model","created":1700000000,"owned_by":"openai","extra":1}]}"#;
        let page: ModelsPage = serde_json::from_str(openai).unwrap();
        assert!(!page.has_more);
        let m = ModelInfo::from(page.data.into_iter().next().unwrap());
        assert_eq!(m.r#type.as_deref(), Some("model"));
        assert_eq!(m.owned_by.as_deref(), Some("openai"));
        assert_eq!(m.created_at.as_deref(), Some("2023-11-14T22:13:20Z"));
    }
}
