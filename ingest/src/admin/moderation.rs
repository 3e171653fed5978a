//! Moderating "values in action" stories before anyone but the admins reads them.
//!
//! A story enters the queue only when its writer ticked the survey's consent for it; stories without
//! consent never enter it and stay in the admins' export only. An admin approves a story (optionally
//! editing out anything identifying first) or rejects it. An edit replaces the story's text
//! everywhere it is kept, including the stored response, so the original is never shown again.
//! Every decision is recorded with the story's id, what was decided, whether it was edited and the
//! day, and nothing about who wrote the story.
//!
//! Story ids are random, so neither their order nor their value says when a story came in; the
//! response a story came from is kept with it only so that an edit can reach it, and never leaves
//! the server.

use axum::extract::{Path, State};
use axum::Json;
use pulse_shared::{scrub, word_count, QuestionKind, StoryLink};

use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::public::surveys::CurrentSurvey;
use crate::store::{story_id, DecisionRecord, StoreError, StoryRecord, StoryStatus};
use crate::AppState;

fn parse_story_id(s: &str) -> Option<u64> {
    (s.len() == 16).then(|| u64::from_str_radix(s, 16).ok()).flatten()
}

pub use pulse_shared::admin::{Decide, Queue, QueuedStory};

/// A stored story as the queue shows it, with what the moderator should check.
fn queued(id: u64, r: StoryRecord) -> QueuedStory {
    let caption = r.media.as_ref().map(|m| m.caption.as_str()).unwrap_or_default();
    let mut likely_names = pulse_shared::likely_names(&r.text);
    likely_names.extend(
        pulse_shared::likely_names(caption).into_iter().filter(|n| !likely_names.contains(n)).collect::<Vec<_>>(),
    );
    QueuedStory {
        likely_names,
        placeholders: pulse_shared::placeholders_in(&r.text).into_iter().map(String::from).collect(),
        id: story_id(id),
        question: r.question,
        text: r.text,
        value_names: crate::admin::stories::value_names(&r.values),
        values: r.values,
        status: r.status,
        edited: r.edited,
        media: r.media,
        similar: Vec::new(),
    }
}

/// Marks each story with the others in `stories` that are identical or nearly so.
fn mark_similar(stories: &mut [QueuedStory]) {
    let texts: Vec<&str> = stories.iter().map(|s| s.text.as_str()).collect();
    let found = pulse_shared::near_duplicates(&texts);
    let ids: Vec<String> = stories.iter().map(|s| s.id.clone()).collect();
    for (story, similar) in stories.iter_mut().zip(found) {
        story.similar = similar.into_iter().map(|i| ids[i].clone()).collect();
    }
}

/// The consented stories of a survey and every decision made about them.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/moderation",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "The queue: consented stories only, with text and value tags", body = Queue),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn queue(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CurrentSurvey(survey): CurrentSurvey,
) -> Result<Json<Queue>, ApiError> {
    let k_text = survey.definition.text_threshold();
    let (decisions, stories) = state
        .store
        .read(move |store| {
            let decisions = store.decisions(&id)?;
            let publication = store.story_publication(&survey.definition.id)?;
            let stories = publication.map(|p| store.stories(&id, &p)).transpose()?;
            Ok::<_, StoreError>((decisions, stories))
        })
        .await?;
    let Some(stories) = stories else {
        let note = format!("stories are shown once the survey has {k_text} responses or more in the groups shown");
        return Ok(Json(Queue { stories: Vec::new(), decisions, note: Some(note) }));
    };
    let mut stories: Vec<QueuedStory> = stories.into_iter().map(|(n, r)| queued(n, r)).collect();
    stories.sort_by_key(|s| s.status as u8);
    mark_similar(&mut stories);
    Ok(Json(Queue { stories, decisions, note: None }))
}

/// Approve (optionally with an edit) or reject one story.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/moderation/{story}",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id"), ("story" = String, Path, description = "The story id")),
    request_body = Decide,
    responses(
        (status = 200, description = "Decided; the story as it now stands", body = QueuedStory),
        (status = 400, description = "Malformed JSON, or a decision other than approved or rejected", body = ErrorBody),
        (status = 404, description = "No such survey or story", body = ErrorBody),
        (status = 422, description = "An edit that is empty, too long, or given with a rejection", body = ErrorBody),
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    Path((id, story)): Path<(String, String)>,
    CurrentSurvey(survey): CurrentSurvey,
    ApiJson(decide): ApiJson<Decide>,
) -> Result<(axum::Extension<crate::auth::access::AuditDetail>, Json<QueuedStory>), ApiError> {
    let no_story = || ApiError::NotFound(format!("no story {story:?} in survey {id:?}"));
    let number = parse_story_id(&story).ok_or_else(no_story)?;
    let (found, survey_id) = (survey.clone(), id.clone());
    let found = state
        .store
        .read(move |store| match store.story_publication(&found.definition.id)? {
            Some(publication) => store.story(&survey_id, number, &publication),
            None => Ok(None),
        })
        .await?;
    let mut record = found.ok_or_else(no_story)?;
    let edits = decide.text.is_some() || decide.remove_link || decide.caption.is_some() || decide.values.is_some();
    if decide.decision != StoryStatus::Approved && edits {
        return Err(ApiError::Unprocessable(
            "only an approval can carry an edited text, caption or values, or remove a link".into(),
        ));
    }
    if decide.decision == StoryStatus::Pending {
        return Err(ApiError::Unprocessable("decide approved or rejected; a story cannot go back to pending".into()));
    }
    let mut text = record.text.clone();
    if let Some(edit) = &decide.text {
        text = scrub(edit.trim()).text;
        if text.trim().is_empty() && (record.media.is_none() || decide.remove_link) {
            return Err(ApiError::Unprocessable("the edited story is empty".into()));
        }
    }
    let mut media = if decide.remove_link { None } else { record.media.clone() };
    if let Some(caption) = &decide.caption {
        let Some(link) = media.as_mut() else {
            return Err(ApiError::Unprocessable(
                "the story has no link to caption, or its link is being removed".into(),
            ));
        };
        let caption = scrub(caption.trim()).text;
        if let Err(problem) = pulse_shared::field::check_field(
            &caption,
            pulse_shared::field::Lines::One,
            pulse_shared::validate::MAX_CAPTION_CHARS,
        ) {
            return Err(ApiError::Unprocessable(format!("the caption {}", problem.describe())));
        }
        link.caption = caption;
    }
    let values = match &decide.values {
        None => record.values.clone(),
        Some(ids) => {
            let mut values = Vec::new();
            for id in ids {
                let value = pulse_shared::NhsValue::from_id(id)
                    .ok_or_else(|| ApiError::Unprocessable(format!("{id:?} is not an NHS value")))?;
                values.push(value);
            }
            // In the NHS's own order, each once, as the widget offers them.
            pulse_shared::NhsValue::ALL.iter().filter(|v| values.contains(v)).map(|v| v.id().to_string()).collect()
        }
    };
    let mut rewrite = None;
    if text != record.text || media != record.media {
        // The response's own version holds the word limit the writer had.
        let (survey_id, submission) = (id.clone(), record.submission);
        let found = state.store.read(move |store| store.response(&survey_id, submission)).await?;
        let (published, mut response) = found.ok_or_else(no_story)?;
        let def = &published.definition;
        if let Some(QuestionKind::FreeText { max_words, .. }) = def.question(&record.question).map(|q| &q.kind) {
            let words = word_count(&text) + media.as_ref().map_or(0, |m| word_count(&m.caption));
            if words > *max_words as usize {
                return Err(ApiError::Unprocessable(format!("the edited story is over {max_words} words")));
            }
        }
        response.answers.insert(record.question.clone(), StoryLink::answer(text.clone(), media.as_ref()));
        rewrite = Some(crate::store::encode(def, &response)?);
        record.text = text;
        record.media = media;
        record.edited = true;
    }
    // A new order of the same values is no change.
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    let retagged = sorted(&values) != sorted(&record.values);
    if retagged {
        record.values = values;
        record.edited = true;
    }
    record.status = decide.decision;
    let decision = DecisionRecord {
        story: story_id(number),
        decision: decide.decision,
        edited: rewrite.is_some() || retagged,
        on: state.today(),
    };
    // The audit log says what was decided, never the story's words.
    let mut detail = match decide.decision {
        StoryStatus::Approved => "approved".to_string(),
        _ => "rejected".to_string(),
    };
    if rewrite.is_some() {
        detail.push_str(if decide.remove_link { ", link removed" } else { ", edited" });
    }
    if retagged {
        detail.push_str(", values changed");
    }
    state.store.moderate(&id, number, record.clone(), rewrite, decision).await?;
    Ok((axum::Extension(crate::auth::access::AuditDetail(detail)), Json(queued(number, record))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_ids_are_sixteen_hex_digits() {
        assert_eq!(story_id(0xab), "00000000000000ab");
        assert_eq!(parse_story_id("00000000000000ab"), Some(0xab));
        for bad in ["ab", "zzzzzzzzzzzzzzzz", "00000000000000ab0", ""] {
            assert_eq!(parse_story_id(bad), None, "{bad}");
        }
    }
}
