//! The JavaScript-family exports: TypeScript with the family's official SDK (`openai`,
//! `@anthropic-ai/sdk`, `@google/genai`) and plain `fetch` (Node 18+). The body is JSON, which
//! is already a JavaScript expression; the key is `process.env.ANYINT_API_KEY`.
//!
//! The request object is written inline in the SDK call rather than bound to a `const` first,
//! so TypeScript infers `stream: true` as the literal type and picks the streaming overload.

use super::{
    gemini_sdk_arguments, headers, json_literal, sdk_base, string_literal, url, ChatFamily,
    HeaderValue, SnippetRequest, KEY_ENV,
};

/// Both forms use top-level `await`, which needs an ES module.
const MODULE_NOTE: &str = "// An ES module (top-level await): e.g. `npx tsx snippet.ts`.\n";

fn key_expr() -> String {
    format!("process.env.{KEY_ENV}")
}

pub(super) fn sdk(req: &SnippetRequest) -> String {
    let key = key_expr();
    let (base_url, version) = sdk_base(req);
    let base_url = string_literal(&base_url);
    let (setup, call, read) = match (req.family, req.stream) {
        (ChatFamily::Gemini, stream) => (
            // Bearer is what AnyInt documents for /gemini (contract §1.2) and what the app
            // sends; the SDK adds its own `x-goog-api-key` from `apiKey` as well.
            format!(
                "import {{ GoogleGenAI }} from \"@google/genai\";\n\n\
                 const ai = new GoogleGenAI({{\n  apiKey: {key},\n  httpOptions: {{\n    \
                 baseUrl: {base_url},\n    apiVersion: {},\n    \
                 headers: {{ Authorization: `Bearer ${{{key}}}` }},\n  }},\n}});\n",
                string_literal(version)
            ),
            if stream {
                "const stream = await ai.models.generateContentStream("
            } else {
                "const response = await ai.models.generateContent("
            },
            if stream {
                "for await (const chunk of stream) {\n  process.stdout.write(chunk.text ?? \"\");\n}"
            } else {
                "console.log(response.text);"
            },
        ),
        (ChatFamily::Anthropic, stream) => (
            // The SDK appends /v1/messages and sends `anthropic-version` itself.
            format!(
                "import Anthropic from \"@anthropic-ai/sdk\";\n\n\
                 const client = new Anthropic({{\n  baseURL: {base_url},\n  apiKey: {key},\n}});\n"
            ),
            if stream {
                "const stream = await client.messages.create("
            } else {
                "const message = await client.messages.create("
            },
            if stream {
                "for await (const event of stream) {\n  \
                 if (event.type === \"content_block_delta\" && event.delta.type === \"text_delta\") {\n    \
                 process.stdout.write(event.delta.text);\n  }\n}"
            } else {
                "for (const block of message.content) {\n  \
                 if (block.type === \"text\") console.log(block.text);\n}"
            },
        ),
        (family, stream) => (
            format!(
                "import OpenAI from \"openai\";\n\n\
                 const client = new OpenAI({{\n  baseURL: {base_url},\n  apiKey: {key},\n}});\n"
            ),
            match (family, stream) {
                (ChatFamily::OpenAiResponses, true) => {
                    "const stream = await client.responses.create("
                }
                (ChatFamily::OpenAiResponses, false) => {
                    "const response = await client.responses.create("
                }
                (_, true) => "const stream = await client.chat.completions.create(",
                (_, false) => "const completion = await client.chat.completions.create(",
            },
            match (family, stream) {
                (ChatFamily::OpenAiResponses, true) => {
                    "for await (const event of stream) {\n  \
                     if (event.type === \"response.output_text.delta\") process.stdout.write(event.delta);\n}"
                }
                (ChatFamily::OpenAiResponses, false) => "console.log(response.output_text);",
                (_, true) => {
                    "for await (const chunk of stream) {\n  \
                     process.stdout.write(chunk.choices[0]?.delta?.content ?? \"\");\n}"
                }
                (_, false) => "console.log(completion.choices[0]?.message.content);",
            },
        ),
    };
    let args = match req.family {
        ChatFamily::Gemini => json_literal(&gemini_sdk_arguments(req)),
        _ => json_literal(&req.body),
    };
    format!("{MODULE_NOTE}{setup}\n{call}{args});\n{read}\n")
}

pub(super) fn fetch(req: &SnippetRequest) -> String {
    let mut header_lines = String::new();
    for header in headers(req) {
        let value = match header.value {
            HeaderValue::Text(text) => string_literal(text),
            HeaderValue::Key { scheme: "" } => key_expr(),
            // The scheme is fixed ASCII without backticks or `${`, so only the key is spliced.
            HeaderValue::Key { scheme } => format!("`{scheme}${{{}}}`", key_expr()),
        };
        header_lines.push_str(&format!("    {}: {value},\n", string_literal(header.name)));
    }
    // Errors print the gateway's own body, which says what went wrong.
    let read = if req.stream {
        "const decoder = new TextDecoder();\n\
         for await (const chunk of response.body) {\n  \
         process.stdout.write(decoder.decode(chunk, { stream: true }));\n}"
    } else {
        "console.log(JSON.stringify(await response.json(), null, 2));"
    };
    format!(
        "// Node.js 18+ (built-in fetch); an ES module for top-level await (e.g. snippet.mjs).\n\
         const url = {};\nconst body = {};\n\n\
         const response = await fetch(url, {{\n  method: \"POST\",\n  headers: {{\n{header_lines}  }},\n  \
         body: JSON.stringify(body),\n}});\n\
         if (!response.ok) {{\n  throw new Error(`${{response.status}}: ${{await response.text()}}`);\n}}\n\
         {read}\n",
        string_literal(&url(req)),
        json_literal(&req.body)
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_no_key, nasty_body, request, FAMILIES};
    use super::*;
    use serde_json::Value;

    /// The object literal passed to the SDK call: from the call's `(` to the closing `});`.
    fn call_argument(code: &str) -> Value {
        let start = code.find("create(").map(|i| i + "create(".len());
        let start = start
            .or_else(|| {
                code.find("generateContent(")
                    .map(|i| i + "generateContent(".len())
            })
            .or_else(|| code.find("Stream(").map(|i| i + "Stream(".len()))
            .unwrap();
        let end = start + code[start..].find("\n});\n").unwrap() + 2;
        serde_json::from_str(&code[start..end]).unwrap()
    }

    #[test]
    fn the_sdk_call_carries_the_body_as_an_exact_literal() {
        for family in FAMILIES {
            for stream in [false, true] {
                let req = request(family, nasty_body(), stream);
                let code = sdk(&req);
                let expected = if family == ChatFamily::Gemini {
                    gemini_sdk_arguments(&req)
                } else {
                    req.body.clone()
                };
                assert_eq!(call_argument(&code), expected, "{code}");
                assert!(
                    code.contains("apiKey: process.env.ANYINT_API_KEY,"),
                    "{code}"
                );
                assert_no_key(&code);
            }
        }
    }

    #[test]
    fn fetch_sends_the_documented_headers_to_the_exact_route() {
        let code = fetch(&request(ChatFamily::Anthropic, nasty_body(), false));
        assert!(
            code.contains(r#""x-api-key": process.env.ANYINT_API_KEY,"#),
            "{code}"
        );
        assert!(
            code.contains(r#""anthropic-version": "2023-06-01","#),
            "{code}"
        );
        assert!(code.contains(r#"const url = "https://api.anyint.ai/anthropic/v1/messages";"#));
        let code = fetch(&request(ChatFamily::Gemini, nasty_body(), true));
        assert!(
            code.contains("\"Authorization\": `Bearer ${process.env.ANYINT_API_KEY}`,"),
            "{code}"
        );
        assert!(
            code.contains(":streamGenerateContent?alt=sse\";") && code.contains("gemini-2.0-flash"),
            "{code}"
        );
        assert!(code.contains(&format!("const body = {};", json_literal(&nasty_body()))));
        assert_no_key(&code);
    }

    #[test]
    fn sdk_clients_point_at_the_anyint_prefixes() {
        let anthropic = sdk(&request(ChatFamily::Anthropic, nasty_body(), false));
        assert!(anthropic.contains(r#"baseURL: "https://api.anyint.ai/anthropic","#));
        let openai = sdk(&request(ChatFamily::OpenAiResponses, nasty_body(), true));
        assert!(openai.contains(r#"baseURL: "https://api.anyint.ai/openai/v1","#));
        assert!(openai.contains("response.output_text.delta"), "{openai}");
        let gemini = sdk(&request(ChatFamily::Gemini, nasty_body(), true));
        assert!(
            gemini.contains(r#"baseUrl: "https://api.anyint.ai/gemini","#),
            "{gemini}"
        );
        assert!(gemini.contains(r#"apiVersion: "v1beta","#), "{gemini}");
        assert!(gemini.contains("generateContentStream("), "{gemini}");
    }
}
