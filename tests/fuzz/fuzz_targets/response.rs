//! A response body as the server receives it: decoding, validation against the default survey, the
//! counters it would add to, and scrubbing. None may panic; validation finds the same faults in English
//! and Welsh; what the server accepts must read back
//! the same after the widget's writer (`SurveyResponse::to_json`); scrubbing must leave nothing it
//! would scrub again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pulse_shared::default_survey::constitution;
use pulse_shared::{scrub, tally_keys, validate, validate_in, Lang, SurveyResponse};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let once = scrub(text);
        let twice = scrub(&once.text);
        assert!(twice.found.is_empty(), "scrubbed text still holds {:?}: {:?}", twice.found, once.text);
    }
    let Ok(response) = serde_json::from_slice::<SurveyResponse>(data) else { return };
    let back: SurveyResponse = serde_json::from_str(&response.to_json()).expect("to_json writes valid JSON");
    assert_eq!(back, response);
    let def = constitution();
    let errors = validate(&def, &response);
    let welsh = validate_in(&def, &response, Lang::Cy);
    let fields = |e: &[pulse_shared::FieldError]| e.iter().map(|e| (e.field.clone(), e.code)).collect::<Vec<_>>();
    assert_eq!(fields(&errors), fields(&welsh), "the same faults in every language");
    if errors.is_empty() {
        let keys = tally_keys(&def, &response);
        assert!(keys.contains(&pulse_shared::TallyKey::Responses), "every stored response counts as a response");
        for key in &keys {
            assert_eq!(key.to_string().parse::<pulse_shared::TallyKey>().as_ref(), Ok(key), "a counter name reads back");
        }
    }
});
