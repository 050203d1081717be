//! The Python exports: the family's official SDK (`openai`, `anthropic`, `google-genai`) and
//! plain `requests`. The body becomes a dict literal; the key is `os.environ["ANYINT_API_KEY"]`.

use super::{
    gemini_sdk_arguments, headers, json_literal, sdk_base, string_literal, url, ChatFamily,
    HeaderValue, SnippetRequest, KEY_ENV,
};
use serde_json::Value;

/// The key as a Python expression.
fn key_expr() -> String {
    format!("os.environ[{}]", string_literal(KEY_ENV))
}

pub(super) fn sdk(req: &SnippetRequest) -> String {
    let key = key_expr();
    let (base_url, version) = sdk_base(req);
    let base_url = string_literal(&base_url);
    let (setup, call, read) = match (req.family, req.stream) {
        (ChatFamily::Gemini, stream) => (
            // AnyInt documents Bearer for /gemini (contract §1.2), which the app sends too;
            // google-genai always sends its own `x-goog-api-key` as well, so both go out.
            format!(
                "from google import genai\nfrom google.genai import types\n\n\
                 client = genai.Client(\n    api_key={key},\n    \
                 http_options=types.HttpOptions(\n        base_url={base_url},\n        \
                 api_version={},\n        \
                 headers={{\"Authorization\": \"Bearer \" + {key}}},\n    ),\n)\n",
                string_literal(version)
            ),
            if stream {
                "stream = client.models.generate_content_stream(**request)"
            } else {
                "response = client.models.generate_content(**request)"
            },
            if stream {
                "for chunk in stream:\n    print(chunk.text or \"\", end=\"\", flush=True)\nprint()"
            } else {
                "print(response.text)"
            },
        ),
        (ChatFamily::Anthropic, stream) => (
            // The SDK appends /v1/messages and sends `anthropic-version` itself.
            format!(
                "from anthropic import Anthropic\n\n\
                 client = Anthropic(\n    base_url={base_url},\n    api_key={key},\n)\n"
            ),
            if stream {
                "stream = client.messages.create(**body)"
            } else {
                "message = client.messages.create(**body)"
            },
            if stream {
                "for event in stream:\n    \
                 if event.type == \"content_block_delta\" and event.delta.type == \"text_delta\":\n        \
                 print(event.delta.text, end=\"\", flush=True)\nprint()"
            } else {
                "for block in message.content:\n    if block.type == \"text\":\n        print(block.text)"
            },
        ),
        (family, stream) => (
            format!(
                "from openai import OpenAI\n\n\
                 client = OpenAI(\n    base_url={base_url},\n    api_key={key},\n)\n"
            ),
            match (family, stream) {
                (ChatFamily::OpenAiResponses, true) => "stream = client.responses.create(**body)",
                (ChatFamily::OpenAiResponses, false) => {
                    "response = client.responses.create(**body)"
                }
                (_, true) => "stream = client.chat.completions.create(**body)",
                (_, false) => "completion = client.chat.completions.create(**body)",
            },
            match (family, stream) {
                (ChatFamily::OpenAiResponses, true) => {
                    "for event in stream:\n    if event.type == \"response.output_text.delta\":\n        \
                     print(event.delta, end=\"\", flush=True)\nprint()"
                }
                (ChatFamily::OpenAiResponses, false) => "print(response.output_text)",
                (_, true) => {
                    "for chunk in stream:\n    if chunk.choices and chunk.choices[0].delta.content:\n        \
                     print(chunk.choices[0].delta.content, end=\"\", flush=True)\nprint()"
                }
                (_, false) => "print(completion.choices[0].message.content)",
            },
        ),
    };
    // google-genai takes `model`, `contents` and `config` rather than the REST body.
    let (name, args) = match req.family {
        ChatFamily::Gemini => ("request", gemini_sdk_arguments(req)),
        _ => ("body", req.body.clone()),
    };
    let args = dict_literal(&args);
    format!("import os\n\n{setup}\n{name} = {args}\n\n{call}\n{read}\n")
}

pub(super) fn requests(req: &SnippetRequest) -> String {
    let mut header_lines = String::new();
    for header in headers(req) {
        let value = match header.value {
            HeaderValue::Text(text) => string_literal(text),
            HeaderValue::Key { scheme: "" } => key_expr(),
            HeaderValue::Key { scheme } => format!("{} + {}", string_literal(scheme), key_expr()),
        };
        header_lines.push_str(&format!("    {}: {value},\n", string_literal(header.name)));
    }
    // Errors print the gateway's own body rather than raise_for_status()'s bare status line.
    let (send, read) = if req.stream {
        (
            "with requests.post(url, headers=headers, json=body, stream=True, timeout=60) as response:\n    \
             if not response.ok:\n        \
             raise SystemExit(f\"{response.status_code}: {response.text}\")\n    \
             for line in response.iter_lines(decode_unicode=True):\n        \
             if line:\n            print(line, flush=True)",
            "",
        )
    } else {
        (
            "response = requests.post(url, headers=headers, json=body, timeout=60)\n\
             if not response.ok:\n    \
             raise SystemExit(f\"{response.status_code}: {response.text}\")",
            "\nprint(json.dumps(response.json(), indent=2, ensure_ascii=False))",
        )
    };
    let imports = if req.stream {
        "import os"
    } else {
        "import json\nimport os"
    };
    format!(
        "{imports}\n\nimport requests\n\nurl = {}\nheaders = {{\n{header_lines}}}\nbody = {}\n\n{send}{read}\n",
        string_literal(&url(req)),
        dict_literal(&req.body)
    )
}

/// JSON as a Python literal: the pretty JSON with `true`/`false`/`null` outside strings
/// spelled `True`/`False`/`None`. JSON strings are valid Python strings (see
/// `string_literal`), and numbers and brackets read the same, so nothing else changes.
pub(super) fn dict_literal(value: &Value) -> String {
    let json = json_literal(value);
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut rest = json.as_str();
    while let Some(c) = rest.chars().next() {
        let mut step = c.len_utf8();
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if let Some((word, python)) =
            [("true", "True"), ("false", "False"), ("null", "None")]
                .into_iter()
                .find(|(word, _)| rest.starts_with(word))
        {
            out.push_str(python);
            step = word.len();
        } else {
            out.push(c);
        }
        rest = &rest[step..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_no_key, nasty_body, request, FAMILIES};
    use super::*;

    /// The inverse of `dict_literal`, written independently: Python tokens back to JSON.
    fn python_to_json(python: &str) -> Value {
        let mut json = String::new();
        let mut chars = python.chars().peekable();
        let mut in_string = false;
        let mut word = String::new();
        let flush = |word: &mut String, json: &mut String| {
            json.push_str(match word.as_str() {
                "True" => "true",
                "False" => "false",
                "None" => "null",
                other => other,
            });
            word.clear();
        };
        while let Some(c) = chars.next() {
            if in_string {
                json.push(c);
                if c == '\\' {
                    json.extend(chars.next());
                } else if c == '"' {
                    in_string = false;
                }
            } else if c.is_ascii_alphabetic() {
                word.push(c);
            } else {
                flush(&mut word, &mut json);
                in_string = c == '"';
                json.push(c);
            }
        }
        flush(&mut word, &mut json);
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn the_dict_literal_round_trips_and_keeps_words_inside_strings() {
        let body = nasty_body();
        let literal = dict_literal(&body);
        assert!(
            literal.contains("True") && literal.contains("None"),
            "{literal}"
        );
        assert!(
            !literal.contains(": true") && !literal.contains(": null"),
            "{literal}"
        );
        // Inside strings the JSON words stay as they are.
        assert!(
            literal.contains(r#""true null false \"quoted\"""#),
            "{literal}"
        );
        assert_eq!(python_to_json(&literal), body);
    }

    #[test]
    fn every_family_reads_the_key_from_the_environment() {
        for family in FAMILIES {
            for stream in [false, true] {
                let req = request(family, nasty_body(), stream);
                let sdk_args = if family == ChatFamily::Gemini {
                    gemini_sdk_arguments(&req)
                } else {
                    req.body.clone()
                };
                for (code, args) in [(sdk(&req), sdk_args), (requests(&req), req.body.clone())] {
                    assert!(code.contains(r#"os.environ["ANYINT_API_KEY"]"#), "{code}");
                    assert!(code.contains(&dict_literal(&args)), "{code}");
                    assert_no_key(&code);
                }
            }
        }
    }

    #[test]
    fn sdk_clients_point_at_the_anyint_prefixes() {
        let sdk_of = |family| sdk(&request(family, nasty_body(), false));
        let openai = sdk_of(ChatFamily::OpenAiChat);
        assert!(
            openai.contains(r#"base_url="https://api.anyint.ai/openai/v1","#),
            "{openai}"
        );
        assert!(
            openai.contains("client.chat.completions.create(**body)"),
            "{openai}"
        );
        let responses = sdk_of(ChatFamily::OpenAiResponses);
        assert!(
            responses.contains("client.responses.create(**body)"),
            "{responses}"
        );
        let anthropic = sdk_of(ChatFamily::Anthropic);
        assert!(
            anthropic.contains(r#"base_url="https://api.anyint.ai/anthropic","#),
            "{anthropic}"
        );
        let gemini = sdk_of(ChatFamily::Gemini);
        assert!(
            gemini.contains(r#"base_url="https://api.anyint.ai/gemini","#),
            "{gemini}"
        );
        assert!(gemini.contains(r#"api_version="v1beta","#), "{gemini}");
        assert!(
            gemini.contains(r#""model": "gemini-2.0-flash""#),
            "{gemini}"
        );
        assert!(gemini.contains("generate_content(**request)"), "{gemini}");
    }

    #[test]
    fn plain_requests_sends_the_anthropic_headers() {
        let code = requests(&request(ChatFamily::Anthropic, nasty_body(), true));
        assert!(
            code.contains(r#""x-api-key": os.environ["ANYINT_API_KEY"],"#),
            "{code}"
        );
        assert!(
            code.contains(r#""anthropic-version": "2023-06-01","#),
            "{code}"
        );
        assert!(code.contains(r#""Accept": "text/event-stream","#), "{code}");
        assert!(code.contains("stream=True"), "{code}");
    }
}
