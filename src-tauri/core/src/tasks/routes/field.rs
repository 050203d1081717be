//! The fields of a route's body as data: kind, presence, limits, options. The UI builds its
//! forms from these and `limits::validate` checks a body against them.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// What a field holds, for the form control and the type check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Prompts, lyrics: a text area.
    LongText,
    /// A whole number; a string of digits is accepted too (Kling and OpenAI `duration`).
    Integer,
    Number,
    Boolean,
    /// One of `options` (closed unless `open_options`).
    Choice,
    /// An http(s) URL of an input file (an image, an audio clip to cover or extend).
    Url,
    /// A JSON value the form edits as JSON (reference lists, DashScope messages).
    Json,
    /// A list of strings (Gemini `responseModalities`).
    StringList,
}

/// A condition on another field: holds when that field's value is one of `any_of`. An absent
/// field holds `null`, so `any_of: [false, null]` means "false or not set".
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    pub path: String,
    #[ts(type = "unknown[]")]
    pub any_of: Vec<Value>,
}

/// When a field must be set.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Presence {
    Required,
    Optional,
    /// Required when every condition of any one group holds (Suno custom mode: `style` and
    /// `title`; the prompt in simple mode, or in custom mode with vocals).
    RequiredWhen {
        any: Vec<Vec<Condition>>,
    },
}

/// A maximum length in characters that applies when every condition holds; the first rule whose
/// conditions hold wins, so an unconditional rule goes last.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LengthRule {
    pub when: Vec<Condition>,
    pub max_chars: u32,
}

/// One field of a route's body.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldSpec {
    /// JSON pointer into the body: `/prompt`, `/parameters/size`.
    pub path: String,
    pub label: String,
    pub kind: FieldKind,
    pub presence: Presence,
    pub max_len: Vec<LengthRule>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub options: Vec<String>,
    /// The options are suggestions (model ids the gateway may extend); other values are sent.
    pub open_options: bool,
    /// Strings a list must contain (Gemini image: `TEXT` and `IMAGE`).
    pub must_include: Vec<String>,
    #[ts(type = "unknown")]
    pub default: Option<Value>,
    /// A value the form sets from `default` without showing it (DashScope's message role).
    pub hidden: bool,
    /// Set by the app from Settings (the callback URL), not typed per task.
    pub from_settings: bool,
    pub help: Option<String>,
}

impl FieldSpec {
    pub(crate) fn new(path: &str, label: &str, kind: FieldKind) -> Self {
        FieldSpec {
            path: path.to_owned(),
            label: label.to_owned(),
            kind,
            presence: Presence::Optional,
            max_len: Vec::new(),
            min: None,
            max: None,
            options: Vec::new(),
            open_options: false,
            must_include: Vec::new(),
            default: None,
            hidden: false,
            from_settings: false,
            help: None,
        }
    }

    pub(crate) fn required(mut self) -> Self {
        self.presence = Presence::Required;
        self
    }

    pub(crate) fn required_when(mut self, all: Vec<Condition>) -> Self {
        match &mut self.presence {
            Presence::RequiredWhen { any } => any.push(all),
            other => *other = Presence::RequiredWhen { any: vec![all] },
        }
        self
    }

    pub(crate) fn max_chars(mut self, max: u32) -> Self {
        self.max_len.push(LengthRule {
            when: Vec::new(),
            max_chars: max,
        });
        self
    }

    pub(crate) fn max_chars_when(mut self, when: Vec<Condition>, max: u32) -> Self {
        self.max_len.push(LengthRule {
            when,
            max_chars: max,
        });
        self
    }

    pub(crate) fn range(mut self, min: f64, max: f64) -> Self {
        self.min = Some(min);
        self.max = Some(max);
        self
    }

    pub(crate) fn choice(mut self, options: &[&str]) -> Self {
        self.kind = FieldKind::Choice;
        self.options = options.iter().map(|o| (*o).to_owned()).collect();
        self
    }

    pub(crate) fn open(mut self) -> Self {
        self.open_options = true;
        self
    }

    pub(crate) fn includes(mut self, words: &[&str]) -> Self {
        self.must_include = words.iter().map(|o| (*o).to_owned()).collect();
        self
    }

    pub(crate) fn default(mut self, value: Value) -> Self {
        self.default = Some(value);
        self
    }

    pub(crate) fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }

    pub(crate) fn set_by_app(mut self) -> Self {
        self.from_settings = true;
        self
    }

    pub(crate) fn help(mut self, text: &str) -> Self {
        self.help = Some(text.to_owned());
        self
    }
}

/// `path` is one of `values`.
pub(crate) fn when(path: &str, values: &[Value]) -> Condition {
    Condition {
        path: path.to_owned(),
        any_of: values.to_vec(),
    }
}
