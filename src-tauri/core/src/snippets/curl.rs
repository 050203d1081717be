//! The curl export, for a POSIX shell (bash, zsh, sh). The body is user text and may hold
//! `$`, quotes, backticks or newlines, so it goes through a quoted heredoc (nothing in it is
//! expanded) and everything else is single-quoted; only the key reference is double-quoted,
//! so the shell expands `$ANYINT_API_KEY` and nothing more.

use super::{headers, json_literal, url, HeaderValue, SnippetRequest, KEY_ENV};

/// The heredoc terminator; lengthened if the body ever holds it as a whole line.
const DELIMITER: &str = "JSON";

pub(super) fn render(req: &SnippetRequest) -> String {
    let body = json_literal(&req.body);
    // `-N` turns off curl's output buffering so stream events print as they arrive.
    let flags = if req.stream { "-sS -N" } else { "-sS" };
    let mut out = format!("curl {flags} -X POST {} \\\n", quote(&url(req)));
    for header in headers(req) {
        let arg = match header.value {
            HeaderValue::Text(text) => quote(&format!("{}: {text}", header.name)),
            // The name and scheme are fixed ASCII without `"`, `$`, `\` or backticks, so in
            // double quotes only the variable is expanded.
            HeaderValue::Key { scheme } => format!("\"{}: {scheme}${KEY_ENV}\"", header.name),
        };
        out.push_str(&format!("  -H {arg} \\\n"));
    }
    let delimiter = delimiter_for(&body);
    out.push_str(&format!(
        "  --data-binary @- <<'{delimiter}'\n{body}\n{delimiter}\n"
    ));
    out
}

/// One shell word for `s`, taken literally: single quotes, with each `'` written as `'\''`.
pub(super) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A terminator that no line of `body` equals (pretty JSON never has a bare `JSON` line, but
/// the guarantee should not rest on that).
fn delimiter_for(body: &str) -> String {
    let mut delimiter = DELIMITER.to_owned();
    while body.lines().any(|line| line == delimiter) {
        delimiter.push('_');
    }
    delimiter
}

#[cfg(test)]
mod tests {
    use super::super::tests::{nasty_body, request};
    use super::super::ChatFamily;
    use super::*;
    use serde_json::Value;
    use std::process::Command;

    /// Runs the snippet in bash with `curl` replaced by a function that prints its arguments
    /// (one per line, between markers) and then its stdin, so the test sees exactly what the
    /// shell would hand to curl.
    fn shell_words(code: &str) -> (Vec<String>, String) {
        let script = format!(
            "curl() {{ for a in \"$@\"; do printf '%s\\n' \"$a\"; done; printf '%s\\n' '--END-ARGS--'; cat; }}\n{code}"
        );
        let out = Command::new("bash")
            .arg("-c")
            .arg(script)
            .env(KEY_ENV, "sk-from-env")
            .env("HOME", "/home/should-not-appear")
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let (args, stdin) = text.split_once("--END-ARGS--\n").unwrap();
        (args.lines().map(str::to_owned).collect(), stdin.to_owned())
    }

    #[test]
    fn the_shell_passes_the_body_byte_for_byte_and_expands_only_the_key() {
        let body = nasty_body();
        for family in [
            ChatFamily::OpenAiChat,
            ChatFamily::OpenAiResponses,
            ChatFamily::Anthropic,
            ChatFamily::Gemini,
        ] {
            for stream in [false, true] {
                let req = request(family, body.clone(), stream);
                let code = render(&req);
                let (args, stdin) = shell_words(&code);
                let sent: Value = serde_json::from_str(&stdin).unwrap();
                assert_eq!(sent, body, "{family:?}");
                assert_eq!(stdin.trim_end(), json_literal(&body));
                assert!(!stdin.contains("should-not-appear"), "{stdin}");
                assert!(args.contains(&url(&req)), "{args:?}");
                let auth = if family == ChatFamily::Anthropic {
                    "x-api-key: sk-from-env"
                } else {
                    "Authorization: Bearer sk-from-env"
                };
                assert!(args.iter().any(|a| a == auth), "{args:?}");
                assert_eq!(args.iter().any(|a| a == "-N"), stream);
            }
        }
    }

    #[test]
    fn quoting_survives_single_quotes_and_a_query() {
        assert_eq!(quote("a'b"), r"'a'\''b'");
        let req = request(ChatFamily::Gemini, nasty_body(), true);
        let (args, _) = shell_words(&render(&req));
        assert!(
            args.iter()
                .any(|a| a.ends_with(":streamGenerateContent?alt=sse")),
            "{args:?}"
        );
    }

    #[test]
    fn a_body_line_equal_to_the_delimiter_lengthens_it() {
        assert_eq!(delimiter_for("{\n  \"a\": 1\n}"), "JSON");
        assert_eq!(delimiter_for("x\nJSON\nJSON_\n"), "JSON__");
    }
}
