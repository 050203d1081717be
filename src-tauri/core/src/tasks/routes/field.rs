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
    /// A local file may be given instead of a URL (issue 9 part 5): what it may be and how the
    /// core sends its bytes. `None`: a URL only.
    pub file: Option<FileRule>,
}

/// How a local file reaches the gateway, per the route's upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileEmbed {
    /// `data:<mime>;base64,<bytes>` in the JSON body (DashScope `img_url`).
    DataUrl,
    /// The bytes as bare base64, no `data:` prefix, in the JSON body (Kling images).
    Base64,
    /// The whole body sent as `multipart/form-data` with the file as a part (OpenAI
    /// `videos.create` `input_reference`).
    Multipart,
    /// Uploaded first to the gateway's file route; the body gets the hosted URL (Suno
    /// `uploadUrl`, which must be a URL).
    Hosted,
}

/// A length limit (in seconds) on an audio file that applies when every condition holds; the
/// first rule whose conditions hold wins.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SecondsRule {
    pub when: Vec<Condition>,
    pub max_seconds: f64,
}

/// What a field's local file may be.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileRule {
    /// MIME types the route takes (`image/png`); the picker's `accept` list.
    pub accept: Vec<String>,
    #[ts(type = "number")]
    pub max_bytes: u64,
    pub max_seconds: Vec<SecondsRule>,
    pub embed: FileEmbed,
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
            file: None,
        }
    }

    /// A local file of one of `accept`, at most `max_mib` MiB, is taken instead of a URL.
    pub(crate) fn or_file(mut self, accept: &[&str], max_mib: u64, embed: FileEmbed) -> Self {
        self.file = Some(FileRule {
            accept: accept.iter().map(|a| (*a).to_owned()).collect(),
            max_bytes: max_mib << 20,
            max_seconds: Vec::new(),
            embed,
        });
        self
    }

    /// The file (audio) is at most `max` seconds long when every condition holds.
    pub(crate) fn max_seconds_when(mut self, when: Vec<Condition>, max: f64) -> Self {
        if let Some(file) = &mut self.file {
            file.max_seconds.push(SecondsRule {
                when,
                max_seconds: max,
            });
        }
        self
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
