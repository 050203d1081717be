//! Shared fixtures for the snippet tests, and the tests of what every language shares: routes,
//! headers, SDK bases, labels and the IPC spelling.

use super::*;
use serde_json::json;

pub(crate) const FAMILIES: [ChatFamily; 4] = [
    ChatFamily::OpenAiChat,
    ChatFamily::OpenAiResponses,
    ChatFamily::Anthropic,
    ChatFamily::Gemini,
];

/// A body whose text would break naive quoting in every target: single and double quotes,
/// `$HOME` and `$(...)`, backticks and `${...}`, backslashes, a newline, a line that is the
/// heredoc word, JSON words inside a string, and non-ASCII.
pub(crate) fn nasty_body() -> Value {
    json!({
        "model": "gpt-5",
        "messages": [{
            "role": "user",
            "content": "it's \"$HOME\" $(echo pwned) `id` ${HOME} \\n back\\slash\nJSON\nnext line é 🚀"
        }],
        "note": "true null false \"quoted\"",
        "flags": [true, false, null],
        "temperature": 0.5,
        "max_tokens": 16,
        "generationConfig": {"temperature": 0.2},
        "systemInstruction": {"parts": [{"text": "Be brief."}]},
        "contents": [{"role": "user", "parts": [{"text": "it's `$HOME`"}]}],
        "empty": {},
        "none": []
    })
}

pub(crate) fn request(family: ChatFamily, body: Value, stream: bool) -> SnippetRequest {
    let model = match family {
        ChatFamily::OpenAiChat | ChatFamily::OpenAiResponses => "gpt-5",
        ChatFamily::Anthropic => "claude-sonnet-4-6",
        ChatFamily::Gemini => "gemini-2.0-flash",
    };
    SnippetRequest {
        family,
        // A trailing slash, as a user may type it: routes must still join cleanly.
        base_url: "https://api.anyint.ai/".to_owned(),
        model: model.to_owned(),
        body,
        stream,
    }
}

/// No snippet may carry a key: only the variable's name.
pub(crate) fn assert_no_key(code: &str) {
    for needle in ["sk-", "Bearer sk", "api_key=\"", "apiKey: \""] {
        assert!(!code.contains(needle), "`{needle}` in:\n{code}");
    }
}

#[test]
fn routes_match_the_contract_and_the_app() {
    let url_of = |family, stream| url(&request(family, json!({}), stream));
    let base = "https://api.anyint.ai";
    assert_eq!(
        url_of(ChatFamily::OpenAiChat, true),
        format!("{base}/openai/v1/chat/completions")
    );
    assert_eq!(
        url_of(ChatFamily::OpenAiResponses, false),
        format!("{base}/openai/v1/responses")
    );
    assert_eq!(
        url_of(ChatFamily::Anthropic, false),
        format!("{base}/anthropic/v1/messages")
    );
    assert_eq!(
        url_of(ChatFamily::Gemini, false),
        format!("{base}/gemini/v1beta/models/gemini-2.0-flash:generateContent")
    );
    assert_eq!(
        url_of(ChatFamily::Gemini, true),
        format!("{base}/gemini/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse")
    );
}

#[test]
fn headers_are_the_gateway_clients_auth() {
    let names = |family, stream| -> Vec<(&str, HeaderValue)> {
        headers(&request(family, json!({}), stream))
            .into_iter()
            .map(|h| (h.name, h.value))
            .collect()
    };
    assert_eq!(
        names(ChatFamily::Anthropic, false),
        [
            ("x-api-key", HeaderValue::Key { scheme: "" }),
            ("anthropic-version", HeaderValue::Text(ANTHROPIC_VERSION)),
            ("Content-Type", HeaderValue::Text("application/json")),
        ]
    );
    assert_eq!(ANTHROPIC_VERSION, "2023-06-01");
    for family in [
        ChatFamily::OpenAiChat,
        ChatFamily::OpenAiResponses,
        ChatFamily::Gemini,
    ] {
        let h = names(family, true);
        assert_eq!(
            h[0],
            ("Authorization", HeaderValue::Key { scheme: "Bearer " })
        );
        assert_eq!(h[2], ("Accept", HeaderValue::Text("text/event-stream")));
        assert!(h.iter().all(|(name, _)| *name != "x-api-key"));
    }
}

#[test]
fn sdk_bases_plus_what_each_sdk_appends_give_the_route() {
    let req = |family| request(family, json!({}), false);
    let (openai, _) = sdk_base(&req(ChatFamily::OpenAiChat));
    assert_eq!(
        format!("{openai}/chat/completions"),
        url(&req(ChatFamily::OpenAiChat))
    );
    // The Anthropic SDK appends `/v1/messages` on its own.
    let (anthropic, version) = sdk_base(&req(ChatFamily::Anthropic));
    assert_eq!(version, "v1");
    assert_eq!(
        format!("{anthropic}/v1/messages"),
        url(&req(ChatFamily::Anthropic))
    );
    // google-genai joins `{base_url}/{api_version}/models/{model}:generateContent`.
    let (gemini, version) = sdk_base(&req(ChatFamily::Gemini));
    assert_eq!(
        format!("{gemini}/{version}/models/gemini-2.0-flash:generateContent"),
        url(&req(ChatFamily::Gemini))
    );
}

#[test]
fn gemini_sdk_arguments_regroup_the_rest_body() {
    let body = json!({
        "contents": [{"role": "user", "parts": [{"text": "Hi"}]}],
        "generationConfig": {"temperature": 0.7, "responseModalities": ["TEXT", "IMAGE"]},
        "systemInstruction": {"parts": [{"text": "Be brief."}]},
        "tools": [{"functionDeclarations": []}]
    });
    let args = gemini_sdk_arguments(&request(ChatFamily::Gemini, body.clone(), false));
    assert_eq!(
        args,
        json!({
            "model": "gemini-2.0-flash",
            "contents": body["contents"],
            "config": {
                "temperature": 0.7,
                "responseModalities": ["TEXT", "IMAGE"],
                "systemInstruction": body["systemInstruction"],
                "tools": body["tools"]
            }
        })
    );
    let bare = json!({"contents": []});
    let args = gemini_sdk_arguments(&request(ChatFamily::Gemini, bare, false));
    assert!(args.get("config").is_none(), "{args}");
}

#[test]
fn all_gives_every_language_with_a_label_naming_the_package() {
    let snippets = all(&request(ChatFamily::Anthropic, nasty_body(), false));
    let langs: Vec<_> = snippets.iter().map(|s| s.lang).collect();
    assert_eq!(langs, SnippetLang::ALL);
    let labels: Vec<_> = snippets.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "curl",
            "Python (anthropic)",
            "TypeScript (@anthropic-ai/sdk)",
            "Python (requests)",
            "JavaScript (fetch)"
        ]
    );
    for s in &snippets {
        assert!(s.code.contains(KEY_ENV), "{}", s.code);
        assert_no_key(&s.code);
        assert_eq!(
            s.code,
            snippet(&request(ChatFamily::Anthropic, nasty_body(), false), s.lang)
        );
    }
}

#[test]
fn types_cross_ipc_in_one_spelling() {
    let req = request(ChatFamily::OpenAiChat, json!({"a": 1}), true);
    let wire = serde_json::to_value(&req).unwrap();
    assert_eq!(
        wire,
        json!({
            "family": "openai_chat",
            "baseUrl": "https://api.anyint.ai/",
            "model": "gpt-5",
            "body": {"a": 1},
            "stream": true
        })
    );
    assert_eq!(serde_json::from_value::<SnippetRequest>(wire).unwrap(), req);
    let langs = serde_json::to_value(SnippetLang::ALL).unwrap();
    assert_eq!(
        langs,
        json!([
            "curl",
            "python_sdk",
            "typescript_sdk",
            "python_requests",
            "javascript_fetch"
        ])
    );
}
