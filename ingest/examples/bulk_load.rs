//! Loads N choice-only responses into a data directory through the store's own write path (the
//! writer thread and its group commits), for the results-at-scale benchmark.
//! `cargo run --release --example bulk_load -- DIR N [OFFSET]`
use pulse_ingest::public::responses::{store_checked, today};
use pulse_ingest::store::Store;
use pulse_shared::default_survey::constitution;
use pulse_shared::{Answer, NhsValue, SubmissionId, SurveyResponse};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("DIR"));
    let n: u32 = args.next().expect("N").parse().unwrap();
    // Ids start at OFFSET, so a second load adds new responses rather than repeating the first.
    let offset: u32 = args.next().map_or(0, |o| o.parse().unwrap());
    let store = std::sync::Arc::new(Store::open(&dir).unwrap());
    let def = std::sync::Arc::new(constitution());
    let contexts = ["clinical", "community", "corporate", "estates"];
    let awareness = ["not_heard", "heard_not_content", "know_whats_in_it"];
    let agree = ["strongly_disagree", "disagree", "neither", "agree", "strongly_agree"];
    let started = std::time::Instant::now();
    let mut pending = tokio::task::JoinSet::new();
    for i in offset..offset + n {
        let (store, def) = (store.clone(), def.clone());
        let lived = NhsValue::ALL
            .iter()
            .enumerate()
            .map(|(j, v)| (v.id().to_string(), ((i as usize + j) % 5 + 1) as u8))
            .collect();
        let mut id = [0u8; 16];
        id[..4].copy_from_slice(&0xb01c_u32.to_be_bytes());
        id[4..8].copy_from_slice(&i.wrapping_mul(2654435761).to_be_bytes());
        id[12..].copy_from_slice(&i.to_be_bytes());
        let response = SurveyResponse {
            submission_id: SubmissionId(id),
            survey_version: 1,
            context: Some(contexts[i as usize % 4].to_string()),
            answers: [
                ("awareness".to_string(), Answer::Text(awareness[i as usize % 3].into())),
                ("values_lived".to_string(), Answer::Matrix(lived)),
                ("focus_value".to_string(), Answer::Text(NhsValue::ALL[i as usize % 6].id().into())),
                ("shared_purpose".to_string(), Answer::Text(agree[i as usize % 5].into())),
            ]
            .into_iter()
            .collect(),
        };
        pending.spawn(async move {
            store_checked(&store, &def, response, today()).await.unwrap();
        });
        if pending.len() >= 4096 {
            pending.join_next().await;
        }
    }
    while pending.join_next().await.is_some() {}
    store.shutdown().await;
    println!("RESULT loaded={n} seconds={:.3}", started.elapsed().as_secs_f64());
}
