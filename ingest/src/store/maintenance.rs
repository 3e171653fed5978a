//! Maintenance: `pulse check` recounts every counter from the stored responses and checks the
//! moderation queue against them; `pulse backup` copies every table from one read snapshot.

use std::collections::HashMap;
use std::path::Path;

use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition, TableHandle};
use serde::{Deserialize, Serialize};

use super::schema::{
    self, responses_table, ADMIN_TOKENS, AUDIT, DECISIONS, DRAFTS, FREE_TEXT, GRANTS, HEADCOUNTS, META, REFERENCES,
    RELEASED, SHARING, STORIES, SURVEYS, TALLIES, UNRELEASED, WAVES,
};
use super::*;

impl Store {
    /// Recounts every counter from the stored responses, in one read transaction (a consistent
    /// snapshot, so it runs while the server keeps writing), and lists every counter that differs.
    /// Each response is recounted in the wave that holds the day it arrived, so the wave tallies
    /// are checked too.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        let txn = self.db.begin_read()?;
        // The definitions of this snapshot, not the server's cache: a version published since is not
        // in it, and every response in it answers a version that is.
        let surveys = read_surveys(&txn)?;
        let waves = read_waves(&txn)?;
        let mut ids: Vec<&String> = surveys.keys().collect();
        ids.sort_unstable();
        let mut recount: HashMap<(String, u32, String, String, String), u64> = HashMap::new();
        let mut responses = 0;
        // The stories list's index holds each response's free text as the response does.
        let free_text = txn.open_table(FREE_TEXT)?;
        let (mut indexed, mut story_problems) = (0u64, Vec::new());
        // A group without a wave's release holds every response of it that is not waiting for the
        // next one: recounted from those, it must equal the stored release.
        let unreleased = txn.open_table(UNRELEASED)?;
        let mut released_recount: HashMap<(String, u32, String, String), u64> = HashMap::new();
        let mut waiting_found = 0u64;
        for id in &ids {
            let Some(table) = open_if_exists(&txn, &responses_table(id))? else { continue };
            for entry in table.iter()? {
                let (key, bytes) = entry?;
                let (published, stored) =
                    decode_response(id, bytes.value(), |v| surveys.get(*id).and_then(|vs| vs.get(&v)).cloned())?;
                let def = &published.definition;
                let texts = free_texts(def, &stored);
                let found = free_text.get((id.as_str(), key.value()))?.map(|j| from_json::<Vec<Story>>(j.value()));
                match (texts.is_empty(), found.transpose()?) {
                    (true, None) => {}
                    (false, Some(found)) if found == texts => indexed += 1,
                    _ => story_problems
                        .push(format!("the stories list of {id:?} does not hold a response's text as it is")),
                }
                let response = pulse_shared::SurveyResponse {
                    submission_id: SubmissionId(key.value().to_be_bytes()),
                    survey_version: def.version,
                    context: stored.context,
                    answers: stored.answers,
                };
                let context = response.context.clone().unwrap_or_default();
                let wave = pulse_shared::wave_id_on(waves.get(*id).map_or(&[], Vec::as_slice), stored.received_on);
                let waiting = wave == pulse_shared::NO_WAVE
                    && unreleased.get((id.as_str(), def.version, context.as_str(), key.value()))?.is_some();
                waiting_found += u64::from(waiting);
                for tally in pulse_shared::tally_keys(def, &response) {
                    if wave == pulse_shared::NO_WAVE && !waiting {
                        let key = (id.to_string(), def.version, context.clone(), tally.to_string());
                        *released_recount.entry(key).or_default() += 1;
                    }
                    let key = (id.to_string(), def.version, wave.to_string(), context.clone(), tally.to_string());
                    *recount.entry(key).or_default() += 1;
                }
                responses += 1;
            }
        }
        let mut release_problems = Vec::new();
        if unreleased.len()? != waiting_found {
            release_problems.push(format!(
                "{} responses are marked as waiting for a release; {waiting_found} of them are stored without a wave",
                unreleased.len()?
            ));
        }
        let mut stored_releases: HashMap<(String, u32, String, String), u64> = HashMap::new();
        for entry in txn.open_table(RELEASED)?.iter()? {
            let (key, count) = entry?;
            let (survey, version, context, tally) = key.value();
            stored_releases
                .insert((survey.to_string(), version, context.to_string(), tally.to_string()), count.value());
        }
        let mut groups: Vec<_> = stored_releases.keys().chain(released_recount.keys()).collect();
        groups.sort_unstable();
        groups.dedup();
        for key in groups {
            let (stored, recounted) = (stored_releases.get(key).copied(), released_recount.get(key).copied());
            if stored.unwrap_or(0) != recounted.unwrap_or(0) {
                let (survey, version, context, tally) = key;
                release_problems.push(format!(
                    "the release of {survey:?} v{version} context {context:?} holds {} for counter {tally:?}; the \
                     released responses hold {}",
                    stored.unwrap_or(0),
                    recounted.unwrap_or(0)
                ));
            }
        }
        // No group waits with k or more responses since its last release.
        for ((survey, version, wave, context, tally), live) in &recount {
            if wave != pulse_shared::NO_WAVE || !tally.is_empty() {
                continue;
            }
            let k = pulse_shared::survey_k(surveys[survey].values().map(|p| &p.definition));
            let released = stored_releases.get(&(survey.clone(), *version, context.clone(), String::new()));
            if pulse_shared::release_due(*live, released.copied().unwrap_or(0), k) {
                release_problems.push(format!(
                    "{survey:?} v{version} context {context:?} has {live} responses, {} released: a release of k = \
                     {k} is overdue",
                    released.copied().unwrap_or(0)
                ));
            }
        }
        let mut mismatches = Vec::new();
        let mut counters = 0u64;
        for entry in txn.open_table(TALLIES)?.iter()? {
            let (key, count) = entry?;
            let (survey, version, wave, context, tally) = key.value();
            let key = (survey.to_string(), version, wave.to_string(), context.to_string(), tally.to_string());
            let recounted = recount.remove(&key).unwrap_or(0);
            counters += 1;
            if recounted != count.value() {
                mismatches.push(TallyMismatch::new(key, count.value(), recounted));
            }
        }
        // Counters the responses need but the table lacks.
        mismatches.extend(recount.into_iter().map(|(key, n)| TallyMismatch::new(key, 0, n)));
        // Every story in the moderation queue comes from a stored response that consented to it and
        // holds the same text.
        if free_text.len()? != indexed {
            story_problems.push(format!(
                "the stories list holds {} responses' text; the responses hold {indexed}",
                free_text.len()?
            ));
        }
        let mut stories = 0;
        for entry in txn.open_table(STORIES)?.iter()? {
            let (key, json) = entry?;
            let (survey, id) = key.value();
            let story: StoryRecord = from_json(json.value())?;
            stories += 1;
            let name = story_id(id);
            let bytes = match open_if_exists(&txn, &responses_table(survey))? {
                Some(table) => table.get(u128::from_be_bytes(story.submission.0))?.map(|b| b.value().to_vec()),
                None => None,
            };
            let Some(bytes) = bytes else {
                story_problems.push(format!("story {name} of {survey:?}: its response is missing"));
                continue;
            };
            let (published, stored) =
                decode_response(survey, &bytes, |v| surveys.get(survey).and_then(|vs| vs.get(&v)).cloned())?;
            let consented = consented_stories(&published.definition, story.submission, &stored);
            if !consented.iter().any(|c| c.question == story.question && c.text == story.text) {
                story_problems.push(format!("story {name} of {survey:?}: its response does not hold it with consent"));
            }
        }
        mismatches.sort_by(|a, b| {
            (&a.survey, a.version, &a.wave, &a.context, &a.counter)
                .cmp(&(&b.survey, b.version, &b.wave, &b.context, &b.counter))
        });
        let (audit_entries, audit_problems) = super::access::audit_problems(&txn)?;
        Ok(CheckReport {
            surveys: ids.len(),
            responses,
            counters,
            mismatches,
            stories,
            story_problems,
            release_problems,
            audit_entries,
            audit_problems,
        })
    }

    /// Writes a consistent copy of the whole database to `out`, from one read transaction, while
    /// the writer carries on. The copy is written beside `out` and renamed into place only when it
    /// is complete and synced, so `out` is never a half-written file.
    pub fn backup(&self, out: &Path) -> Result<BackupReport, StoreError> {
        let io = |e: std::io::Error| StoreError::DataDir(out.display().to_string(), e);
        let mut partial = out.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        match std::fs::remove_file(&partial) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
            _ => {}
        }
        let txn = self.db.begin_read()?;
        let copy = Database::builder().set_cache_size(CACHE_BYTES).create(&partial)?;
        let write = copy.begin_write()?;
        copy_table(&txn, &write, META)?;
        copy_table(&txn, &write, SURVEYS)?;
        copy_table(&txn, &write, TALLIES)?;
        copy_table(&txn, &write, RELEASED)?;
        copy_table(&txn, &write, UNRELEASED)?;
        copy_table(&txn, &write, STORIES)?;
        copy_table(&txn, &write, FREE_TEXT)?;
        copy_table(&txn, &write, DECISIONS)?;
        copy_table(&txn, &write, WAVES)?;
        copy_table(&txn, &write, HEADCOUNTS)?;
        copy_table(&txn, &write, SHARING)?;
        copy_table(&txn, &write, REFERENCES)?;
        copy_table(&txn, &write, DRAFTS)?;
        copy_table(&txn, &write, ADMIN_TOKENS)?;
        copy_table(&txn, &write, GRANTS)?;
        copy_table(&txn, &write, AUDIT)?;
        let mut responses = 0;
        for handle in txn.list_tables()? {
            if handle.name().starts_with("responses/") {
                let name = handle.name().to_string();
                responses += copy_table(&txn, &write, schema::responses(&name))?;
            }
        }
        write.commit()?;
        drop(copy);
        std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(io)?;
        std::fs::rename(&partial, out).map_err(io)?;
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename is durable once the directory is synced.
            std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
        }
        let bytes = std::fs::metadata(out).map_err(io)?.len();
        Ok(BackupReport { responses, bytes })
    }
}

/// A counter whose stored value is not what the stored responses add up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyMismatch {
    pub survey: String,
    pub version: u32,
    /// The wave ("" for none).
    pub wave: String,
    pub context: String,
    pub counter: String,
    pub stored: u64,
    pub recounted: u64,
}

impl TallyMismatch {
    fn new(
        (survey, version, wave, context, counter): (String, u32, String, String, String),
        stored: u64,
        recounted: u64,
    ) -> Self {
        TallyMismatch { survey, version, wave, context, counter, stored, recounted }
    }
}

/// What `pulse check` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    pub surveys: usize,
    pub responses: u64,
    pub counters: u64,
    pub mismatches: Vec<TallyMismatch>,
    /// Stories in the moderation queue.
    pub stories: u64,
    /// Stories whose response is missing, lacks consent or holds other text.
    pub story_problems: Vec<String>,
    /// Releases of groups without a wave that do not hold exactly the responses released, and
    /// groups whose release is overdue.
    #[serde(default)]
    pub release_problems: Vec<String>,
    /// Entries in the audit log.
    #[serde(default)]
    pub audit_entries: u64,
    /// Gaps and broken links in the audit log's chain.
    #[serde(default)]
    pub audit_problems: Vec<String>,
}

/// What `pulse backup` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupReport {
    pub responses: u64,
    pub bytes: u64,
}

/// Copies every row of one table into the same table of another database; returns the rows copied.
fn copy_table<K: redb::Key + 'static, V: redb::Value + 'static>(
    from: &redb::ReadTransaction,
    to: &redb::WriteTransaction,
    table: TableDefinition<K, V>,
) -> Result<u64, StoreError> {
    let source = from.open_table(table)?;
    let mut target = to.open_table(table)?;
    let mut rows = 0;
    for entry in source.iter()? {
        let (k, v) = entry?;
        target.insert(k.value(), v.value())?;
        rows += 1;
    }
    Ok(rows)
}
