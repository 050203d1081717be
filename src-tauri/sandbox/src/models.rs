//! The Models API: `GET /openai/v1/models` and `GET /anthropic/v1/models` (contract §3.1).
//!
//! Both routes answer in the Anthropic list shape the contract documents, filtered by the
//! caller's allowlist, with real cursor pagination so clients exercise their `has_more` loop.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::Json;
use serde_json::{json, Value};

use crate::catalogue::{catalogue, CatalogueModel};
use crate::errors::ApiError;
use crate::request::Caller;

/// [UPSTREAM] Anthropic list-models: `limit` defaults to 20 and is capped at 1000.
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 1000;

/// `GET /openai/v1/models` and `GET /anthropic/v1/models`: one page of the models the caller's
/// key may use. A malformed query string is a 400 in the family's envelope, not axum's plain text.
pub(crate) async fn list(
    caller: Caller,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let bad = |msg: String| ApiError::invalid(caller.family, msg);
    let Query(params) = query.map_err(|e| bad(format!("Invalid query string: {e}")))?;
    let visible: Vec<CatalogueModel> = catalogue()
        .into_iter()
        .filter(|m| caller.key.allows(&m.id))
        .collect();
    let page = paginate(&visible, &params).map_err(bad)?;
    Ok(Json(page))
}

/// One page of `visible` per `limit` / `after_id` / `before_id`, in the Anthropic list shape.
fn paginate(visible: &[CatalogueModel], params: &HashMap<String, String>) -> Result<Value, String> {
    let limit = match params.get("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(format!(
                    "limit: must be an integer between 1 and {MAX_LIMIT}"
                ))
            }
        },
    };
    // An unknown cursor is a 400 rather than an empty page: an empty page would tell a client
    // that paginates with a stale or mistyped cursor that the list has ended, silently hiding
    // models. IDs the key cannot see count as unknown so the allowlist does not leak.
    let position = |id: &String| {
        visible
            .iter()
            .position(|m| &m.id == id)
            .ok_or_else(|| format!("Unknown model id in cursor: {id}"))
    };
    let (slice, has_more) = match (params.get("after_id"), params.get("before_id")) {
        (Some(_), Some(_)) => return Err("Use either after_id or before_id, not both".into()),
        (Some(after), None) => {
            let start = position(after)? + 1;
            let end = (start + limit).min(visible.len());
            (&visible[start..end], end < visible.len())
        }
        // [UPSTREAM] Anthropic: `before_id` returns the page immediately before the cursor, and
        // `has_more` then says whether there are more results before it.
        (None, Some(before)) => {
            let end = position(before)?;
            let start = end.saturating_sub(limit);
            (&visible[start..end], start > 0)
        }
        (None, None) => {
            let end = limit.min(visible.len());
            (&visible[..end], end < visible.len())
        }
    };
    let data: Vec<Value> = slice
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "display_name": m.display_name,
                "type": "model",
                "created_at": m.created_at,
            })
        })
        .collect();
    Ok(json!({
        "data": data,
        "has_more": has_more,
        "first_id": slice.first().map(|m| m.id.clone()),
        "last_id": slice.last().map(|m| m.id.clone()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn before_id_returns_the_preceding_page() {
        let all = catalogue();
        let page = paginate(&all, &params(&[("before_id", &all[5].id), ("limit", "3")]));
        let page = page.unwrap_or_default();
        assert_eq!(page["first_id"], json!(all[2].id));
        assert_eq!(page["last_id"], json!(all[4].id));
        assert_eq!(page["has_more"], json!(true));
    }

    #[test]
    fn limit_bounds_are_enforced() {
        let all = catalogue();
        for bad in ["0", "1001", "-1", "abc", ""] {
            assert!(paginate(&all, &params(&[("limit", bad)])).is_err(), "{bad}");
        }
        assert!(paginate(&all, &params(&[("limit", "1000")])).is_ok());
    }
}
