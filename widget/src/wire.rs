//! Reading the server's JSON into the shared types without serde. The browser parses the text
//! (`JSON.parse`) and this walks the result: serde's derived deserialisers, its error messages and
//! their float formatting were a quarter of the wasm. The server has checked every definition it
//! serves, so anything misshapen here is simply refused (`None`).

use js_sys::{Array, Object, Reflect, JSON};
use pulse_shared::{
    Answer, Answers, Choice, ContextTag, Points, Question, QuestionKind, ShowIf, SubmissionId, SurveyDefinition,
    SurveyResponse, Text, DEFAULT_K,
};
use wasm_bindgen::{JsCast, JsValue};

fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

fn string(v: &JsValue, key: &str) -> Option<String> {
    field(v, key).as_string()
}

/// An optional field: absent is `Some(None)`, present but misshapen is `None`.
fn optional<T>(v: &JsValue, key: &str, read: impl Fn(&JsValue) -> Option<T>) -> Option<Option<T>> {
    let f = field(v, key);
    if absent(&f) {
        Some(None)
    } else {
        read(&f).map(Some)
    }
}

fn whole(v: &JsValue) -> Option<u32> {
    v.as_f64().filter(|n| n.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(n)).map(|n| n as u32)
}

/// A list field; absent reads as empty, as serde's `#[serde(default)]` does.
fn list<T>(v: &JsValue, key: &str, read: impl Fn(&JsValue) -> Option<T>) -> Option<Vec<T>> {
    let f = field(v, key);
    if absent(&f) {
        return Some(Vec::new());
    }
    f.dyn_ref::<Array>()?.iter().map(|item| read(&item)).collect()
}

/// Text a person reads: a plain string (English only) or `{"en": …, "cy": …}`.
fn text(v: &JsValue) -> Option<Text> {
    if let Some(en) = v.as_string() {
        return Some(Text::from(en));
    }
    if !v.is_object() {
        return None;
    }
    Some(Text { en: string(v, "en")?, cy: optional(v, "cy", JsValue::as_string)? })
}

fn text_field(v: &JsValue, key: &str) -> Option<Text> {
    text(&field(v, key))
}

fn choice(v: &JsValue) -> Option<Choice> {
    Some(Choice { id: string(v, "id")?, label: text_field(v, "label")? })
}

fn kind(v: &JsValue) -> Option<QuestionKind> {
    Some(match string(v, "type")?.as_str() {
        "single_choice" => QuestionKind::SingleChoice { options: list(v, "options", choice)? },
        "multiple_choice" => {
            QuestionKind::MultipleChoice { options: list(v, "options", choice)?, max: optional(v, "max", whole)? }
        }
        "likert_matrix" => {
            let scale: Vec<Text> = list(v, "scale", text)?;
            QuestionKind::LikertMatrix { rows: list(v, "rows", choice)?, scale: scale.try_into().ok()? }
        }
        "free_text" => QuestionKind::FreeText {
            max_words: whole(&field(v, "max_words"))?,
            media: optional(v, "media", JsValue::as_bool)?.unwrap_or(false),
        },
        "value_tags" => QuestionKind::ValueTags,
        "consent" => QuestionKind::Consent { of: string(v, "of")?, label: text_field(v, "label")? },
        _ => return None,
    })
}

fn question(v: &JsValue) -> Option<Question> {
    Some(Question {
        id: string(v, "id")?,
        prompt: text_field(v, "prompt")?,
        hint: optional(v, "hint", text)?,
        required: optional(v, "required", JsValue::as_bool)?.unwrap_or(false),
        show_if: optional(v, "show_if", |s| {
            Some(ShowIf { question: string(s, "question")?, equals: optional(s, "equals", JsValue::as_string)? })
        })?,
        // Results settings: the widget never reads them.
        protect: Default::default(),
        positive: Vec::new(),
        bank: None,
        kind: kind(v)?,
    })
}

/// The survey as the server serves it today.
pub struct Served {
    pub definition: SurveyDefinition,
    /// The server's words on why it is closed today, when it is (outside its dates or its waves).
    pub closed: Option<Text>,
    /// The wave open today, for a survey with waves.
    pub wave: Option<String>,
}

/// A survey definition from its JSON text, with what the server adds for today.
pub fn served(json: &str) -> Option<Served> {
    let v = JSON::parse(json).ok()?;
    Some(Served {
        definition: definition_of(&v)?,
        closed: optional(&v, "closed", text)?,
        wave: optional(&v, "wave", JsValue::as_string)?,
    })
}

/// The sentence an error body (`{"error": …, "details": [{"message": …} or "…"]}`) says most
/// with: the first detail's message, else the error itself.
pub fn error_message(json: &str) -> Option<String> {
    let v = JSON::parse(json).ok()?;
    let first = field(&field(&v, "details"), "0");
    first.as_string().or_else(|| string(&first, "message")).or_else(|| string(&v, "error"))
}

/// A survey definition from its JSON text.
pub fn definition(json: &str) -> Option<SurveyDefinition> {
    definition_of(&JSON::parse(json).ok()?)
}

fn definition_of(v: &JsValue) -> Option<SurveyDefinition> {
    let date = |d: &JsValue| d.as_string()?.parse().ok();
    Some(SurveyDefinition {
        id: string(&v, "id")?,
        version: whole(&field(&v, "version"))?,
        title: text_field(&v, "title")?,
        intro: optional(&v, "intro", text)?.unwrap_or_default(),
        questions: list(&v, "questions", question)?,
        k: optional(&v, "k", whole)?.unwrap_or(DEFAULT_K),
        k_text: None,
        opens: optional(&v, "opens", date)?,
        closes: optional(&v, "closes", date)?,
        // A context's division is for results only: the widget never reads it.
        contexts: list(&v, "contexts", |c| {
            Some(ContextTag { id: string(c, "id")?, label: text_field(c, "label")?, division: None })
        })?,
        divisions: Vec::new(),
        allowed_origins: list(&v, "allowed_origins", JsValue::as_string)?,
        privacy_url: optional(&v, "privacy_url", JsValue::as_string)?,
        media_hosts: list(&v, "media_hosts", JsValue::as_string)?,
    })
}

/// An object's own keys and values. (Maps are filled by insertion, not `collect`: collecting sorts
/// first, and every sort is more code in the wasm.)
fn entries(v: &JsValue) -> Option<Vec<(String, JsValue)>> {
    Object::entries(v.dyn_ref::<Object>()?)
        .iter()
        .map(|pair| {
            let pair: Array = pair.unchecked_into();
            Some((pair.get(0).as_string()?, pair.get(1)))
        })
        .collect()
}

fn answer(v: &JsValue) -> Option<Answer> {
    if let Some(text) = v.as_string() {
        return Some(Answer::Text(text));
    }
    if let Some(items) = v.dyn_ref::<Array>() {
        return items.iter().map(|i| i.as_string()).collect::<Option<_>>().map(Answer::List);
    }
    // An object of strings is a story with a link; an object of numbers is a matrix.
    if ["text", "link", "caption"].iter().any(|k| string(v, k).is_some()) {
        return Some(Answer::Story {
            text: string(v, "text").unwrap_or_default(),
            link: string(v, "link").unwrap_or_default(),
            caption: string(v, "caption").unwrap_or_default(),
        });
    }
    let mut points = Points::new();
    for (row, point) in entries(v)? {
        points.insert(row, whole(&point).filter(|p| *p <= u8::MAX as u32)? as u8);
    }
    Some(Answer::Matrix(points))
}

/// A response from the JSON text [`SurveyResponse::to_json`] wrote (the copy kept on this device).
pub fn response(json: &str) -> Option<SurveyResponse> {
    let v = JSON::parse(json).ok()?;
    let mut answers = Answers::new();
    for (id, value) in entries(&field(&v, "answers"))? {
        answers.insert(id, answer(&value)?);
    }
    Some(SurveyResponse {
        submission_id: string(&v, "submission_id")?.parse::<SubmissionId>().ok()?,
        survey_version: whole(&field(&v, "survey_version"))?,
        context: optional(&v, "context", JsValue::as_string)?,
        answers,
    })
}
