//! What a survey is: its questions, who may embed it, and how small a group may be before its
//! counts are hidden.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::lang::{Lang, Text};
use crate::values::NhsValue;

/// Groups smaller than this are hidden unless a survey says otherwise.
pub const DEFAULT_K: u32 = 10;
/// No survey may show a group smaller than this, whatever its definition asks for.
pub const MIN_K: u32 = 5;

/// Stories are listed only once a survey has this many responses, unless it says otherwise.
pub const DEFAULT_K_TEXT: u32 = 10;

fn default_k() -> u32 {
    DEFAULT_K
}

/// A survey as an admin defines it and as the widget renders it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyDefinition {
    /// A slug: lowercase letters, digits and hyphens, e.g. `constitution`.
    pub id: String,
    /// Bumped whenever the questions change; responses record the version they answered.
    pub version: u32,
    pub title: Text,
    #[serde(default)]
    pub intro: Text,
    pub questions: Vec<Question>,
    /// The anonymity threshold: any group or count below it is suppressed in results.
    #[serde(default = "default_k")]
    pub k: u32,
    /// The threshold for free text: stories are listed, downloaded, moderated and shown only once
    /// the survey has this many responses in the groups shown (default 10, never below `k`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k_text: Option<u32>,
    /// First day responses are accepted (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<Date>,
    /// Last day responses are accepted (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<Date>,
    /// The context tags a host page may attach (e.g. directorates); any other tag is rejected.
    #[serde(default)]
    pub contexts: Vec<ContextTag>,
    /// Divisions that group the contexts in results (a trust's clinical divisions, say): each adds
    /// up the contexts that name it, only those shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub divisions: Vec<Division>,
    /// Origins (scheme://host[:port]) whose pages may embed the survey and post responses.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// The organisation's own privacy notice (an `https://` address), linked from "How your answers
    /// are used" under the survey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_url: Option<String>,
    /// The hosts a story's photo or video link may point to (e.g. the trust's SharePoint or a video
    /// service), exactly as in the link: `trust.sharepoint.com`. A link to any other host is refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_hosts: Vec<String>,
}

/// A context tag a page may attach to the responses it collects.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextTag {
    pub id: String,
    pub label: Text,
    /// The id of the division it belongs to, if any (one of the survey's `divisions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<String>,
}

/// A division: a group of contexts reported together as well as one by one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Division {
    pub id: String,
    pub label: Text,
}

/// One option of a choice question, or one row of a matrix.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub label: Text,
}

impl Choice {
    pub fn new(id: &str, label: impl Into<Text>) -> Choice {
        Choice { id: id.to_string(), label: label.into() }
    }
}

/// Show a question only when an earlier answer has a given value.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowIf {
    /// The id of an earlier question.
    pub question: String,
    /// The option (or value tag) that must be chosen. Absent: any answer at all will do, which is
    /// how a follow-up hangs off a free-text question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
}

// No `deny_unknown_fields` here: serde does not support it together with `flatten`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Unique within the survey; the key of the answer on the wire.
    pub id: String,
    pub prompt: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Text>,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
    /// How its results are protected: by group (the default), or also by cell.
    #[serde(default, skip_serializing_if = "Protect::is_groups")]
    pub protect: Protect,
    /// A single choice on an agreement scale: the options that count as positive (e.g. `agree` and
    /// `strongly_agree`), for its score. Matrices always score points 4 and 5.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positive: Vec<String>,
    /// The question bank item this question asks word for word (e.g. `nhsss-motivation`, the NHS
    /// Staff Survey's motivation items), so its results can be compared across surveys and
    /// organisations. Kept only while the English wording, ids and scale are the bank's: a changed
    /// wording is no longer comparable, and [`SurveyDefinition::check`] says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// How a question's results are protected.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protect {
    /// A group is shown in full once `k` people in it answered the question.
    #[default]
    Groups,
    /// As `groups`, and a group is hidden too when any of its answers was chosen by 1 to `k` − 1
    /// people: for a question where one small answer could itself harm.
    Cells,
}

impl Protect {
    fn is_groups(&self) -> bool {
        *self == Protect::Groups
    }
}

/// The kinds of question a survey can ask. On the wire the kind is the `type` field.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// Pick exactly one option; answered with the option id.
    SingleChoice { options: Vec<Choice> },
    /// Pick any number of options up to `max`; answered with a list of option ids.
    MultipleChoice {
        options: Vec<Choice>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
    /// Rate each row on a 5-point scale; answered with `{"row id": 1..5}`.
    LikertMatrix { rows: Vec<Choice>, scale: [Text; 5] },
    /// Free text of at most `max_words` words; scrubbed of identifying details before it is stored.
    /// With `media`, the answer may instead (or as well) carry one photo or video link to one of the
    /// survey's `media_hosts`, with a caption that counts in the words: answered with
    /// `{"text": …, "link": "https://…", "caption": …}`.
    FreeText {
        max_words: u32,
        #[serde(default, skip_serializing_if = "is_false")]
        media: bool,
    },
    /// Tag any of the six NHS values; answered with a list of value ids.
    ValueTags,
    /// One checkbox by which the writer of the free-text answer `of` agrees that it may be shown to
    /// other staff, without their name; answered with `"yes"`, or not at all. Only a story whose
    /// writer ticked it can ever be approved and shown.
    Consent { of: String, label: Text },
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The one answer a consent question takes.
pub const CONSENT_YES: &str = "yes";

impl QuestionKind {
    /// The kind's name on the wire, its `type`.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::LikertMatrix { .. } => "likert_matrix",
            QuestionKind::FreeText { .. } => "free_text",
            QuestionKind::ValueTags => "value_tags",
            QuestionKind::Consent { .. } => "consent",
        }
    }

    /// The option ids a choice question accepts (the six value ids for value tags).
    pub fn option_ids(&self) -> Vec<&str> {
        match self {
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                options.iter().map(|o| o.id.as_str()).collect()
            }
            QuestionKind::ValueTags => NhsValue::ALL.iter().map(|v| v.id()).collect(),
            QuestionKind::Consent { .. } => vec![CONSENT_YES],
            QuestionKind::LikertMatrix { .. } | QuestionKind::FreeText { .. } => Vec::new(),
        }
    }
}

/// A definition that cannot be served as it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct DefinitionError {
    pub field: String,
    pub message: String,
}

/// [`is_slug`] as a regular expression, for the API's document.
pub const SLUG_PATTERN: &str = "^[a-z0-9][a-z0-9_-]{0,63}$";

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !s.starts_with(['-', '_'])
}

impl SurveyDefinition {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The threshold for free text: `k_text`, or 10, and never below `k`.
    pub fn text_threshold(&self) -> u32 {
        self.k_text.unwrap_or(DEFAULT_K_TEXT).max(self.k)
    }

    pub fn has_context(&self, id: &str) -> bool {
        self.contexts.iter().any(|c| c.id == id)
    }

    /// The contexts of division `id`, in the order listed.
    pub fn contexts_of(&self, division: &str) -> impl Iterator<Item = &ContextTag> + '_ {
        let division = division.to_string();
        self.contexts.iter().filter(move |c| c.division.as_deref() == Some(division.as_str()))
    }

    /// Whether responses are accepted on `today`.
    pub fn is_open_on(&self, today: Date) -> bool {
        self.opens.is_none_or(|d| today >= d) && self.closes.is_none_or(|d| today <= d)
    }

    /// Every reason this definition cannot be served; empty when it is sound.
    pub fn check(&self) -> Vec<DefinitionError> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| errors.push(DefinitionError { field: field.to_string(), message });
        if !is_slug(&self.id) {
            err("id", "must be 1–64 lowercase letters, digits, '-' or '_'".into());
        }
        if self.version == 0 {
            err("version", "must be 1 or more".into());
        }
        if self.title.en.trim().is_empty() {
            err("title", "must not be empty".into());
        }
        if self.k < MIN_K {
            err("k", format!("must be at least {MIN_K}, got {}", self.k));
        }
        if let Some(k_text) = self.k_text.filter(|&t| t < self.k) {
            err("k_text", format!("must be at least k ({}), got {k_text}", self.k));
        }
        if let (Some(o), Some(c)) = (self.opens, self.closes) {
            if c < o {
                err("closes", format!("{c} is before opens {o}"));
            }
        }
        if self.questions.is_empty() {
            err("questions", "a survey needs at least one question".into());
        }
        let mut contexts = HashSet::new();
        for c in &self.contexts {
            if !is_slug(&c.id) || !contexts.insert(c.id.as_str()) {
                err("contexts", format!("{:?} is not a unique slug", c.id));
            }
        }
        let mut divisions = HashSet::new();
        for d in &self.divisions {
            if !is_slug(&d.id) || !divisions.insert(d.id.as_str()) {
                err("divisions", format!("{:?} is not a unique slug", d.id));
            }
            if d.label.en.trim().is_empty() {
                err("divisions", format!("division {:?} needs a name", d.id));
            }
        }
        for c in &self.contexts {
            if let Some(d) = c.division.as_deref().filter(|d| !divisions.contains(d)) {
                err("contexts", format!("context {:?} names division {d:?}, which the survey does not list", c.id));
            }
        }
        for o in &self.allowed_origins {
            if let Err(problem) = crate::address::check_origin(o) {
                err("allowed_origins", format!("{o:?} {} (like https://intranet.example.nhs.uk)", problem.describe()));
            }
        }
        if let Some(url) = &self.privacy_url {
            if !crate::address::is_https_address(url) {
                err(
                    "privacy_url",
                    format!("{url:?} is not an https:// address like https://www.example.nhs.uk/privacy"),
                );
            }
        }
        for host in &self.media_hosts {
            if !crate::media::is_host(host) {
                err("media_hosts", format!("{host:?} is not a host name like trust.sharepoint.com"));
            }
        }
        let mut seen: Vec<&Question> = Vec::new();
        for q in &self.questions {
            let field = format!("questions.{}", q.id);
            if !is_slug(&q.id) || seen.iter().any(|p| p.id == q.id) {
                err(&field, "id must be a unique slug".into());
            }
            if q.prompt.en.trim().is_empty() {
                err(&field, "prompt must not be empty".into());
            }
            match &q.kind {
                QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                    check_choices(options, &field, &mut err);
                }
                QuestionKind::LikertMatrix { rows, scale } => {
                    check_choices(rows, &field, &mut err);
                    if scale.iter().any(|s| s.en.trim().is_empty()) {
                        err(&field, "every scale point needs a label".into());
                    }
                }
                QuestionKind::FreeText { max_words, media } => {
                    if *max_words == 0 {
                        err(&field, "max_words must be 1 or more".into());
                    }
                    if *media && self.media_hosts.is_empty() {
                        err(&field, "takes a photo or video link, but the survey lists no media_hosts".into());
                    }
                }
                QuestionKind::ValueTags => {}
                QuestionKind::Consent { of, label } => {
                    if !seen.iter().any(|p| &p.id == of && matches!(p.kind, QuestionKind::FreeText { .. })) {
                        err(&field, format!("consent is for {of:?}, which is not an earlier free-text question"));
                    }
                    if label.en.trim().is_empty() {
                        err(&field, "the consent needs a label".into());
                    }
                }
            }
            if !q.positive.is_empty() {
                match &q.kind {
                    QuestionKind::SingleChoice { options } => {
                        for p in &q.positive {
                            if !options.iter().any(|o| &o.id == p) {
                                err(&field, format!("positive option {p:?} is not an option"));
                            }
                        }
                    }
                    _ => err(&field, "only a single choice names positive options".into()),
                }
            }
            if let QuestionKind::MultipleChoice { max: Some(0), .. } = q.kind {
                err(&field, "max must be 1 or more".into());
            }
            if let Some(bank) = &q.bank {
                if let Some(departure) = crate::bank::departure(bank, q) {
                    err(&field, departure);
                }
            }
            if let Some(cond) = &q.show_if {
                match seen.iter().find(|p| p.id == cond.question) {
                    None => {
                        err(&field, format!("show_if refers to {:?}, which is not an earlier question", cond.question))
                    }
                    Some(earlier) => {
                        if let Some(value) = &cond.equals {
                            if !earlier.kind.option_ids().contains(&value.as_str()) {
                                err(&field, format!("show_if value {value:?} is not an option of {:?}", earlier.id));
                            }
                        }
                    }
                }
            }
            seen.push(q);
        }
        let texts = self.texts();
        if texts.iter().any(|(_, t)| t.cy.is_some()) {
            for (field, text) in texts {
                match &text.cy {
                    None => err(&field, "has no Welsh (\"cy\") text, but other text in this survey does".into()),
                    Some(cy) if cy.trim().is_empty() => err(&field, "Welsh (\"cy\") text must not be empty".into()),
                    Some(_) => {}
                }
            }
        }
        errors
    }

    /// Every piece of text a person reads, with where it is, in the order the form shows them.
    pub fn texts(&self) -> Vec<(String, &Text)> {
        let mut out = vec![("title".to_string(), &self.title)];
        if !self.intro.en.is_empty() {
            out.push(("intro".to_string(), &self.intro));
        }
        for c in &self.contexts {
            out.push((format!("contexts.{}", c.id), &c.label));
        }
        for d in &self.divisions {
            out.push((format!("divisions.{}", d.id), &d.label));
        }
        for q in &self.questions {
            let field = format!("questions.{}", q.id);
            out.push((format!("{field}.prompt"), &q.prompt));
            if let Some(hint) = &q.hint {
                out.push((format!("{field}.hint"), hint));
            }
            match &q.kind {
                QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                    out.extend(options.iter().map(|o| (format!("{field}.options.{}", o.id), &o.label)));
                }
                QuestionKind::LikertMatrix { rows, scale } => {
                    out.extend(rows.iter().map(|r| (format!("{field}.rows.{}", r.id), &r.label)));
                    out.extend(scale.iter().enumerate().map(|(i, s)| (format!("{field}.scale.{}", i + 1), s)));
                }
                QuestionKind::Consent { label, .. } => out.push((format!("{field}.label"), label)),
                QuestionKind::FreeText { .. } | QuestionKind::ValueTags => {}
            }
        }
        out
    }

    /// The value-tags question that tags free-text question `of`: one shown only when `of` is
    /// answered.
    pub fn value_tags_for(&self, of: &str) -> Option<&Question> {
        self.questions
            .iter()
            .find(|q| q.kind == QuestionKind::ValueTags && q.show_if.as_ref().is_some_and(|c| c.question == of))
    }

    /// The consent question for free-text question `of`, if the survey asks for consent to show it.
    pub fn consent_for(&self, of: &str) -> Option<&Question> {
        self.questions.iter().find(|q| matches!(&q.kind, QuestionKind::Consent { of: o, .. } if o == of))
    }

    /// The languages this survey can be read in: English, and Welsh when its text has Welsh.
    pub fn languages(&self) -> Vec<Lang> {
        if self.title.cy.is_some() {
            vec![Lang::En, Lang::Cy]
        } else {
            vec![Lang::En]
        }
    }

    /// The language to show this survey in for a page that asked for `wanted`: that language if the
    /// survey has it, else English.
    pub fn language_for(&self, wanted: Lang) -> Lang {
        if self.languages().contains(&wanted) {
            wanted
        } else {
            Lang::En
        }
    }
}

fn check_choices(options: &[Choice], field: &str, err: &mut impl FnMut(&str, String)) {
    if options.is_empty() {
        err(field, "needs at least one option".into());
    }
    let mut ids = HashSet::new();
    for o in options {
        if !is_slug(&o.id) || !ids.insert(o.id.as_str()) {
            err(field, format!("option {:?} is not a unique slug", o.id));
        }
        if o.label.en.trim().is_empty() {
            err(field, format!("option {:?} needs a label", o.id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_survey::constitution;

    #[test]
    fn default_survey_is_sound_and_round_trips() {
        let def = constitution();
        assert_eq!(def.check(), vec![]);
        let json = serde_json::to_string(&def).unwrap();
        let back: SurveyDefinition = serde_json::from_str(&json).unwrap();
        assert_eq!(back, def);
    }

    #[test]
    fn k_defaults_to_ten_and_cannot_go_below_five() {
        let json = r#"{"id":"s","version":1,"title":"T","questions":[{"id":"q","prompt":"P","type":"value_tags"}]}"#;
        let mut def: SurveyDefinition = serde_json::from_str(json).unwrap();
        assert_eq!(def.k, 10);
        def.k = 4;
        assert!(def.check().iter().any(|e| e.field == "k"));
    }

    #[test]
    fn check_reports_every_fault() {
        let mut def = constitution();
        def.id = "Not A Slug".into();
        def.allowed_origins.push("intranet.example".into());
        def.privacy_url = Some("javascript:alert(1)".into());
        def.questions[1].show_if = Some(ShowIf { question: "nowhere".into(), equals: None });
        def.questions.push(def.questions[0].clone());
        let fields: Vec<String> = def.check().into_iter().map(|e| e.field).collect();
        assert!(fields.contains(&"id".to_string()), "{fields:?}");
        assert!(fields.contains(&"allowed_origins".to_string()), "{fields:?}");
        assert!(fields.contains(&"privacy_url".to_string()), "{fields:?}");
        assert!(fields.contains(&format!("questions.{}", def.questions[1].id)), "{fields:?}");
        assert!(fields.contains(&format!("questions.{}", def.questions[0].id)), "duplicate id: {fields:?}");
    }

    #[test]
    fn open_and_close_days_are_inclusive() {
        let mut def = constitution();
        def.opens = Some("2026-01-01".parse().unwrap());
        def.closes = Some("2026-01-31".parse().unwrap());
        assert!(!def.is_open_on("2025-12-31".parse().unwrap()));
        assert!(def.is_open_on("2026-01-01".parse().unwrap()));
        assert!(def.is_open_on("2026-01-31".parse().unwrap()));
        assert!(!def.is_open_on("2026-02-01".parse().unwrap()));
    }

    #[test]
    fn welsh_must_cover_every_text_or_none() {
        let def = constitution();
        assert_eq!(def.languages(), vec![Lang::En, Lang::Cy]);
        assert_eq!(def.language_for(Lang::Cy), Lang::Cy);
        let english_only = serde_json::from_str::<SurveyDefinition>(
            r#"{"id":"s","version":1,"title":"T","questions":[{"id":"q","prompt":"P","type":"value_tags"}]}"#,
        )
        .unwrap();
        assert_eq!(english_only.check(), vec![]);
        assert_eq!(english_only.language_for(Lang::Cy), Lang::En);

        let mut half = def.clone();
        let QuestionKind::LikertMatrix { scale, .. } = &mut half.questions[2].kind else { panic!() };
        scale[4].cy = None;
        half.contexts[0].label.cy = Some(" ".into());
        let fields: Vec<String> = half.check().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["contexts.clinical".to_string(), "questions.values_lived.scale.5".to_string()]);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let json = r#"{"id":"s","version":1,"title":"T","questions":[],"colour":"blue"}"#;
        assert!(serde_json::from_str::<SurveyDefinition>(json).is_err());
    }
}

#[cfg(test)]
mod privacy_url_tests {
    use crate::address::is_https_address as is_https_url;

    #[test]
    fn only_plain_https_addresses_are_privacy_notices() {
        for ok in ["https://www.example.nhs.uk/privacy", "https://example.nhs.uk", "https://x.example/a?b=c#d"] {
            assert!(is_https_url(ok), "{ok}");
        }
        for bad in [
            "http://example.nhs.uk/privacy",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://user@example.nhs.uk",
            "https://example.nhs.uk/\"onmouseover=x",
            "https://example.nhs.uk/a b",
        ] {
            assert!(!is_https_url(bad), "{bad}");
        }
    }
}
