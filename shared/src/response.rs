//! A response as it travels from the widget to the server.

use std::fmt;
use std::str::FromStr;

use litemap::LiteMap;
use serde::{Deserialize, Serialize};

/// A response's answers: question id → answer, in id order. A sorted `Vec` rather than a `BTreeMap`:
/// a survey has a few dozen questions at most, and the B-tree's code was a twentieth of the
/// widget's wasm.
pub type Answers = LiteMap<String, Answer>;

/// A matrix answer: row id → point on the scale, in id order.
pub type Points = LiteMap<String, u8>;

/// 128 random bits chosen by the browser, so that a retried submission is recognised and stored once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubmissionId(pub [u8; 16]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("submission_id must be 32 hexadecimal characters")]
pub struct SubmissionIdError;

impl FromStr for SubmissionId {
    type Err = SubmissionIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() != 32 {
            return Err(SubmissionIdError);
        }
        let nibble = |c: u8| -> Result<u8, SubmissionIdError> {
            match c {
                b'0'..=b'9' => Ok(c - b'0'),
                b'a'..=b'f' => Ok(c - b'a' + 10),
                b'A'..=b'F' => Ok(c - b'A' + 10),
                _ => Err(SubmissionIdError),
            }
        };
        let mut out = [0u8; 16];
        for (i, pair) in b.chunks(2).enumerate() {
            out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
        }
        Ok(SubmissionId(out))
    }
}

impl fmt::Display for SubmissionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

crate::serde_as_text!(SubmissionId);

/// One answer. Which shape is right depends on the question; `validate` checks the fit.
/// (Deserialised by hand below: serde's untagged enums buffer every value first, which costs time on
/// the ingest path and gives a vaguer error.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// A single-choice option id, or free text.
    Text(String),
    /// Multiple-choice option ids, or NHS value ids.
    List(Vec<String>),
    /// A Likert matrix: row id → point on the 5-point scale.
    Matrix(Points),
    /// A story that carries a photo or video link with its caption (a free-text question with
    /// `media`); `text` may be empty.
    Story { text: String, link: String, caption: String },
}

/// Written out because utoipa cannot describe a `LiteMap`: the three shapes an answer takes.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Answer {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
        let string = || ObjectBuilder::new().schema_type(Type::String);
        let point = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(5));
        OneOfBuilder::new()
            .description(Some("An answer: an option id or text, a list of option ids, or row ids to points."))
            .item(string().description(Some("A single-choice option id, or free text.")))
            .item(
                ArrayBuilder::new().items(string()).description(Some("Multiple-choice option ids, or NHS value ids.")),
            )
            .item(
                ObjectBuilder::new()
                    .additional_properties(Some(point))
                    .description(Some("A Likert matrix: row id → point on the 5-point scale.")),
            )
            .item(
                ObjectBuilder::new()
                    .property("text", string())
                    .property("link", string().description(Some("https:// to one of the survey's media_hosts")))
                    .property("caption", string())
                    .description(Some("A story with a photo or video link and its caption.")),
            )
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Answer {}

/// One value of an object answer: a matrix point (a number) or a story's part (a string).
enum Entry {
    Point(u8),
    Text(String),
}

/// A matrix point as sent: any JSON number. One that is not a whole number from 0 to 255 reads as
/// 0, which is on no scale. A whole number is written as one, as `survey_version` must be: `1.0`
/// and `1e0` are not, whatever their value (points start at 1), so validation refuses it by its field
/// (`scale_out_of_range`, 422) like any other point off the scale, rather than the parser refusing
/// the whole body.
struct Point(u8);

struct PointVisitor;

impl serde::de::Visitor<'_> for PointVisitor {
    type Value = Point;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a point on the scale, as a number")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Point, E> {
        Ok(Point(u8::try_from(v).unwrap_or(0)))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Point, E> {
        Ok(Point(u8::try_from(v).unwrap_or(0)))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Point, E> {
        Ok(Point(0))
    }
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntryVisitor;

        impl serde::de::Visitor<'_> for EntryVisitor {
            type Value = Entry;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a point on the scale, as a number, or a story's text, link or caption")
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Entry, E> {
                PointVisitor.visit_u64(v).map(|Point(p)| Entry::Point(p))
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Entry, E> {
                PointVisitor.visit_i64(v).map(|Point(p)| Entry::Point(p))
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Entry, E> {
                PointVisitor.visit_f64(v).map(|Point(p)| Entry::Point(p))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Entry, E> {
                Ok(Entry::Text(v.to_string()))
            }
        }

        d.deserialize_any(EntryVisitor)
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;

        impl<'de> serde::de::Visitor<'de> for AnswerVisitor {
            type Value = Answer;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an answer: an option id or text, a list of option ids, or an object of row id to a point from 1 to 5")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Answer, E> {
                Ok(Answer::Text(v.to_string()))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Answer, E> {
                Ok(Answer::Text(v))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
                let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(16));
                while let Some(item) = seq.next_element::<String>()? {
                    list.push(item);
                }
                Ok(Answer::List(list))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Answer, A::Error> {
                use serde::de::Error;
                let mut points = Points::new();
                let (mut text, mut link, mut caption) = (None, None, None);
                while let Some((key, entry)) = map.next_entry::<String, Entry>()? {
                    match entry {
                        Entry::Point(point) => {
                            if points.insert(key, point).is_some() {
                                return Err(A::Error::custom("a matrix row is answered twice"));
                            }
                        }
                        Entry::Text(value) => {
                            let slot = match key.as_str() {
                                "text" => &mut text,
                                "link" => &mut link,
                                "caption" => &mut caption,
                                _ => return Err(A::Error::custom("a story answer has only text, link and caption")),
                            };
                            if slot.replace(value).is_some() {
                                return Err(A::Error::custom(format!("a story answer gives its {key} twice")));
                            }
                        }
                    }
                }
                match (text.is_some() || link.is_some() || caption.is_some(), points.is_empty()) {
                    (true, false) => {
                        Err(A::Error::custom("an answer is either a matrix's points or a story, not both"))
                    }
                    (true, true) => Ok(Answer::Story {
                        text: text.unwrap_or_default(),
                        link: link.unwrap_or_default(),
                        caption: caption.unwrap_or_default(),
                    }),
                    (false, _) => Ok(Answer::Matrix(points)),
                }
            }
        }

        d.deserialize_any(AnswerVisitor)
    }
}

impl Answer {
    /// Whether the answer says anything at all; an empty answer counts as no answer.
    pub fn is_empty(&self) -> bool {
        match self {
            Answer::Text(t) => t.trim().is_empty(),
            Answer::List(l) => l.is_empty(),
            Answer::Matrix(m) => m.is_empty(),
            Answer::Story { text, link, caption } => {
                text.trim().is_empty() && link.trim().is_empty() && caption.trim().is_empty()
            }
        }
    }

    /// A free-text answer's text, link and caption (the last two empty for plain text).
    pub fn story(&self) -> Option<(&str, &str, &str)> {
        match self {
            Answer::Text(t) => Some((t, "", "")),
            Answer::Story { text, link, caption } => Some((text, link, caption)),
            Answer::List(_) | Answer::Matrix(_) => None,
        }
    }

    /// Whether the answer names `option` (chose it, tagged it, or typed exactly it).
    pub fn has(&self, option: &str) -> bool {
        match self {
            Answer::Text(t) => t == option,
            Answer::List(l) => l.iter().any(|o| o == option),
            Answer::Matrix(m) => m.contains_key(option),
            Answer::Story { text, .. } => text == option,
        }
    }
}

/// A completed survey as the widget posts it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyResponse {
    pub submission_id: SubmissionId,
    pub survey_version: u32,
    #[serde(default)]
    pub context: Option<String>,
    #[serde(deserialize_with = "answers_once")]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, Answer>))]
    pub answers: Answers,
}

/// The answers map, refusing a question answered twice: a map would keep the last silently, and
/// which one counts should not depend on a parser's choice.
fn answers_once<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Answers, D::Error> {
    struct Once;

    impl<'de> serde::de::Visitor<'de> for Once {
        type Value = Answers;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of question id to answer")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut answers = Answers::new();
            while let Some((id, answer)) = map.next_entry::<String, Answer>()? {
                if answers.contains_key(&id) {
                    return Err(serde::de::Error::custom(format!("question {id:?} is answered twice")));
                }
                answers.insert(id, answer);
            }
            Ok(answers)
        }
    }

    d.deserialize_map(Once)
}

impl SurveyResponse {
    /// The response as wire JSON, written by hand: the widget sends this, and serde's serialiser and
    /// number formatting would add a fifth to the size of the wasm. The tests read it back with serde.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(128 + 32 * self.answers.len());
        out.push_str("{\"submission_id\":\"");
        out.push_str(&self.submission_id.to_string());
        out.push_str("\",\"survey_version\":");
        out.push_str(&self.survey_version.to_string());
        if let Some(context) = &self.context {
            out.push_str(",\"context\":");
            json_string(&mut out, context);
        }
        out.push_str(",\"answers\":{");
        for (i, (id, answer)) in self.answers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string(&mut out, id);
            out.push(':');
            match answer {
                Answer::Text(t) => json_string(&mut out, t),
                Answer::List(list) => {
                    out.push('[');
                    for (j, item) in list.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        json_string(&mut out, item);
                    }
                    out.push(']');
                }
                Answer::Matrix(points) => {
                    out.push('{');
                    for (j, (row, point)) in points.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        json_string(&mut out, row);
                        out.push(':');
                        out.push_str(&point.to_string());
                    }
                    out.push('}');
                }
                Answer::Story { text, link, caption } => {
                    for (j, (key, value)) in [("text", text), ("link", link), ("caption", caption)].iter().enumerate() {
                        out.push(if j == 0 { '{' } else { ',' });
                        json_string(&mut out, key);
                        out.push(':');
                        json_string(&mut out, value);
                    }
                    out.push('}');
                }
            }
        }
        out.push_str("}}");
        out
    }
}

/// `s` as a JSON string literal (RFC 8259: quote, backslash and control characters escaped).
fn json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_wire_format() {
        let json = r#"{"submission_id":"0123456789abcdef0123456789ABCDEF","survey_version":1,"context":"estates",
            "answers":{"a":"know","b":["induction","appraisal"],"c":{"compassion":4},"d":"A story"}}"#;
        let r: SurveyResponse = serde_json::from_str(json).unwrap();
        assert_eq!(r.submission_id.to_string(), "0123456789abcdef0123456789abcdef");
        assert_eq!(r.context.as_deref(), Some("estates"));
        assert_eq!(*r.answers.get("a").unwrap(), Answer::Text("know".into()));
        assert_eq!(*r.answers.get("b").unwrap(), Answer::List(vec!["induction".into(), "appraisal".into()]));
        assert_eq!(*r.answers.get("c").unwrap(), Answer::Matrix([("compassion".to_string(), 4)].into_iter().collect()));
    }

    #[test]
    fn refuses_bad_ids_and_unknown_fields() {
        for id in ["", "0123", "0123456789abcdef0123456789abcdeg", "0123456789abcdef0123456789abcdef00"] {
            let json = format!(r#"{{"submission_id":"{id}","survey_version":1,"answers":{{}}}}"#);
            assert!(serde_json::from_str::<SurveyResponse>(&json).is_err(), "{id}");
        }
        let json =
            r#"{"submission_id":"0123456789abcdef0123456789abcdef","survey_version":1,"answers":{},"ip":"1.2.3.4"}"#;
        assert!(serde_json::from_str::<SurveyResponse>(json).is_err());
    }

    #[test]
    fn a_misshapen_answer_says_what_an_answer_is() {
        for bad in [
            "42",
            "true",
            "[1, 2]",
            r#"{"compassion": "often"}"#,
            r#"{"text": "a", "compassion": 3}"#,
            r#"{"text": "a", "text": "b"}"#,
            "null",
        ] {
            let json = format!(
                r#"{{"submission_id":"0123456789abcdef0123456789abcdef","survey_version":1,"answers":{{"a":{bad}}}}}"#
            );
            let err = serde_json::from_str::<SurveyResponse>(&json).unwrap_err().to_string();
            assert!(err.contains("answer") || err.contains("invalid"), "{bad}: {err}");
        }
    }

    #[test]
    fn any_number_off_the_scale_is_a_point_validation_refuses_by_its_field() {
        let def = crate::default_survey::constitution();
        for point in ["300", "-1", "2.5", "1e10", "0", "1e0", "3.0"] {
            let json = format!(
                r#"{{"submission_id":"0123456789abcdef0123456789abcdef","survey_version":1,"answers":{{"values_lived":{{"compassion":{point}}}}}}}"#
            );
            let response: SurveyResponse = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{point}: {e}"));
            let errors = crate::validate(&def, &response);
            assert!(
                errors.iter().any(|e| e.field == "answers.values_lived" && e.code == crate::ErrorCode::ScaleOutOfRange),
                "{point}: {errors:?}"
            );
        }
    }

    #[test]
    fn missing_context_is_none() {
        let json = r#"{"submission_id":"0123456789abcdef0123456789abcdef","survey_version":1,"answers":{}}"#;
        assert_eq!(serde_json::from_str::<SurveyResponse>(json).unwrap().context, None);
    }
    #[test]
    fn to_json_reads_back_as_the_same_response() {
        let json = r#"{"submission_id":"0123456789abcdef0123456789abcdef","survey_version":3,"context":"a \"quoted\" \\ ctx",
            "answers":{"a":"know","b":["induction","appraisal"],"c":{"compassion":4,"respect":1},"d":"Line\nbreak\ttab\u0001 é ✓ 🙂","e":[]}}"#;
        let r: SurveyResponse = serde_json::from_str(json).unwrap();
        let back: SurveyResponse = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(back, r);
        let mut with_story = r.clone();
        with_story.answers.insert(
            "s".into(),
            Answer::Story { text: "A \"quote\"".into(), link: "https://youtu.be/x".into(), caption: "Caption".into() },
        );
        let back: SurveyResponse = serde_json::from_str(&with_story.to_json()).unwrap();
        assert_eq!(back, with_story);
        let none = SurveyResponse { context: None, answers: Answers::new(), ..r };
        assert_eq!(serde_json::from_str::<SurveyResponse>(&none.to_json()).unwrap(), none);
    }

    proptest::proptest! {
        #[test]
        fn to_json_round_trips_any_text(text in "\\PC*", ctl in proptest::collection::vec(0u8..0x20, 0..4), id in "[a-z_]{1,12}") {
            let text = text + &ctl.into_iter().map(char::from).collect::<String>();
            let r = SurveyResponse {
                submission_id: SubmissionId([7; 16]),
                survey_version: 1,
                context: Some(text.clone()),
                answers: [(id, Answer::Text(text.clone())), ("l".into(), Answer::List(vec![text]))].into_iter().collect(),
            };
            let back: SurveyResponse = serde_json::from_str(&r.to_json()).unwrap();
            proptest::prop_assert_eq!(back, r);
        }
    }
}
