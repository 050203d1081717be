//! Code export: the exact request a playground is about to send (or sent), as text a person
//! can paste: curl, the family's official SDK in Python and TypeScript, and plain HTTP (Python
//! `requests`, JavaScript `fetch`). Every form reads the key from `ANYINT_API_KEY`; no key is
//! ever an input here, so none can end up in a snippet (design §3, "Secrets").
//!
//! Pure text generation: no I/O, no gateway client, no UI. Routes and auth come from the same
//! tables the app's own client uses (`chat::ChatFamily::path`, `gateway::Family`), so an export
//! cannot drift from what the app sends.

mod curl;
mod python;
mod typescript;

use crate::chat::ChatFamily;
use crate::gateway::{Family, ANTHROPIC_VERSION};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// The environment variable every snippet reads the key from.
pub const KEY_ENV: &str = "ANYINT_API_KEY";

/// The languages a request can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SnippetLang {
    Curl,
    PythonSdk,
    #[serde(rename = "typescript_sdk")]
    TypeScriptSdk,
    PythonRequests,
    #[serde(rename = "javascript_fetch")]
    JavaScriptFetch,
}

impl SnippetLang {
    /// In the order the export tabs show them.
    pub const ALL: [Self; 5] = [
        Self::Curl,
        Self::PythonSdk,
        Self::TypeScriptSdk,
        Self::PythonRequests,
        Self::JavaScriptFetch,
    ];
}

/// What to export: the request exactly as the app sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnippetRequest {
    pub family: ChatFamily,
    /// The connection's base URL, e.g. `https://api.anyint.ai` or the Sandbox's loopback URL.
    pub base_url: String,
    /// Used in the route for Gemini (the others name the model in the body).
    pub model: String,
    /// The exact JSON body. It is exported as it is: keep `stream` in it consistent with
    /// [`SnippetRequest::stream`] for the OpenAI and Anthropic families.
    #[ts(type = "unknown")]
    pub body: Value,
    /// Chooses the streaming route (Gemini) and how each snippet reads the answer.
    pub stream: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Snippet {
    pub lang: SnippetLang,
    /// What the tab says, naming the SDK or library the code needs.
    pub label: String,
    pub code: String,
}

/// The request rendered in one language.
pub fn snippet(req: &SnippetRequest, lang: SnippetLang) -> String {
    match lang {
        SnippetLang::Curl => curl::render(req),
        SnippetLang::PythonSdk => python::sdk(req),
        SnippetLang::TypeScriptSdk => typescript::sdk(req),
        SnippetLang::PythonRequests => python::requests(req),
        SnippetLang::JavaScriptFetch => typescript::fetch(req),
    }
}

/// The request in every language, in [`SnippetLang::ALL`] order.
pub fn all(req: &SnippetRequest) -> Vec<Snippet> {
    SnippetLang::ALL
        .into_iter()
        .map(|lang| Snippet {
            lang,
            label: label(req.family, lang),
            code: snippet(req, lang),
        })
        .collect()
}

/// The tab label: the language and the package the code imports.
pub fn label(family: ChatFamily, lang: SnippetLang) -> String {
    let (python_sdk, ts_sdk) = match family {
        ChatFamily::OpenAiChat | ChatFamily::OpenAiResponses => ("openai", "openai"),
        ChatFamily::Anthropic => ("anthropic", "@anthropic-ai/sdk"),
        ChatFamily::Gemini => ("google-genai", "@google/genai"),
    };
    match lang {
        SnippetLang::Curl => "curl".to_owned(),
        SnippetLang::PythonSdk => format!("Python ({python_sdk})"),
        SnippetLang::TypeScriptSdk => format!("TypeScript ({ts_sdk})"),
        SnippetLang::PythonRequests => "Python (requests)".to_owned(),
        SnippetLang::JavaScriptFetch => "JavaScript (fetch)".to_owned(),
    }
}

/// The base URL as the gateway client joins it: no surrounding space, no trailing slash.
fn base(req: &SnippetRequest) -> &str {
    req.base_url.trim().trim_end_matches('/')
}

fn gateway_family(req: &SnippetRequest) -> Family {
    req.family.gateway_family()
}

/// The full route, built exactly as `GatewayClient::url` + `ChatFamily::path` build it.
fn url(req: &SnippetRequest) -> String {
    let family = req.family;
    format!(
        "{}{}{}",
        base(req),
        family.gateway_family().prefix(),
        family.path(&req.model, req.stream)
    )
}

/// A header value: fixed text, or the key (after `scheme`) read from [`KEY_ENV`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderValue {
    Text(&'static str),
    Key { scheme: &'static str },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Header {
    name: &'static str,
    value: HeaderValue,
}

/// The headers the app's `GatewayClient` sends for this request (`auth_headers`, plus the
/// JSON content type and, for streams, `Accept: text/event-stream`).
fn headers(req: &SnippetRequest) -> Vec<Header> {
    let header = |name, value| Header { name, value };
    let mut out = if gateway_family(req).uses_x_api_key() {
        vec![
            header("x-api-key", HeaderValue::Key { scheme: "" }),
            header("anthropic-version", HeaderValue::Text(ANTHROPIC_VERSION)),
        ]
    } else {
        vec![header(
            "Authorization",
            HeaderValue::Key { scheme: "Bearer " },
        )]
    };
    out.push(header(
        "Content-Type",
        HeaderValue::Text("application/json"),
    ));
    if req.stream {
        out.push(header("Accept", HeaderValue::Text("text/event-stream")));
    }
    out
}

/// The SDK's base URL and API version: the family prefix split before its version segment.
/// The Anthropic SDK appends `/v1/messages` itself and google-genai joins `api_version`, so
/// both must stop before the version (contract §1.1: the Anthropic SDK base is
/// `{host}/anthropic`); the OpenAI SDK takes the whole prefix (`{host}/openai/v1`).
fn sdk_base(req: &SnippetRequest) -> (String, &'static str) {
    let prefix = gateway_family(req).prefix();
    match req.family {
        ChatFamily::OpenAiChat | ChatFamily::OpenAiResponses => {
            (format!("{}{prefix}", base(req)), "")
        }
        ChatFamily::Anthropic | ChatFamily::Gemini => {
            let (root, version) = prefix.rsplit_once('/').unwrap_or((prefix, ""));
            (format!("{}{root}", base(req)), version)
        }
    }
}

/// The REST body regrouped into google-genai's `generate_content(model, contents, config)`
/// arguments. [UPSTREAM] The SDK's `GenerateContentConfig` flattens `generationConfig` and
/// holds the other top-level fields (`systemInstruction`, `tools`, `toolConfig`,
/// `safetySettings`, `cachedContent`, ...); both SDKs accept the REST camelCase names (the
/// Python one through pydantic aliases), so keys are kept as they are.
fn gemini_sdk_arguments(req: &SnippetRequest) -> Value {
    let mut args = Map::new();
    args.insert("model".to_owned(), Value::String(req.model.clone()));
    let Value::Object(body) = &req.body else {
        // Not an object: nothing to regroup; hand it over as the contents.
        args.insert("contents".to_owned(), req.body.clone());
        return Value::Object(args);
    };
    let mut config = Map::new();
    for (key, value) in body {
        match (key.as_str(), value) {
            ("contents", _) => {
                args.insert(key.clone(), value.clone());
            }
            ("generationConfig", Value::Object(generation)) => {
                config.extend(generation.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            _ => {
                config.insert(key.clone(), value.clone());
            }
        }
    }
    if !config.is_empty() {
        args.insert("config".to_owned(), Value::Object(config));
    }
    Value::Object(args)
}

/// A string as a double-quoted literal that is valid JSON, Python and JavaScript alike:
/// serde_json escapes only `"`, `\` and control characters, with escapes all three accept.
fn string_literal(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// `value` pretty-printed as JSON (two-space indent). JSON is a JavaScript expression, and
/// it is what curl sends byte for byte.
fn json_literal(value: &Value) -> String {
    format!("{value:#}")
}

#[cfg(test)]
pub(crate) mod tests;
