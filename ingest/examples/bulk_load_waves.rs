//! Loads N choice-only responses into survey `waves-bench` — the default survey with 20 contexts and
//! (for 8 waves) the NHS Staff Survey's nine engagement questions, so its results carry the NHS
//! scores, and its contexts in four divisions of five — over 8 quarterly waves, through the store's own write path, for the waves-at-scale benchmark.
//! Contexts and waves are uneven on purpose: the smallest context is hidden in some waves.
//! With a third argument W, it loads W waves instead (fortnightly, for the benchmark at the wave limit).
//! `cargo run --release --example bulk_load_waves -- DIR N [W]`
use pulse_ingest::public::responses::store_checked;
use pulse_ingest::store::{NewWave, Store};
use pulse_shared::default_survey::constitution;
use pulse_shared::{Answer, ContextTag, Date, Headcount, NhsValue, SubmissionId, SurveyResponse, Text, Wave};

const SURVEY: &str = "waves-bench";
const CONTEXTS: usize = 20;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("DIR"));
    let n: u32 = args.next().expect("N").parse().unwrap();
    let waves_wanted: i64 = args.next().map_or(8, |w| w.parse().unwrap());
    let store = std::sync::Arc::new(Store::open(&dir).unwrap());
    let mut def = constitution();
    def.id = SURVEY.into();
    def.contexts = (0..CONTEXTS)
        .map(|c| ContextTag { id: format!("team-{c:02}"), label: Text::from(format!("Team {c}")), division: None })
        .collect();
    // The wave limit's benchmark keeps the survey it has always measured, so its memory compares.
    let scored = waves_wanted <= 8;
    if scored {
        def.questions.extend(pulse_shared::bank::engagement());
        def.divisions = (0..4)
            .map(|d| pulse_shared::Division { id: format!("division-{d}"), label: Text::from(format!("Division {d}")) })
            .collect();
        for (c, context) in def.contexts.iter_mut().enumerate() {
            context.division = Some(format!("division-{}", c / 5));
        }
    }
    store.publish(def.clone()).await.unwrap();
    // Quarterly waves of three weeks, the first two years ago; many waves come fortnightly.
    let (period, window) = if waves_wanted <= 8 { (91, 20) } else { (14, 9) };
    let start = Date::from_days_since_epoch(
        pulse_ingest::public::responses::today().days_since_epoch() - period * waves_wanted,
    );
    let waves: Vec<Wave> = (0..waves_wanted)
        .map(|w| Wave {
            id: format!("w{}", w + 1),
            label: Text::from(format!("Wave {}", w + 1)),
            opens: Date::from_days_since_epoch(start.days_since_epoch() + period * w),
            closes: Date::from_days_since_epoch(start.days_since_epoch() + period * w + window),
        })
        .collect();
    for wave in &waves {
        let new = NewWave { survey: SURVEY.into(), wave: wave.clone(), today: wave.opens, adopt: false };
        store.add_wave(new).await.unwrap();
        let headcounts = def
            .contexts
            .iter()
            .enumerate()
            .map(|(c, t)| Headcount { wave: wave.id.clone(), context: t.id.clone(), headcount: 2_000 + 500 * c as u64 })
            .collect();
        store.set_headcounts(SURVEY, headcounts).await.unwrap();
    }
    let def = std::sync::Arc::new(def);
    let awareness = ["not_heard", "heard_not_content", "know_whats_in_it"];
    let agree = ["strongly_disagree", "disagree", "neither", "agree", "strongly_agree"];
    let started = std::time::Instant::now();
    let mut pending = tokio::task::JoinSet::new();
    for i in 0..n {
        let (store, def) = (store.clone(), def.clone());
        let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let wave = &waves[(h >> 7) as usize % waves.len()];
        // Team c gets a share that grows with c; team 0 has almost no one, so it is hidden.
        let weights: u64 = (1..=CONTEXTS as u64).map(|c| c * c).sum();
        let mut pick = (h >> 20) % weights;
        let mut context = CONTEXTS - 1;
        for c in 0..CONTEXTS {
            let w = ((c as u64 + 1) * (c as u64 + 1)).max(1);
            if c == 0 && (h >> 40) % 50_000 != 0 {
                continue;
            }
            if pick < w {
                context = c;
                break;
            }
            pick -= w;
        }
        let lived = NhsValue::ALL
            .iter()
            .enumerate()
            .map(|(j, v)| (v.id().to_string(), ((i as usize + j + (h >> 50) as usize) % 5 + 1) as u8))
            .collect();
        // The engagement questions, every statement answered, each on its own point.
        let engagement = pulse_shared::bank::engagement().into_iter().enumerate().map(|(q, question)| {
            let pulse_shared::QuestionKind::LikertMatrix { rows, .. } = &question.kind else { unreachable!() };
            let points = rows
                .iter()
                .enumerate()
                .map(|(r, row)| (row.id.clone(), ((h >> (3 * (3 * q + r))) % 5 + 1) as u8))
                .collect();
            (question.id.clone(), Answer::Matrix(points))
        });
        let mut id = [0u8; 16];
        id[..4].copy_from_slice(&0x3a7e_u32.to_be_bytes());
        id[4..8].copy_from_slice(&i.wrapping_mul(2654435761).to_be_bytes());
        id[12..].copy_from_slice(&i.to_be_bytes());
        let response = SurveyResponse {
            submission_id: SubmissionId(id),
            survey_version: 1,
            context: Some(def.contexts[context].id.clone()),
            answers: [
                ("awareness".to_string(), Answer::Text(awareness[(h >> 33) as usize % 3].into())),
                ("values_lived".to_string(), Answer::Matrix(lived)),
                ("focus_value".to_string(), Answer::Text(NhsValue::ALL[i as usize % 6].id().into())),
                ("shared_purpose".to_string(), Answer::Text(agree[(h >> 45) as usize % 5].into())),
            ]
            .into_iter()
            .chain(engagement.filter(|_| scored))
            .collect(),
        };
        let day = Date::from_days_since_epoch(wave.opens.days_since_epoch() + (h >> 60) as i64);
        pending.spawn(async move {
            store_checked(&store, &def, response, day).await.unwrap();
        });
        if pending.len() >= 4096 {
            pending.join_next().await;
        }
    }
    while pending.join_next().await.is_some() {}
    store.shutdown().await;
    println!("RESULT loaded={n} seconds={:.3}", started.elapsed().as_secs_f64());
}
