//! Migrations from earlier schema versions, run inside `Store::open`'s first write transaction, so a
//! file is either migrated whole or left as it was.

use std::collections::{BTreeSet, HashMap};

use redb::{ReadableTable, WriteTransaction};

use super::schema::{self, responses_table, FREE_TEXT, RELEASED, SURVEYS, TALLIES, TALLIES_V3};
use super::*;

/// Schema 2 → 3: the stories list's index, built from every stored response. Returns how many
/// responses were read.
pub(super) fn build_free_text_index(txn: &WriteTransaction) -> Result<u64, StoreError> {
    let mut definitions: HashMap<(String, u32), SurveyDefinition> = HashMap::new();
    for entry in txn.open_table(SURVEYS)?.iter()? {
        let (key, json) = entry?;
        let (id, version) = key.value();
        definitions.insert((id.to_string(), version), from_json(json.value())?);
    }
    let ids: BTreeSet<String> = definitions.keys().map(|(id, _)| id.clone()).collect();
    let mut index = txn.open_table(FREE_TEXT)?;
    let mut read = 0;
    for id in &ids {
        let name = responses_table(id);
        let responses = txn.open_table(schema::responses(&name))?;
        for entry in responses.iter()? {
            let (key, bytes) = entry?;
            let (version, _) = codec::header(bytes.value())?;
            let def = definitions.get(&(id.clone(), version)).ok_or_else(|| {
                StoreError::Corrupt(format!("a response to {id:?} answers version {version}, which is not stored"))
            })?;
            let texts = free_texts(def, &codec::decode(bytes.value(), def)?);
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
