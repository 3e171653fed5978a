//! Made-up responses for trying Values Pulse out (`pulse serve --demo`): enough, and varied enough,
//! that the dashboard has charts to show. They go through the same checks, scrubbing and store as
//! real responses, with fixed submission ids, so seeding twice stores them once.

use pulse_shared::default_survey::{constitution, DEFAULT_SURVEY_ID};
use pulse_shared::{validate, Answer, NhsValue, SubmissionId, SurveyResponse};

use crate::responses::{store_checked, today};
use crate::store::{Store, StoreError, Stored};

/// How many demo responses are seeded.
pub const DEMO_RESPONSES: u32 = 120;

const STORIES: &[(&str, &[&str])] = &[
    ("A porter noticed an elderly patient was lost and walked her all the way to the eye clinic, chatting the whole way.", &["compassion", "everyone_counts"]),
    ("Our ward team swapped shifts so a colleague could be with her family during a bereavement.", &["working_together", "compassion"]),
    ("The pharmacy team stayed late to make sure a child's medicine was ready before the family's long drive home.", &["commitment_to_quality", "improving_lives"]),
    ("A domestic on our ward learned a few words of Polish to make a frightened patient feel at home.", &["respect_dignity", "everyone_counts"]),
    ("Estates fixed the broken lift in the children's wing overnight so families were not stuck on the stairs.", &["working_together", "improving_lives"]),
    ("A healthcare assistant sat with a dying patient whose family could not get there in time.", &["compassion", "respect_dignity"]),
    ("We redesigned our discharge letters with patients, and complaints about them fell to almost none.", &["commitment_to_quality", "working_together"]),
    ("A receptionist spotted that a patient seemed unwell in the waiting room and got a nurse straight away.", &["commitment_to_quality", "compassion"]),
];

/// A small deterministic generator, so the demo data is the same every time.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// The demo responses, valid against the default survey.
pub fn responses() -> Vec<SurveyResponse> {
    let def = constitution();
    let mut rng = Lcg(2026);
    let contexts = ["clinical", "clinical", "clinical", "community", "community", "corporate", "estates", "estates"];
    (0..DEMO_RESPONSES)
        .map(|n| {
            let mut answers = pulse_shared::Answers::new();
            let awareness =
                ["not_heard", "heard_not_content", "heard_not_content", "know_whats_in_it"][rng.next(4) as usize];
            answers.insert("awareness".to_string(), Answer::Text(awareness.into()));
            if awareness != "not_heard" {
                let places = ["induction", "job_description", "appraisal", "team_meetings", "intranet", "training"];
                let chosen: Vec<String> = places.iter().filter(|_| rng.next(3) == 0).map(|p| p.to_string()).collect();
                answers.insert("where_met".to_string(), Answer::List(chosen));
            }
            let lived = NhsValue::ALL
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    (
                        v.id().to_string(),
                        (3 + rng.next(3) as u8 + u8::from(i % 2 == 0)).min(5) - u8::from(rng.next(5) == 0),
                    )
                })
                .collect();
            answers.insert("values_lived".to_string(), Answer::Matrix(lived));
            let focus = NhsValue::ALL[[3, 5, 0, 2, 3, 5][rng.next(6) as usize]].id();
            answers.insert("focus_value".to_string(), Answer::Text(focus.into()));
            let agree = ["disagree", "neither", "agree", "agree", "agree", "strongly_agree"][rng.next(6) as usize];
            answers.insert("shared_purpose".to_string(), Answer::Text(agree.into()));
            if rng.next(4) == 0 {
                let (text, values) = STORIES[rng.next(STORIES.len() as u64) as usize];
                answers.insert("story".to_string(), Answer::Text(text.into()));
                answers
                    .insert("story_values".to_string(), Answer::List(values.iter().map(|v| v.to_string()).collect()));
                // Most writers agree to share, so the moderation queue has stories to try.
                if rng.next(3) != 0 {
                    answers.insert("story_consent".to_string(), Answer::Text(pulse_shared::CONSENT_YES.into()));
                }
            }
            let mut id = [0u8; 16];
            id[..4].copy_from_slice(b"demo");
            id[12..].copy_from_slice(&n.to_be_bytes());
            let response = SurveyResponse {
                submission_id: SubmissionId(id),
                survey_version: def.version,
                context: Some(contexts[rng.next(contexts.len() as u64) as usize].to_string()),
                answers,
            };
            debug_assert!(validate(&def, &response).is_empty());
            response
        })
        .collect()
}

/// Stores the demo responses in the default survey (version 1); returns how many were new.
pub async fn seed(store: &Store) -> Result<u32, StoreError> {
    let def = store.survey_version(DEFAULT_SURVEY_ID, 1).map(|s| s.definition.clone()).unwrap_or_else(constitution);
    let mut new = 0;
    for response in responses() {
        if let Stored::New(_) = store_checked(store, &def, response, today()).await? {
            new += 1;
        }
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_response_is_valid() {
        let def = constitution();
        let all = responses();
        assert_eq!(all.len(), DEMO_RESPONSES as usize);
        for r in &all {
            assert_eq!(validate(&def, r), vec![], "{r:?}");
        }
        assert!(all.iter().any(|r| r.answers.contains_key("story")));
    }

    #[tokio::test]
    async fn seeding_twice_stores_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(seed(&store).await.unwrap(), DEMO_RESPONSES);
        assert_eq!(seed(&store).await.unwrap(), 0);
        assert_eq!(store.response_count(DEFAULT_SURVEY_ID).unwrap(), u64::from(DEMO_RESPONSES));
        store.shutdown().await;
    }
}
