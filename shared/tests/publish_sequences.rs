//! The publishing rule over time: responses arrive one by one, new versions are published, waves
//! open and close in between, and every output is fetched after every step — all versions and
//! waves together, each version, each wave, the trend across waves, the stories list, the
//! headlines the results embed shows staff, and what a viewer limited to some contexts reads. The
//! store's release rule is modelled as the store keeps it: a wave's figures are its live counters
//! (its answers used only once it closes), and a group without a wave is a snapshot taken each time
//! it has `k` more responses than at its last release ([`release_due`]).
//!
//! For a group (a version, a wave and a context) that is hidden at the end, a twin history is made
//! in which that group's answers differ (or it has other people in it); and for the latest arrivals
//! of any group (those since its last release, or everyone in a wave still open), a twin in which
//! their answers, story, value tags and consent differ, or they never answered. If every output ever
//! fetched is the same in both histories, nothing about the hidden group, or about one of the
//! latest arrivals, can be worked out from all of them together, by any arithmetic.

use proptest::prelude::*;
use pulse_shared::headlines::{headlines, HeadlineInput, Sharing};
use pulse_shared::results::TallyCounts;
use pulse_shared::trend::scoped_trend;
use pulse_shared::{
    publish, release_due, tally_keys, trend, Answer, Date, Lang, SubmissionId, SurveyDefinition, SurveyResponse, Text,
    VersionCounts, Wave,
};

const K: u64 = 5;

/// Version `n` of a small survey: a required choice (gaining an option from version 2, so it is not
/// added up across that change), an optional multiple choice, an optional two-row matrix (carrying
/// the bank id of the Staff Survey's motivation questions, so it gives NHS scores), a story with
/// value tags. Both contexts are in one division, so that a division less its shown context is
/// among the differences any pair of outputs can be taken apart by.
fn definition(version: u32) -> SurveyDefinition {
    let mut options = vec![("a", "A"), ("b", "B"), ("c", "C")];
    if version >= 2 {
        options.push(("d", "D"));
    }
    let choice = |(id, label): &(&str, &str)| serde_json::json!({"id": id, "label": label});
    serde_json::from_value(serde_json::json!({
        "id": "pulse", "version": version, "title": "Pulse", "k": K,
        "contexts": [{"id": "x", "label": "X", "division": "d"}, {"id": "y", "label": "Y", "division": "d"}],
        "divisions": [{"id": "d", "label": "D"}],
        "questions": [
            {"id": "q1", "prompt": "Q1", "required": true, "type": "single_choice",
             "options": options.iter().map(choice).collect::<Vec<_>>()},
            {"id": "q2", "prompt": "Q2", "type": "multiple_choice",
             "options": [choice(&("m", "M")), choice(&("n", "N")), choice(&("o", "O"))]},
            // From the question bank, so the NHS motivation and engagement scores are outputs too.
            {"id": "q3", "prompt": "Q3", "type": "likert_matrix", "bank": "nhsss-motivation",
             "rows": [choice(&("r", "R")), choice(&("s", "S"))],
             "scale": ["1", "2", "3", "4", "5"]},
            {"id": "story", "prompt": "Story", "type": "free_text", "max_words": 50},
            {"id": "tags", "prompt": "Tags", "type": "value_tags", "show_if": {"question": "story"}},
            {"id": "consent", "prompt": "Share?", "type": "consent", "of": "story", "label": "Yes",
             "show_if": {"question": "story"}},
        ],
    }))
    .unwrap()
}

#[derive(Debug, Clone)]
struct Said {
    /// 0: x, 1: y, 2: no context.
    context: u8,
    q1: u8,
    q2: u8,
    q3: [u8; 2],
    story: bool,
    tags: u8,
    consent: bool,
}

#[derive(Debug, Clone)]
enum Event {
    Respond(Said),
    Publish,
    /// The next wave opens (the first one after responses from before waves), and the one before
    /// it has closed.
    Wave,
    /// The wave open now closes: responses until the next wave are refused.
    Close,
}

fn said() -> impl Strategy<Value = Said> {
    (0u8..3, 0u8..4, 0u8..8, (0u8..6, 0u8..6), any::<bool>(), 1u8..64, any::<bool>()).prop_map(
        |(context, q1, q2, (r, s), story, tags, consent)| Said { context, q1, q2, q3: [r, s], story, tags, consent },
    )
}

fn events() -> impl Strategy<Value = Vec<Event>> {
    proptest::collection::vec(
        prop_oneof![
            14 => said().prop_map(Event::Respond),
            1 => Just(Event::Publish),
            1 => Just(Event::Wave),
            1 => Just(Event::Close),
        ],
        1..100,
    )
}

fn response(def: &SurveyDefinition, said: &Said) -> SurveyResponse {
    let mut answers = pulse_shared::Answers::new();
    let options = def.question("q1").unwrap().kind.option_ids();
    answers.insert("q1".to_string(), Answer::Text(options[said.q1 as usize % options.len()].to_string()));
    let chosen: Vec<String> = ["m", "n", "o"]
        .iter()
        .enumerate()
        .filter(|(i, _)| said.q2 & (1 << i) != 0)
        .map(|(_, o)| o.to_string())
        .collect();
    if !chosen.is_empty() {
        answers.insert("q2".to_string(), Answer::List(chosen));
    }
    let rows: pulse_shared::Points =
        ["r", "s"].iter().zip(said.q3).filter(|(_, p)| *p > 0).map(|(r, p)| (r.to_string(), p)).collect();
    if !rows.is_empty() {
        answers.insert("q3".to_string(), Answer::Matrix(rows));
    }
    if said.story {
        answers.insert("story".to_string(), Answer::Text("We helped.".into()));
        let values = pulse_shared::NhsValue::ALL.iter().enumerate().filter(|(i, _)| said.tags & (1 << i) != 0);
        answers.insert("tags".to_string(), Answer::List(values.map(|(_, v)| v.id().to_string()).collect()));
        if said.consent {
            answers.insert("consent".to_string(), Answer::Text(pulse_shared::CONSENT_YES.into()));
        }
    }
    SurveyResponse {
        submission_id: SubmissionId([0; 16]),
        survey_version: def.version,
        context: match said.context {
            0 => Some("x".into()),
            1 => Some("y".into()),
            _ => None,
        },
        answers,
    }
}

/// Wave `n` (1-based): a week each.
fn wave(n: usize) -> Wave {
    let day = |d: i64| Date::from_days_since_epoch(20_000 + d);
    let opens = 7 * n as i64;
    Wave { id: format!("w{n}"), label: Text::from(format!("Wave {n}")), opens: day(opens), closes: day(opens + 6) }
}

/// The counters of one version, by wave: index 0 holds the responses from before waves.
type ByWave = Vec<TallyCounts>;

/// A stored story: the version it answered, its wave's id, its context, its values and consent,
/// and its response's number among all responses (to find whether it is waiting for a release).
struct Stored {
    version: u32,
    wave: String,
    context: Option<String>,
    values: Answer,
    consent: bool,
    response: usize,
}

/// Every output after every step of `history`, as JSON — the results of every view (which hold the
/// survey list's total), the trend, whether stories may be read, the stories list as an admin
/// reads it (each story's values and consent, in a fixed order where the server shuffles), the
/// headlines, and what viewers limited to x, y, or both read — and the final live counters by
/// version and wave; and, apart, what the viewer limited to x reads at each step, and every output
/// but the views of waves still open (whose numbers of responses follow participation). A response
/// with context 9 is not stored (its step still fetches everything), nor one while no wave is open
/// after one has closed.
fn outputs(history: &[Event]) -> (Vec<String>, Vec<ByWave>, Vec<String>, Vec<String>) {
    let mut defs = vec![definition(1)];
    let mut waves: Vec<Wave> = Vec::new();
    let mut counts: Vec<ByWave> = vec![vec![TallyCounts::new()]];
    // Each version's released counters without a wave (the store's `released` table), and the
    // responses without a wave that wait for their group's next release.
    let mut released: Vec<TallyCounts> = vec![TallyCounts::new()];
    let mut waiting: std::collections::HashSet<usize> = Default::default();
    let mut waiting_in: std::collections::HashMap<(usize, String), Vec<usize>> = Default::default();
    let mut stories: Vec<Stored> = Vec::new();
    let mut today = Date::from_days_since_epoch(20_000);
    let mut accepting = true;
    let (mut fetched, mut x_lead, mut closed_only) = (Vec::new(), Vec::new(), Vec::new());
    for (n, event) in history.iter().enumerate() {
        match event {
            Event::Publish => {
                defs.push(definition(defs.len() as u32 + 1));
                counts.push(vec![TallyCounts::new(); waves.len() + 1]);
                released.push(TallyCounts::new());
            }
            Event::Wave => {
                waves.push(wave(waves.len() + 1));
                today = waves.last().unwrap().opens;
                accepting = true;
                for by_wave in &mut counts {
                    by_wave.push(TallyCounts::new());
                }
            }
            Event::Close => {
                if let Some(w) = waves.last() {
                    today = Date::from_days_since_epoch(w.closes.days_since_epoch() + 1);
                    accepting = false;
                }
            }
            Event::Respond(said) if said.context == 9 || !accepting => {}
            Event::Respond(said) => {
                let def = defs.last().unwrap();
                let response = response(def, said);
                assert!(pulse_shared::validate(def, &response).is_empty(), "{said:?}");
                let context = response.context.clone().unwrap_or_default();
                let version = defs.len() - 1;
                let current = counts[version].last_mut().unwrap();
                for key in tally_keys(def, &response) {
                    *current.entry((context.clone(), key)).or_default() += 1;
                }
                if waves.is_empty() {
                    // The writer's release, in the same step as the response that makes it due.
                    let live = current.get(&(context.clone(), "".parse().unwrap())).copied().unwrap_or(0);
                    let before = released[version].get(&(context.clone(), "".parse().unwrap())).copied().unwrap_or(0);
                    let group = waiting_in.entry((version, context.clone())).or_default();
                    group.push(n);
                    waiting.insert(n);
                    if release_due(live, before, K as u32) {
                        released[version].retain(|(c, _), _| *c != context);
                        for ((c, key), count) in current.iter().filter(|((c, _), _)| *c == context) {
                            released[version].insert((c.clone(), key.clone()), *count);
                        }
                        for r in group.drain(..) {
                            waiting.remove(&r);
                        }
                    }
                }
                if let Some(values) = response.answers.get("tags") {
                    stories.push(Stored {
                        version: def.version,
                        wave: waves.last().map(|w| w.id.clone()).unwrap_or_default(),
                        context: response.context.clone(),
                        values: values.clone(),
                        consent: response.answers.contains_key("consent"),
                        response: n,
                    });
                }
            }
        }
        let ids: Vec<String> = std::iter::once(String::new()).chain(waves.iter().map(|w| w.id.clone())).collect();
        let views: Vec<VersionCounts> = defs
            .iter()
            .zip(&counts)
            .zip(&released)
            .map(|((definition, by_wave), released)| VersionCounts {
                definition,
                waves: ids
                    .iter()
                    .map(String::as_str)
                    .zip(by_wave)
                    .enumerate()
                    .map(|(w, (id, live))| (id, if w == 0 { released } else { live }))
                    .collect(),
            })
            .collect();
        let p = publish(&views, &waves, &[], today);
        if p.combined.responses.is_some() {
            let scores: Vec<&str> = p.combined.scores.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(scores, ["engagement", "motivation"], "the scores are among the outputs compared");
        }
        // A division's figures are its shown contexts' added up, and nothing else.
        for r in std::iter::once(&p.combined).chain(&p.versions).chain(&p.waves) {
            assert!(r.columns.iter().any(|c| c.id == "division:d" && c.division));
            for q in &r.questions {
                let (x, y) = (q.respondents.get("x"), q.respondents.get("y"));
                let sum = if x.is_none() && y.is_none() { None } else { Some(x.unwrap_or(0) + y.unwrap_or(0)) };
                assert_eq!(q.respondents.get("division:d"), sum, "{}", q.id);
            }
        }
        let trend = trend(&p.combined, &p.waves);
        let mut listed: Vec<String> = stories
            .iter()
            .filter(|s| !waiting.contains(&s.response))
            .filter(|s| p.shows_story_from(s.version, &s.wave, s.context.as_deref()))
            .map(|s| format!("{:?} {}", s.values, s.consent))
            .collect();
        listed.sort();
        // The results embed's headlines as staff fetch them today, for everyone and each context.
        let sharing = Sharing { questions: ["q1", "q2", "q3"].map(String::from).to_vec(), notes: Vec::new() };
        let def = defs.last().unwrap();
        let mut staff = Vec::new();
        for context in [None, Some("x"), Some("y")] {
            let input = HeadlineInput { def, sharing: &sharing, waves: &waves, today, lang: Lang::En, context };
            staff.push(headlines(&input, &p.combined, &p.waves, Some(&trend)));
        }
        // What a viewer limited to some contexts (a directorate lead) reads: every view, scoped.
        let scoped = |scope: &[&str]| {
            let scope: Vec<String> = scope.iter().map(|s| s.to_string()).collect();
            let all = std::iter::once(&p.combined).chain(&p.versions).chain(&p.waves);
            all.map(|r| r.clone().scoped(&scope, pulse_shared::Lang::En)).collect::<Vec<_>>()
        };
        let leads = (scoped(&["x"]), scoped(&["y"]), scoped(&["x", "y"]));
        let lead_trends: Vec<_> = [&["x"][..], &["y"], &["x", "y"]]
            .iter()
            .map(|scope| scoped_trend(&p.combined, &p.waves, &scope.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
            .collect();
        fetched.push(
            serde_json::to_string(&(
                &p.combined,
                &p.versions,
                &p.waves,
                &trend,
                p.stories,
                &listed,
                &staff,
                &leads,
                &lead_trends,
            ))
            .unwrap(),
        );
        let closed = |r: &&pulse_shared::results::SurveyResults| !r.wave.as_ref().is_some_and(|w| w.open);
        let closed_waves: Vec<_> = p.waves.iter().filter(closed).collect();
        let closed_leads: Vec<Vec<_>> =
            [&leads.0, &leads.1, &leads.2].iter().map(|l| l.iter().filter(closed).collect()).collect();
        closed_only.push(
            serde_json::to_string(&(
                &p.combined,
                &p.versions,
                closed_waves,
                &trend,
                p.stories,
                &listed,
                &staff,
                closed_leads,
                &lead_trends,
            ))
            .unwrap(),
        );
        // Whether anyone answered before the first wave is the survey's, not a group's: the view of
        // those responses exists for every admin or for none, so x's lead is compared without it.
        let without_before: Vec<_> =
            leads.0.iter().filter(|r| r.wave.as_ref().is_none_or(|w| w.id != "_before")).collect();
        // Their trend and response rates, made from their scoped results, likewise without it.
        let mut x_trend = scoped_trend(&p.combined, &p.waves, &["x".to_string()]);
        let before = |wave: &str| wave == "_before";
        x_trend.waves.retain(|w| !before(&w.id));
        // Its note says whether the survey has waves to follow yet: the survey's, as above.
        x_trend.note = Default::default();
        x_trend.participation.iter_mut().for_each(|s| s.waves.retain(|p| !before(&p.wave)));
        for line in x_trend.questions.iter_mut().flat_map(|q| q.lines.iter_mut()).chain(x_trend.scores.iter_mut()) {
            line.series.iter_mut().for_each(|s| s.points.retain(|p| !before(&p.wave)));
        }
        x_lead.push(serde_json::to_string(&(&without_before, &x_trend)).unwrap());
    }
    (fetched, counts, x_lead, closed_only)
}

/// The responses (by their number in `history`) not yet in a release at the end of it: in each
/// group without a wave, those after its last release; and everyone in a wave still open.
fn latest_arrivals(history: &[Event]) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut version, mut waves, mut open, mut accepting) = (0usize, 0usize, false, true);
    // Per group without a wave: its live responses, and those since its last release.
    let mut unwaved: std::collections::HashMap<(usize, u8), (u64, u64, Vec<usize>)> = Default::default();
    let mut in_open_wave: Vec<usize> = Vec::new();
    for (n, e) in history.iter().enumerate() {
        match e {
            Event::Publish => version += 1,
            Event::Wave => {
                waves += 1;
                open = true;
                accepting = true;
                in_open_wave.clear();
            }
            Event::Close => {
                if waves > 0 {
                    open = false;
                    accepting = false;
                    in_open_wave.clear();
                }
            }
            Event::Respond(s) if s.context == 9 || !accepting => {}
            Event::Respond(s) if waves == 0 => {
                let (live, released, since) = unwaved.entry((version, s.context)).or_default();
                *live += 1;
                since.push(n);
                if release_due(*live, *released, K as u32) {
                    *released = *live;
                    since.clear();
                }
            }
            Event::Respond(_) => {
                if open {
                    in_open_wave.push(n);
                }
            }
        }
    }
    for (_, _, since) in unwaved.into_values() {
        out.extend(since);
    }
    out.extend(in_open_wave);
    out.sort_unstable();
    out
}

/// The version and wave (0-based; wave 0 is before waves) each event happens in.
fn groups_of(history: &[Event]) -> Vec<(usize, usize)> {
    let (mut v, mut w) = (0, 0);
    history
        .iter()
        .map(|e| {
            match e {
                Event::Publish => v += 1,
                Event::Wave => w += 1,
                Event::Respond(_) | Event::Close => {}
            }
            (v, w)
        })
        .collect()
}

fn count(counts: &[ByWave], version: usize, wave: usize, context: &str, key: &str) -> u64 {
    counts[version][wave].get(&(context.to_string(), key.parse().unwrap())).copied().unwrap_or(0)
}

fn context_id(c: u8) -> &'static str {
    ["x", "y", ""][c as usize]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Changing the answers of a group hidden for a question changes no output, ever.
    #[test]
    fn a_hidden_groups_answers_leave_no_trace(history in events(), target in (0usize..8, 0usize..8, 0u8..3, 0usize..3), shift in 1u8..4) {
        let (fetched, counts, _, _) = outputs(&history);
        let (version, wave, context, question) = target;
        let version = version % counts.len();
        let wave = wave % counts[version].len();
        let q = ["q1", "q2", "q3"][question];
        let answered = count(&counts, version, wave, context_id(context), q);
        prop_assume!(answered > 0 && answered < K);
        let at = groups_of(&history);
        let twin: Vec<Event> = history.iter().zip(&at).map(|(e, &g)| match e {
            Event::Respond(s) if g == (version, wave) && s.context == context => {
                let mut s = s.clone();
                match question {
                    0 => s.q1 = (s.q1 + shift) % 4,
                    1 if s.q2 != 0 => s.q2 = (s.q2 + shift - 1) % 7 + 1,
                    2 => s.q3 = s.q3.map(|p| if p == 0 { 0 } else { (p + shift - 1) % 5 + 1 }),
                    _ => {}
                }
                Event::Respond(s)
            }
            other => other.clone(),
        }).collect();
        let (twin_fetched, _, _, _) = outputs(&twin);
        for (step, (a, b)) in fetched.iter().zip(&twin_fetched).enumerate() {
            prop_assert!(a == b, "step {} differs", step);
        }
    }

    /// A group hidden for its number of responses can be anyone: with fewer people in it, story
    /// writers included, every output is the same, the stories list too.
    #[test]
    fn a_hidden_groups_size_leaves_no_trace(history in events(), target in (0usize..8, 0usize..8, 0u8..3), drop_every in 1usize..3) {
        let (fetched, counts, _, _) = outputs(&history);
        let (version, wave, context) = target;
        let version = version % counts.len();
        let wave = wave % counts[version].len();
        let responses = count(&counts, version, wave, context_id(context), "");
        prop_assume!(responses > 0 && responses < K);
        let at = groups_of(&history);
        let mut seen = 0;
        let mut twin = Vec::new();
        for (e, &g) in history.iter().zip(&at) {
            if let Event::Respond(s) = e {
                if g == (version, wave) && s.context == context {
                    seen += 1;
                    if seen % drop_every == 0 {
                        // Dropped from the twin; its step still fetches the outputs.
                        twin.push(Event::Respond(Said { context: 9, ..s.clone() }));
                        continue;
                    }
                }
            }
            twin.push(e.clone());
        }
        prop_assume!(seen > 0);
        let (twin_fetched, _, _, _) = outputs(&twin);
        for (step, (a, b)) in fetched.iter().zip(&twin_fetched).enumerate() {
            prop_assert!(a == b, "step {} differs", step);
        }
    }

    /// A viewer limited to context x reads nothing of anyone else: whatever the people of y, or
    /// of no context, answer, and however many of them there are, x's lead reads the same.
    #[test]
    fn a_lead_reads_nothing_of_other_groups(history in events(), shift in 1u8..4, drop_every in 1usize..4) {
        let (_, _, x_lead, _) = outputs(&history);
        let mut seen = 0;
        let twin: Vec<Event> = history.iter().map(|e| match e {
            Event::Respond(s) if s.context == 1 || s.context == 2 => {
                seen += 1;
                let mut s = s.clone();
                s.q1 = (s.q1 + shift) % 4;
                s.q3 = s.q3.map(|p| if p == 0 { 0 } else { (p + shift - 1) % 5 + 1 });
                if seen % drop_every == 0 {
                    s.context = 9;
                }
                Event::Respond(s)
            }
            other => other.clone(),
        }).collect();
        let (_, _, twin_lead, _) = outputs(&twin);
        for (step, (a, b)) in x_lead.iter().zip(&twin_lead).enumerate() {
            prop_assert!(a == b, "step {} differs for x's lead:\n{}\n{}", step, a, b);
        }
    }

    /// One of the latest arrivals — in a group without a wave since its last release, or anyone
    /// in a wave still open — can be anyone: whatever they answered, whether they wrote a story,
    /// its value tags and consent, every output fetched at every step is the same; and had they
    /// never answered, every output is too, but for the numbers of responses of a wave still open.
    #[test]
    fn the_latest_arrivals_leave_no_trace(history in events(), pick in 0usize..64, shift in 1u8..4, drop in any::<bool>()) {
        let latest = latest_arrivals(&history);
        prop_assume!(!latest.is_empty());
        let who = latest[pick % latest.len()];
        let twin: Vec<Event> = history.iter().enumerate().map(|(n, e)| match e {
            Event::Respond(s) if n == who => {
                let mut s = s.clone();
                if drop {
                    s.context = 9;
                } else {
                    s.q1 = (s.q1 + shift) % 4;
                    s.q2 = (s.q2 + shift) % 8;
                    s.q3 = s.q3.map(|p| (p + shift) % 6);
                    s.story = !s.story;
                    s.tags = s.tags % 63 + 1;
                    s.consent = !s.consent;
                }
                Event::Respond(s)
            }
            other => other.clone(),
        }).collect();
        let (fetched, _, _, closed) = outputs(&history);
        let (twin_fetched, _, _, twin_closed) = outputs(&twin);
        let (a, b) = if drop { (&closed, &twin_closed) } else { (&fetched, &twin_fetched) };
        for (step, (a, b)) in a.iter().zip(b).enumerate() {
            prop_assert!(a == b, "step {} differs for response {}", step, who);
        }
    }
}
