//! Made-up responses for trying Values Pulse out (`pulse serve --demo`): enough, and varied enough,
//! that the dashboard has charts to show, in three quarterly waves that have closed, so it has a
//! trend too, and a fourth open now (its numbers of responses shown, its answers waiting for its
//! close). They go through the same checks, scrubbing and store as real responses, with
//! fixed submission ids, so seeding twice stores them once.

use pulse_shared::default_survey::{constitution, DEFAULT_SURVEY_ID};
use pulse_shared::{validate, Answer, Date, NhsValue, SubmissionId, SurveyResponse, Text, Wave};

use crate::public::responses::{store_checked, today};
use crate::store::{NewWave, Store, StoreError, Stored};

/// How many demo responses are seeded in the latest closed wave (and without waves, by [`seed`]).
pub const DEMO_RESPONSES: u32 = 120;

/// The demo's waves: (id, English and Welsh names, first and last day as days before the first
/// seeding, responses, the number of its answers' pattern in [`wave_responses`]). Fewer people
/// answered the first, so a small team is hidden there; the last is open for three more weeks.
const WAVES: [(&str, &str, &str, i64, i64, u32, u32); 4] = [
    ("spring", "Spring pulse", "Pwls y gwanwyn", 182, 161, 60, 1),
    ("summer", "Summer pulse", "Pwls yr haf", 91, 70, 90, 2),
    ("autumn", "Autumn pulse", "Pwls yr hydref", 40, 19, DEMO_RESPONSES, 0),
    ("winter", "Winter pulse", "Pwls y gaeaf", 5, -21, 45, 3),
];

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

/// The photo or video link that goes with the demo's story about discharge letters (its index in
/// [`STORIES`]), as a story may carry one.
const LINKED_STORY: (usize, &str, &str) =
    (6, "https://www.youtube.com/@NHSEngland", "Films of NHS staff living the NHS values");

/// A small deterministic generator, so the demo data is the same every time.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// The demo responses of the current wave, valid against the default survey.
pub fn responses() -> Vec<SurveyResponse> {
    wave_responses(0, DEMO_RESPONSES, true)
}

/// `count` demo responses in pattern `wave` (0 for the latest closed wave, then earlier ones; 3 for
/// the open one), with stories or without. Awareness of the Constitution grows from wave to wave.
fn wave_responses(wave: u32, count: u32, stories: bool) -> Vec<SurveyResponse> {
    let def = constitution();
    let mut rng = Lcg(2026 + u64::from(wave));
    let contexts = ["clinical", "clinical", "clinical", "community", "community", "corporate", "estates", "estates"];
    let awareness_by_wave: [&[&str]; 4] = [
        &["not_heard", "heard_not_content", "heard_not_content", "know_whats_in_it"],
        &["not_heard", "not_heard", "heard_not_content", "know_whats_in_it"],
        &["not_heard", "not_heard", "heard_not_content", "heard_not_content"],
        &["not_heard", "heard_not_content", "know_whats_in_it", "know_whats_in_it"],
    ];
    (0..count)
        .map(|n| {
            let mut answers = pulse_shared::Answers::new();
            let choices = awareness_by_wave[wave as usize];
            let awareness = choices[rng.next(choices.len() as u64) as usize];
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
            if stories && rng.next(4) == 0 {
                let pick = rng.next(STORIES.len() as u64) as usize;
                let (text, values) = STORIES[pick];
                let story = match LINKED_STORY {
                    (i, link, caption) if i == pick => {
                        Answer::Story { text: text.into(), link: link.into(), caption: caption.into() }
                    }
                    _ => Answer::Text(text.into()),
                };
                answers.insert("story".to_string(), story);
                answers
                    .insert("story_values".to_string(), Answer::List(values.iter().map(|v| v.to_string()).collect()));
                // Most writers agree to share, so the moderation queue has stories to try.
                if rng.next(3) != 0 {
                    answers.insert("story_consent".to_string(), Answer::Text(pulse_shared::CONSENT_YES.into()));
                }
            }
            let context = contexts[rng.next(contexts.len() as u64) as usize];
            demo_response(&def, *b"demo", wave, n, context, answers)
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

/// Stores the demo in waves: three that have closed and one open now, each with its responses and
/// headcounts; the last two with stories. Only into a survey that has no responses and no waves
/// yet (a fresh demo database); returns how many responses were stored.
pub async fn seed_waves(store: &Store) -> Result<u32, StoreError> {
    if !store.waves(DEFAULT_SURVEY_ID).is_empty() || store.response_count(DEFAULT_SURVEY_ID)? > 0 {
        return seed(store).await;
    }
    let def = store.survey_version(DEFAULT_SURVEY_ID, 1).map(|s| s.definition.clone()).unwrap_or_else(constitution);
    let today = today();
    let day = |before: i64| Date::from_days_since_epoch(today.days_since_epoch() - before);
    let mut new = 0;
    for (i, (id, en, cy, opens, closes, count, pattern)) in WAVES.into_iter().enumerate() {
        let wave = Wave { id: id.into(), label: Text::both(en, cy), opens: day(opens), closes: day(closes) };
        let responses = wave_responses(pattern, count, i >= 2);
        let headcounts = [("clinical", 120), ("community", 80), ("corporate", 30), ("estates", 60)];
        new += seed_wave(store, &def, wave, responses, headcounts.map(|(c, h)| (c, h + 10 * i as u64))).await?;
    }
    store.set_sharing(DEFAULT_SURVEY_ID, demo_sharing()).await?;
    Ok(new + seed_engagement(store).await?)
}

/// A demo response: its submission id made from the survey's tag, the wave and its number, so
/// seeding again stores nothing new.
fn demo_response(
    def: &pulse_shared::SurveyDefinition,
    tag: [u8; 4],
    wave: u32,
    n: u32,
    context: &str,
    answers: pulse_shared::Answers,
) -> SurveyResponse {
    let mut id = [0u8; 16];
    id[..4].copy_from_slice(&tag);
    id[4] = wave as u8;
    id[12..].copy_from_slice(&n.to_be_bytes());
    let response = SurveyResponse {
        submission_id: SubmissionId(id),
        survey_version: def.version,
        context: Some(context.to_string()),
        answers,
    };
    debug_assert!(validate(def, &response).is_empty());
    response
}

/// The demo's second survey: the NHS Staff Survey's nine engagement questions from the question
/// bank, asked quarterly in the same contexts, so its results carry the NHS engagement scores.
pub const ENGAGEMENT_SURVEY_ID: &str = "staff-pulse";

/// The quarterly pulse as an OD lead would set it up from the editor's template.
pub fn engagement_survey() -> pulse_shared::SurveyDefinition {
    let mut def = pulse_shared::bank::Template::Engagement.build(ENGAGEMENT_SURVEY_ID);
    def.contexts = constitution().contexts;
    // Reported by division too, as a trust's board reads it.
    def.divisions = vec![
        pulse_shared::Division { id: "patient-care".into(), label: Text::both("Patient care", "Gofal cleifion") },
        pulse_shared::Division { id: "support".into(), label: Text::both("Support services", "Gwasanaethau cymorth") },
    ];
    for c in &mut def.contexts {
        let care = c.id == "clinical" || c.id == "community";
        c.division = Some(if care { "patient-care" } else { "support" }.into());
    }
    def.version = 1;
    def
}

/// `count` answers to the quarterly pulse in wave `wave` (0, 1, 2 …): each context leans its own
/// way (community warmest, estates coolest), and involvement rises from wave to wave.
pub fn engagement_responses(wave: u32, count: u32) -> Vec<SurveyResponse> {
    let def = engagement_survey();
    let mut rng = Lcg(7000 + u64::from(wave));
    let contexts = [
        ("clinical", 0i64),
        ("clinical", 0),
        ("clinical", 0),
        ("community", 1),
        ("community", 1),
        ("corporate", 0),
        ("estates", -1),
        ("estates", -1),
    ];
    (0..count)
        .map(|n| {
            let (context, lean) = contexts[rng.next(contexts.len() as u64) as usize];
            let mut answers = pulse_shared::Answers::new();
            for q in &def.questions {
                let pulse_shared::QuestionKind::LikertMatrix { rows, .. } = &q.kind else { continue };
                let rise = if q.id == "involvement" { i64::from(wave) } else { 0 };
                let mut points = pulse_shared::Points::new();
                for r in rows {
                    // Now and then a statement is left unanswered.
                    if rng.next(12) != 0 {
                        let p = 2 + rng.next(3) as i64 + lean + (rise + rng.next(3) as i64) / 3;
                        points.insert(r.id.clone(), p.clamp(1, 5) as u8);
                    }
                }
                if !points.is_empty() {
                    answers.insert(q.id.clone(), Answer::Matrix(points));
                }
            }
            demo_response(&def, *b"eng.", wave, n, context, answers)
        })
        .collect()
}

/// The quarterly pulse with three closed waves, their headcounts, and answers in each.
pub async fn seed_engagement(store: &Store) -> Result<u32, StoreError> {
    if store.survey(ENGAGEMENT_SURVEY_ID).is_some() {
        return Ok(0);
    }
    let def = engagement_survey();
    store.publish(def.clone()).await?;
    let today = today();
    let day = |before: i64| Date::from_days_since_epoch(today.days_since_epoch() - before);
    let mut new = 0;
    for (i, (id, en, cy, opens, closes, count, _)) in WAVES.into_iter().take(3).enumerate() {
        let wave = Wave { id: id.into(), label: Text::both(en, cy), opens: day(opens), closes: day(closes) };
        let responses = engagement_responses(i as u32, count + 40);
        let headcounts = [("clinical", 140), ("community", 90), ("corporate", 40), ("estates", 70)];
        new += seed_wave(store, &def, wave, responses, headcounts.map(|(c, h)| (c, h + 10 * i as u64))).await?;
    }
    Ok(new)
}

/// One wave of a demo survey: added on its first day, as an admin would have (so its window was not
/// in the past), its responses spread over its first days (never after today), and its
/// headcounts. Returns how many responses were new.
async fn seed_wave(
    store: &Store,
    def: &pulse_shared::SurveyDefinition,
    wave: Wave,
    responses: Vec<SurveyResponse>,
    headcounts: [(&str, u64); 4],
) -> Result<u32, StoreError> {
    let (id, opens) = (wave.id.clone(), wave.opens);
    store.add_wave(NewWave { survey: def.id.clone(), wave, today: opens, adopt: false }).await?;
    let today = today();
    let mut new = 0;
    for (n, response) in responses.into_iter().enumerate() {
        let on = Date::from_days_since_epoch((opens.days_since_epoch() + n as i64 % 7).min(today.days_since_epoch()));
        if let Stored::New(_) = store_checked(store, def, response, on).await? {
            new += 1;
        }
    }
    let headcounts =
        headcounts.map(|(c, h)| pulse_shared::Headcount { wave: id.clone(), context: c.into(), headcount: h });
    store.set_headcounts(&def.id, headcounts.to_vec()).await?;
    Ok(new)
}

/// What the demo shares with staff: three questions, and what was done about the summer's results.
fn demo_sharing() -> pulse_shared::headlines::Sharing {
    let note = |wave: Option<&str>, said: (&str, &str), did: (&str, &str)| pulse_shared::headlines::Note {
        wave: wave.map(String::from),
        you_said: Text::both(said.0, said.1),
        we_did: Text::both(did.0, did.1),
    };
    pulse_shared::headlines::Sharing {
        questions: ["awareness", "values_lived", "shared_purpose"].map(String::from).to_vec(),
        notes: vec![
            note(
                Some("summer"),
                (
                    "Fewer than half of you knew what is in the NHS Constitution.",
                    "Roedd llai na hanner ohonoch chi'n gwybod beth sydd yng Nghyfansoddiad y GIG.",
                ),
                (
                    "It is now part of every induction, and each directorate held a values session in September.",
                    "Mae bellach yn rhan o bob cyfnod sefydlu, a chynhaliodd pob cyfarwyddiaeth sesiwn gwerthoedd ym mis Medi.",
                ),
            ),
            note(
                None,
                (
                    "You asked to see what comes of your answers.",
                    "Gofynnoch chi am gael gweld beth sy'n dod o'ch atebion.",
                ),
                (
                    "We share the results of every wave here, and what we are doing about them.",
                    "Rydyn ni'n rhannu canlyniadau pob ton yma, a'r hyn rydyn ni'n ei wneud amdanyn nhw.",
                ),
            ),
        ],
    }
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
    async fn the_demo_in_waves_has_a_trend_with_a_hidden_point_and_a_clear_change() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // The values survey's four waves, then the quarterly pulse's three (40 more in each).
        assert_eq!(seed_waves(&store).await.unwrap(), 60 + 90 + DEMO_RESPONSES + 45 + 100 + 130 + DEMO_RESPONSES + 40);
        assert_eq!(seed_waves(&store).await.unwrap(), 0, "seeding again stores nothing");
        let publication = store.publication(DEFAULT_SURVEY_ID).unwrap().unwrap();
        let trend = pulse_shared::trend(&publication.combined, &publication.waves);
        assert_eq!(trend.waves.iter().map(|w| w.id.as_str()).collect::<Vec<_>>(), ["spring", "summer", "autumn"]);
        let corporate = trend.participation.iter().find(|p| p.column == "corporate").unwrap();
        assert!(corporate.waves[0].responses.is_none(), "corporate is hidden in spring: {corporate:?}");
        assert!(corporate.waves[2].responses.is_some() && corporate.waves[2].rate.rate.is_some(), "{corporate:?}");
        let awareness = trend.questions.iter().find(|q| q.id == "awareness").unwrap();
        let knows = awareness.lines.iter().find(|l| l.id == "know_whats_in_it").unwrap();
        let all = knows.series.iter().find(|s| s.column == "all").unwrap();
        let changes: Vec<_> = all.points.iter().filter_map(|p| p.change.as_ref().map(|c| c.direction)).collect();
        assert!(changes.contains(&pulse_shared::trend::Direction::Up), "{all:?}");
        assert!(store.check().unwrap().mismatches.is_empty());
        store.shutdown().await;
    }

    #[tokio::test]
    async fn the_quarterly_pulse_gives_nhs_scores_that_move_and_survive_a_schema_5_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(seed_engagement(&store).await.unwrap(), 100 + 130 + DEMO_RESPONSES + 40);
        let publication = store.publication(ENGAGEMENT_SURVEY_ID).unwrap().unwrap();
        let ids: Vec<&str> = publication.combined.scores.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["engagement", "motivation", "involvement", "advocacy"]);
        let engagement = &publication.combined.scores[0];
        let all = engagement.all.unwrap();
        assert!(all.low < all.value && all.value < all.high && all.high <= 10.0, "{all:?}");
        assert_eq!(engagement.respondents.all, Some(all.of));
        let (community, estates) = (engagement.get("community").unwrap(), engagement.get("estates").unwrap());
        assert!(community.value > estates.value + 1.0, "the contexts lean their own ways: {community:?} {estates:?}");
        let trend = pulse_shared::trend(&publication.combined, &publication.waves);
        let involvement = trend.scores.iter().find(|l| l.id == "involvement").unwrap();
        let all = involvement.series.iter().find(|s| s.column == "all").unwrap();
        let changes: Vec<_> = all.points.iter().filter_map(|p| p.change.as_ref().map(|c| c.direction)).collect();
        assert!(changes.contains(&pulse_shared::trend::Direction::Up), "{all:?}");
        assert!(store.check().unwrap().mismatches.is_empty());
        store.shutdown().await;
        drop(store);
        crate::store::testing::downgrade_to_schema_5(&dir.path().join(crate::config::DATABASE_FILE));
        let store = Store::open(dir.path()).unwrap();
        assert!(store.publication(ENGAGEMENT_SURVEY_ID).unwrap().unwrap().combined == publication.combined);
        assert!(store.check().unwrap().mismatches.is_empty());
        store.shutdown().await;
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
