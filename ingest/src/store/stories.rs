//! The moderation queue as the store keeps it: a story that its writer agreed may be shown, where
//! it stands, and each decision about it. Story ids are random, so neither their order nor their
//! value says when a story came in; the response a story came from is kept with it only so that an
//! edit can reach it, and never leaves the server.

use pulse_shared::{Answer, QuestionKind, StoryLink, SubmissionId, SurveyDefinition, CONSENT_YES};
use serde::{Deserialize, Serialize};

use super::StoredResponse;

pub use pulse_shared::admin::{DecisionRecord, Story, StoryStatus};

/// A consented story as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryRecord {
    /// The response it came from, so that an edit reaches it too. Never sent anywhere.
    pub submission: SubmissionId,
    /// The free-text question it answers.
    pub question: String,
    /// Scrubbed, and as edited by the admin who approved it.
    pub text: String,
    pub values: Vec<String>,
    pub status: StoryStatus,
    pub edited: bool,
    /// The photo or video link with its caption, if the story carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<StoryLink>,
}

/// The stories in a new response that its writer agreed may be shown: each free-text answer whose
/// consent question was answered "yes", with the values its value-tags question gave it.
pub fn consented_stories(
    def: &SurveyDefinition,
    submission: SubmissionId,
    record: &StoredResponse,
) -> Vec<StoryRecord> {
    free_texts(def, record)
        .into_iter()
        .filter(|story| {
            def.consent_for(&story.question)
                .is_some_and(|c| matches!(record.answers.get(&c.id), Some(Answer::Text(yes)) if yes == CONSENT_YES))
        })
        .map(|story| StoryRecord {
            submission,
            question: story.question,
            text: story.text,
            values: story.values,
            status: StoryStatus::Pending,
            edited: false,
            media: story.media,
        })
        .collect()
}

/// A response's free-text answers, each with the values its value-tags question gave it. Kept in
/// the `free_text` index as the response is stored, so the admins' list never decodes responses.
pub fn free_texts(def: &SurveyDefinition, record: &StoredResponse) -> Vec<Story> {
    let mut out = Vec::new();
    for q in def.questions.iter().filter(|q| matches!(q.kind, QuestionKind::FreeText { .. })) {
        let Some(answer) = record.answers.get(&q.id).filter(|a| !a.is_empty()) else { continue };
        let Some((text, _, _)) = answer.story() else { continue };
        let text = text.to_string();
        let values = match def.value_tags_for(&q.id).and_then(|t| record.answers.get(&t.id)) {
            Some(Answer::List(values)) => values.clone(),
            _ => Vec::new(),
        };
        out.push(Story { question: q.id.clone(), text, values, value_names: Vec::new(), media: StoryLink::of(answer) });
    }
    out
}

/// A story id as the API shows it.
pub fn story_id(id: u64) -> String {
    format!("{id:016x}")
}
