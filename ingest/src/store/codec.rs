//! How a response is kept on disk: a few bytes, not JSON. Questions, options, rows and contexts are
//! written as their positions in the definition of the version answered, which is kept for ever, so
//! a choice-only response to the default survey takes about 25 bytes.
//!
//! Layout: format byte (1), then varints: survey version, day number (days since 1970-01-01),
//! context (0 for none, else position + 1); then for each answered question, in survey order, its
//! position + 1 and its answer: an option position (single choice); a count and option positions
//! (multiple choice, value tags); one byte per row, in row order, 1–5 or 0 for unanswered
//! (matrix); or a byte length and UTF-8 text (free text).

use pulse_shared::{Answer, Date, QuestionKind, SurveyDefinition};

use super::{StoreError, StoredResponse};

const FORMAT: u8 = 1;

fn put(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn corrupt(what: &str) -> StoreError {
        StoreError::Corrupt(format!("stored response: {what}"))
    }

    fn varint(&mut self) -> Result<u64, StoreError> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.0.split_first().ok_or_else(|| Self::corrupt("ends early"))?;
            self.0 = rest;
            n |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(Self::corrupt("varint too long"))
    }

    fn index(&mut self) -> Result<usize, StoreError> {
        usize::try_from(self.varint()?).map_err(|_| Self::corrupt("index out of range"))
    }

    fn bytes(&mut self, len: usize) -> Result<&[u8], StoreError> {
        if self.0.len() < len {
            return Err(Self::corrupt("ends early"));
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Ok(head)
    }
}

fn position(items: impl IntoIterator<Item = impl AsRef<str>>, id: &str) -> Result<u64, StoreError> {
    items
        .into_iter()
        .position(|x| x.as_ref() == id)
        .map(|p| p as u64)
        .ok_or_else(|| StoreError::Corrupt(format!("{id:?} is not in the survey")))
}

/// Encodes a validated response against the definition it answered.
pub fn encode(def: &SurveyDefinition, record: &StoredResponse) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(32);
    out.push(FORMAT);
    put(&mut out, u64::from(record.survey_version));
    put(&mut out, record.received_on.days_since_epoch() as u64);
    match &record.context {
        None => put(&mut out, 0),
        Some(c) => put(&mut out, position(def.contexts.iter().map(|c| &c.id), c)? + 1),
    }
    for (qi, q) in def.questions.iter().enumerate() {
        let Some(answer) = record.answers.get(&q.id) else { continue };
        put(&mut out, qi as u64 + 1);
        match (&q.kind, answer) {
            (QuestionKind::SingleChoice { .. } | QuestionKind::Consent { .. }, Answer::Text(option)) => {
                put(&mut out, position(q.kind.option_ids(), option)?)
            }
            (QuestionKind::MultipleChoice { .. } | QuestionKind::ValueTags, Answer::List(options)) => {
                put(&mut out, options.len() as u64);
                for o in options {
                    put(&mut out, position(q.kind.option_ids(), o)?);
                }
            }
            (QuestionKind::LikertMatrix { rows, .. }, Answer::Matrix(points)) => {
                if let Some(row) = points.keys().find(|r| !rows.iter().any(|x| &&x.id == r)) {
                    return Err(StoreError::Corrupt(format!("{row:?} is not a row of {:?}", q.id)));
                }
                out.extend(rows.iter().map(|r| points.get(&r.id).copied().unwrap_or(0)));
            }
            (QuestionKind::FreeText { media, .. }, answer @ (Answer::Text(_) | Answer::Story { .. })) => {
                let (text, link, caption) = answer.story().unwrap_or_default();
                // A question with media always has the three parts, so a response decodes alike
                // with or without a link; one without keeps the layout of before.
                let parts: &[&str] = if *media { &[text, link, caption] } else { &[text] };
                if !*media && !link.is_empty() {
                    return Err(StoreError::Corrupt(format!("a link for {:?}, which takes none", q.id)));
                }
                for part in parts {
                    put(&mut out, part.len() as u64);
                    out.extend_from_slice(part.as_bytes());
                }
            }
            _ => return Err(StoreError::Corrupt(format!("answer to {:?} does not fit its question", q.id))),
        }
    }
    Ok(out)
}

/// The version a stored response answered and the day it came, without its answers.
pub fn header(bytes: &[u8]) -> Result<(u32, Date), StoreError> {
    let mut r = Reader(bytes);
    if r.bytes(1)? != [FORMAT] {
        return Err(Reader::corrupt("unknown format"));
    }
    let version = u32::try_from(r.varint()?).map_err(|_| Reader::corrupt("version out of range"))?;
    let day = Date::from_days_since_epoch(r.varint()? as i64);
    Ok((version, day))
}

/// Decodes a stored response with `definition`, which must be the version its header names.
pub fn decode(bytes: &[u8], def: &SurveyDefinition) -> Result<StoredResponse, StoreError> {
    let (survey_version, received_on) = header(bytes)?;
    let mut r = Reader(bytes);
    r.bytes(1)?;
    r.varint()?;
    r.varint()?;
    let context = match r.index()? {
        0 => None,
        c => Some(def.contexts.get(c - 1).ok_or_else(|| Reader::corrupt("context"))?.id.clone()),
    };
    let option = |q: &pulse_shared::Question, i: usize| -> Result<String, StoreError> {
        q.kind.option_ids().get(i).map(|s| s.to_string()).ok_or_else(|| Reader::corrupt("option"))
    };
    let mut answers = pulse_shared::Answers::new();
    while !r.0.is_empty() {
        let q = def.questions.get(r.index()?.wrapping_sub(1)).ok_or_else(|| Reader::corrupt("question"))?;
        let answer = match &q.kind {
            QuestionKind::SingleChoice { .. } | QuestionKind::Consent { .. } => Answer::Text(option(q, r.index()?)?),
            QuestionKind::MultipleChoice { .. } | QuestionKind::ValueTags => {
                let n = r.index()?;
                Answer::List((0..n).map(|_| option(q, r.index()?)).collect::<Result<_, _>>()?)
            }
            QuestionKind::LikertMatrix { rows, .. } => {
                let points = r.bytes(rows.len())?;
                Answer::Matrix(
                    rows.iter().zip(points).filter(|(_, p)| **p != 0).map(|(row, p)| (row.id.clone(), *p)).collect(),
                )
            }
            QuestionKind::FreeText { media, .. } => {
                let mut part = || -> Result<String, StoreError> {
                    let len = r.index()?;
                    String::from_utf8(r.bytes(len)?.to_vec()).map_err(|_| Reader::corrupt("text"))
                };
                let text = part()?;
                let (link, caption) = if *media { (part()?, part()?) } else { Default::default() };
                if link.is_empty() && caption.is_empty() {
                    Answer::Text(text)
                } else {
                    Answer::Story { text, link, caption }
                }
            }
        };
        answers.insert(q.id.clone(), answer);
    }
    Ok(StoredResponse { survey_version, context, received_on, answers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulse_shared::default_survey::constitution;

    fn record(answers: serde_json::Value, context: Option<&str>) -> StoredResponse {
        StoredResponse {
            survey_version: 1,
            context: context.map(Into::into),
            received_on: "2026-11-21".parse().unwrap(),
            answers: serde_json::from_value(answers).unwrap(),
        }
    }

    #[test]
    fn every_kind_of_answer_round_trips() {
        let def = constitution();
        let r = record(
            serde_json::json!({
                "awareness": "know_whats_in_it",
                "where_met": ["intranet", "induction"],
                "values_lived": {"working_together": 4, "respect_dignity": 5, "commitment_to_quality": 3,
                                 "compassion": 4, "improving_lives": 2, "everyone_counts": 1},
                "focus_value": "compassion",
                "shared_purpose": "agree",
                "story": "Ünïcödé, [email removed] and 250 words’ worth.",
                "story_values": ["compassion", "working_together"]
            }),
            Some("estates"),
        );
        let bytes = encode(&def, &r).unwrap();
        assert_eq!(decode(&bytes, &def).unwrap(), r);
        assert_eq!(header(&bytes).unwrap(), (1, "2026-11-21".parse().unwrap()));
        let none = record(serde_json::json!({"awareness": "not_heard"}), None);
        let linked = record(
            serde_json::json!({"story": {"text": "", "link": "https://youtu.be/x", "caption": "Open day"}}),
            None,
        );
        assert_eq!(decode(&encode(&def, &linked).unwrap(), &def).unwrap(), linked);
        assert_eq!(decode(&encode(&def, &none).unwrap(), &def).unwrap(), none);
    }

    #[test]
    fn a_choice_only_response_takes_a_few_bytes() {
        let def = constitution();
        let r = record(
            serde_json::json!({
                "awareness": "heard_not_content",
                "values_lived": {"working_together": 4, "respect_dignity": 5, "commitment_to_quality": 3,
                                 "compassion": 4, "improving_lives": 2, "everyone_counts": 1},
                "focus_value": "compassion",
                "shared_purpose": "agree"
            }),
            Some("clinical"),
        );
        let bytes = encode(&def, &r).unwrap();
        assert!(bytes.len() <= 20, "{} bytes", bytes.len());
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let def = constitution();
        let bytes =
            encode(&def, &record(serde_json::json!({"awareness": "not_heard", "story": "text"}), None)).unwrap();
        for cut in 0..bytes.len() {
            let _ = decode(&bytes[..cut], &def);
        }
        assert!(decode(&[9, 1, 1], &def).is_err());
        assert!(decode(&[FORMAT, 1, 1, 0, 99, 0], &def).is_err());
    }
}
