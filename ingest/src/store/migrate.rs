//! Migrations from earlier schema versions, run inside `Store::open`'s first write transaction, so a
//! file is either migrated whole or left as it was.

use std::collections::{BTreeSet, HashMap};

use redb::{ReadableTable, WriteTransaction};

use super::schema::{self, responses_table, FREE_TEXT, RELEASED, SURVEYS, TALLIES, TALLIES_V3, UNRELEASED, WAVES};
use super::*;

/// Every stored definition, by survey id and version.
fn definitions(txn: &WriteTransaction) -> Result<HashMap<(String, u32), SurveyDefinition>, StoreError> {
    let mut definitions = HashMap::new();
    for entry in txn.open_table(SURVEYS)?.iter()? {
        let (key, json) = entry?;
        let (id, version) = key.value();
        definitions.insert((id.to_string(), version), from_json(json.value())?);
    }
    Ok(definitions)
}

/// A stored response to survey `id`, and the definition of the version it answers.
fn decoded<'a>(
    definitions: &'a HashMap<(String, u32), SurveyDefinition>,
    id: &str,
    bytes: &[u8],
) -> Result<(&'a SurveyDefinition, StoredResponse), StoreError> {
    let (version, _) = codec::header(bytes)?;
    let def = definitions.get(&(id.to_string(), version)).ok_or_else(|| {
        StoreError::Corrupt(format!("a response to {id:?} answers version {version}, which is not stored"))
    })?;
    Ok((def, codec::decode(bytes, def)?))
}

/// Schema 2 → 3: the stories list's index, built from every stored response. Returns how many
/// responses were read.
pub(super) fn build_free_text_index(txn: &WriteTransaction) -> Result<u64, StoreError> {
    let definitions = definitions(txn)?;
    let ids: BTreeSet<String> = definitions.keys().map(|(id, _)| id.clone()).collect();
    let mut index = txn.open_table(FREE_TEXT)?;
    let mut read = 0;
    for id in &ids {
        let name = responses_table(id);
        let responses = txn.open_table(schema::responses(&name))?;
        for entry in responses.iter()? {
            let (key, bytes) = entry?;
            let (def, stored) = decoded(&definitions, id, bytes.value())?;
            let texts = free_texts(def, &stored);
            if !texts.is_empty() {
                let json = serde_json::to_string(&texts).expect("stories always serialise");
                index.insert((id.as_str(), key.value()), json.as_str())?;
            }
            read += 1;
        }
    }
    Ok(read)
}

/// Schema 3 → 4: counters gain a wave. Every response stored before had no wave, so each counter
/// moves as it is to wave "" (an admin may later take them all into a first wave, `adopt`). Returns
/// how many counters moved.
pub(super) fn counters_by_wave(txn: &WriteTransaction) -> Result<u64, StoreError> {
    let mut moved = 0;
    {
        let old = txn.open_table(TALLIES_V3)?;
        let mut new = txn.open_table(TALLIES)?;
        for entry in old.iter()? {
            let (key, count) = entry?;
            let (survey, version, context, tally) = key.value();
            new.insert((survey, version, pulse_shared::NO_WAVE, context, tally), count.value())?;
            moved += 1;
        }
    }
    txn.delete_table(TALLIES_V3)?;
    Ok(moved)
}

/// Schema 4 → 5: groups without a wave are released in steps of `k`. The figures a version 4
/// server showed were its live counters, so those become each group's first release, and no
/// response waits for the next. Returns how many counters were released.
pub(super) fn first_release(txn: &WriteTransaction) -> Result<u64, StoreError> {
    let tallies = txn.open_table(TALLIES)?;
    let mut released = txn.open_table(RELEASED)?;
    let mut copied = 0;
    for entry in tallies.iter()? {
        let (key, count) = entry?;
        let (survey, version, wave, context, tally) = key.value();
        if wave == pulse_shared::NO_WAVE {
            released.insert((survey, version, context, tally), count.value())?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// Schema 5 → 6: responses carry NHS engagement scores as counters of their own
/// ([`pulse_shared::score`]). Each stored response to a version asking the engagement questions
/// adds its score counters to its group's live counters, and to its group's release when it is
/// in one (a response waiting for the next release stays out of it, as its answers do), so the
/// scores cover exactly the responses the other figures do. Returns how many responses were read.
pub(super) fn score_counters(txn: &WriteTransaction) -> Result<u64, StoreError> {
    let definitions = definitions(txn)?;
    let scored: BTreeSet<&String> = definitions
        .iter()
        .filter(|(_, def)| !pulse_shared::score::Score::of_survey(def).is_empty())
        .map(|((id, _), _)| id)
        .collect();
    let mut waves: HashMap<String, Vec<pulse_shared::Wave>> = HashMap::new();
    for entry in txn.open_table(WAVES)?.iter()? {
        let (key, json) = entry?;
        waves.entry(key.value().0.to_string()).or_default().push(from_json(json.value())?);
    }
    let mut tallies = txn.open_table(TALLIES)?;
    let mut released = txn.open_table(RELEASED)?;
    let unreleased = txn.open_table(UNRELEASED)?;
    let mut read = 0;
    for id in scored {
        let responses = txn.open_table(schema::responses(&responses_table(id)))?;
        for entry in responses.iter()? {
            let (key, bytes) = entry?;
            let (def, stored) = decoded(&definitions, id, bytes.value())?;
            let version = def.version;
            let context = stored.context.clone().unwrap_or_default();
            let wave = pulse_shared::wave_id_on(waves.get(id).map_or(&[], Vec::as_slice), stored.received_on);
            let response = pulse_shared::SurveyResponse {
                submission_id: SubmissionId(key.value().to_be_bytes()),
                survey_version: version,
                context: stored.context,
                answers: stored.answers,
            };
            let in_release = wave == pulse_shared::NO_WAVE
                && unreleased.get((id.as_str(), version, context.as_str(), key.value()))?.is_none();
            for tally in pulse_shared::score::score_keys(def, &response) {
                let tally = tally.to_string();
                let live_key = (id.as_str(), version, wave, context.as_str(), tally.as_str());
                let live = tallies.get(live_key)?.map_or(0, |v| v.value());
                tallies.insert(live_key, live + 1)?;
                if in_release {
                    let key = (id.as_str(), version, context.as_str(), tally.as_str());
                    let n = released.get(key)?.map_or(0, |v| v.value());
                    released.insert(key, n + 1)?;
                }
            }
            read += 1;
        }
    }
    Ok(read)
}
