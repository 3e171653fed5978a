//! A survey definition as `pulse survey import` and `POST /api/v1/surveys` read it, from JSON or
//! TOML. Nothing may panic; a definition that passes `check` must survive the server's JSON round
//! trip unchanged and validate responses without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pulse_shared::{validate_in, Lang, SubmissionId, SurveyDefinition, SurveyResponse};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = [serde_json::from_str::<SurveyDefinition>(text).ok(), toml::from_str::<SurveyDefinition>(text).ok()];
    for def in parsed.into_iter().flatten() {
        if !def.check().is_empty() {
            continue;
        }
        let json = serde_json::to_string(&def).expect("a definition serialises");
        let back: SurveyDefinition = serde_json::from_str(&json).expect("and reads back");
        assert_eq!(back, def);
        let empty = SurveyResponse {
            submission_id: SubmissionId([0; 16]),
            survey_version: def.version,
            context: None,
            answers: Default::default(),
        };
        for lang in [Lang::En, Lang::Cy] {
            let _ = validate_in(&def, &empty, def.language_for(lang));
        }
    }
});
