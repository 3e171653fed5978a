//! The one writer: a thread fed by a channel, the only place that opens a write transaction. It
//! takes whatever responses are waiting, writes them and their counters in one durable transaction
//! (group commit), and only then answers each of them, so a `201` always means "on disk".

use redb::{Database, ReadableTable};

use super::schema::{
    self, responses_table, DECISIONS, FREE_TEXT, HEADCOUNTS, RELEASED, SHARING, STORIES, SURVEYS, TALLIES, UNRELEASED,
    WAVES,
};
use super::*;

pub(super) fn write_loop(db: &Database, mut rx: mpsc::Receiver<Job>) {
    while let Some(job) = rx.blocking_recv() {
        let mut batch = Vec::new();
        let mut stopping = false;
        let mut next = Some(job);
        while let Some(job) = next {
            match job {
                Job::Response(r) => batch.push(r),
                Job::Publish(def, reply) => {
                    // Rare: commit what is batched so far, then the definition on its own.
                    if !batch.is_empty() {
                        write_batch(db, std::mem::take(&mut batch));
                    }
                    let _ = reply.send(write_definition(db, &def));
                }
                Job::Moderate(m, reply) => {
                    if !batch.is_empty() {
                        write_batch(db, std::mem::take(&mut batch));
                    }
                    let _ = reply.send(write_moderation(db, m));
                }
                Job::AddWave(wave, reply) => {
                    // The responses before it are in their waves first: a wave's check reads them.
                    if !batch.is_empty() {
                        write_batch(db, std::mem::take(&mut batch));
                    }
                    let _ = reply.send(write_wave(db, &wave));
                }
                Job::EditWave(change, reply) => {
                    // The responses so far are in their waves first: the check reads their days.
                    if !batch.is_empty() {
                        write_batch(db, std::mem::take(&mut batch));
                    }
                    let _ = reply.send(write_wave_edit(db, &change));
                }
                Job::Headcounts(survey, headcounts, reply) => {
                    let _ = reply.send(write_headcounts(db, &survey, &headcounts));
                }
                Job::SaveDraft(id, save, by, reply) => {
                    let _ = reply.send(super::drafts::write_draft(db, &id, save, by));
                }
                Job::DiscardDraft(id, revision, reply) => {
                    let _ = reply.send(super::drafts::write_discard(db, &id, revision));
                }
                Job::PublishDraft(revision, def, reply) => {
                    if !batch.is_empty() {
                        write_batch(db, std::mem::take(&mut batch));
                    }
                    let _ = reply.send(super::drafts::write_publish(db, revision, &def));
                }
                Job::SurveyJson(table, survey, json, reply) => {
                    let _ = reply.send(write_survey_json(db, table, &survey, &json));
                }
                Job::Access(change, event, reply) => {
                    let _ = reply.send(super::access::write_access(db, change.as_ref(), &event));
                }
                Job::Shutdown => stopping = true,
            }
            next = if batch.len() < MAX_BATCH { rx.try_recv().ok() } else { None };
        }
        if !batch.is_empty() {
            write_batch(db, batch);
        }
        if stopping {
            // Refuse new work, but finish what was queued before the close.
            rx.close();
        }
    }
}

pub(super) fn write_definition(db: &Database, def: &SurveyDefinition) -> Result<(), StoreError> {
    let txn = db.begin_write()?;
    insert_definition(&txn, def)?;
    commit(txn)?;
    Ok(())
}

/// Adds `def` as its survey's next version in `txn`; versions only go up.
pub(super) fn insert_definition(txn: &redb::WriteTransaction, def: &SurveyDefinition) -> Result<(), StoreError> {
    let mut surveys = txn.open_table(SURVEYS)?;
    let latest = surveys
        .range((def.id.as_str(), 0)..=(def.id.as_str(), u32::MAX))?
        .next_back()
        .transpose()?
        .map(|(k, _)| k.value().1);
    if latest.is_some_and(|v| v >= def.version) {
        return Err(StoreError::VersionExists(def.id.clone(), def.version));
    }
    let json = serde_json::to_string(def).expect("a definition always serialises");
    surveys.insert((def.id.as_str(), def.version), json.as_str())?;
    Ok(())
}

/// Writes a batch in one transaction and answers each response after the commit returns.
pub(super) fn write_batch(db: &Database, batch: Vec<NewResponse>) {
    let result = (|| -> Result<Vec<Stored>, StoreError> {
        let txn = db.begin_write()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        {
            let mut tallies = txn.open_table(TALLIES)?;
            let mut stories = txn.open_table(STORIES)?;
            let mut free_text = txn.open_table(FREE_TEXT)?;
            let mut increments: HashMap<(&str, u32, String, &str, &str), u64> = HashMap::new();
            // The groups without a wave this batch adds to, with the survey's k and the new responses.
            let mut unwaved: HashMap<(&str, u32, &str), (u32, Vec<u128>)> = HashMap::new();
            let mut tables: HashMap<&str, redb::Table<u128, &[u8]>> = HashMap::new();
            // Each survey's waves as this transaction sees them: the writer alone adds waves, so a
            // response is counted in the wave that holds its day, always.
            let mut waves: HashMap<&str, Vec<Wave>> = HashMap::new();
            for r in &batch {
                if !tables.contains_key(r.survey.as_str()) {
                    let name = responses_table(&r.survey);
                    let table = txn.open_table(schema::responses(&name))?;
                    tables.insert(r.survey.as_str(), table);
                    waves.insert(r.survey.as_str(), waves_in(&txn, &r.survey)?);
                }
                let responses = tables.get_mut(r.survey.as_str()).expect("just opened");
                let key = u128::from_be_bytes(r.submission.0);
                // A resend, including one that arrives in the same batch as the first, is answered
                // with what was stored the first time.
                if let Some(existing) = responses.get(key)? {
                    outcomes.push(Stored::Already(receipt(&r.survey, r.submission, existing.value())?));
                    continue;
                }
                responses.insert(key, r.bytes.as_slice())?;
                if !r.free_texts.is_empty() {
                    let json = serde_json::to_string(&r.free_texts).expect("stories always serialise");
                    free_text.insert((r.survey.as_str(), key), json.as_str())?;
                }
                for story in &r.stories {
                    // A random id: the queue's order says nothing about when a story came in.
                    let id = loop {
                        let id = random_u64();
                        if stories.get((r.survey.as_str(), id))?.is_none() {
                            break id;
                        }
                    };
                    let json = serde_json::to_string(story).expect("a story always serialises");
                    stories.insert((r.survey.as_str(), id), json.as_str())?;
                }
                let context = r.context.as_deref().unwrap_or("");
                let wave = pulse_shared::wave_id_on(&waves[r.survey.as_str()], r.received_on).to_string();
                if wave == pulse_shared::NO_WAVE {
                    let group = unwaved.entry((r.survey.as_str(), r.survey_version, context)).or_insert((r.k, vec![]));
                    group.1.push(key);
                }
                for tally in &r.tally_keys {
                    let key = (r.survey.as_str(), r.survey_version, wave.clone(), context, tally.as_str());
                    *increments.entry(key).or_default() += 1;
                }
                outcomes.push(Stored::New(Receipt {
                    submission_id: r.submission,
                    survey: r.survey.clone(),
                    survey_version: r.survey_version,
                    received_on: r.received_on,
                }));
            }
            // Responses in a batch share most of their counters: add each counter's total once.
            for ((survey, version, wave, context, tally), n) in increments {
                let k = (survey, version, wave.as_str(), context, tally);
                let now = tallies.get(k)?.map(|v| v.value()).unwrap_or(0);
                tallies.insert(k, now + n)?;
            }
            // Each group without a wave that now has k more responses than at its last release is
            // released again, in this transaction: a crash leaves either the responses and their
            // release or neither.
            let mut released = txn.open_table(RELEASED)?;
            let mut waiting = txn.open_table(UNRELEASED)?;
            for ((survey, version, context), (k, new)) in unwaved {
                let live = tallies.get((survey, version, pulse_shared::NO_WAVE, context, ""))?.map_or(0, |v| v.value());
                let before = released.get((survey, version, context, ""))?.map_or(0, |v| v.value());
                if !pulse_shared::release_due(live, before, k) {
                    for submission in new {
                        waiting.insert((survey, version, context, submission), ())?;
                    }
                    continue;
                }
                released
                    .retain_in((survey, version, context, "")..=(survey, version, context, "\u{10ffff}"), |_, _| {
                        false
                    })?;
                let group = (survey, version, pulse_shared::NO_WAVE, context, "")
                    ..=(survey, version, pulse_shared::NO_WAVE, context, "\u{10ffff}");
                for entry in tallies.range(group)? {
                    let (key, count) = entry?;
                    released.insert((survey, version, context, key.value().4), count.value())?;
                }
                waiting
                    .retain_in((survey, version, context, 0)..=(survey, version, context, u128::MAX), |_, _| false)?;
            }
        }
        commit(txn)?;
        Ok(outcomes)
    })();
    match result {
        Ok(outcomes) => {
            for (r, outcome) in batch.into_iter().zip(outcomes) {
                let _ = r.reply.send(Ok(outcome));
            }
        }
        Err(e) => {
            tracing::error!(error = %e, responses = batch.len(), "write failed; nothing in the batch was stored");
            for r in batch {
                let _ = r.reply.send(Err(StoreError::WriteFailed(e.to_string())));
            }
        }
    }
}

pub(super) fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system's randomness");
    u64::from_le_bytes(bytes)
}

/// A moderation decision: the story as it now stands, the response rewritten with an edit (if
/// any), and the decision for the record.
pub struct Moderation {
    pub(super) survey: String,
    pub(super) story: u64,
    pub(super) record: StoryRecord,
    pub(super) response: Option<Vec<u8>>,
    pub(super) decision: DecisionRecord,
}

pub(super) fn write_moderation(db: &Database, m: Moderation) -> Result<(), StoreError> {
    let txn = db.begin_write()?;
    {
        let survey = m.survey.as_str();
        let mut stories = txn.open_table(STORIES)?;
        if stories.get((survey, m.story))?.is_none() {
            return Err(StoreError::Corrupt(format!("story {} of {survey:?} vanished", m.story)));
        }
        let json = serde_json::to_string(&m.record).expect("a story always serialises");
        stories.insert((survey, m.story), json.as_str())?;
        if let Some(bytes) = &m.response {
            let name = responses_table(survey);
            let mut responses = txn.open_table(schema::responses(&name))?;
            let key = u128::from_be_bytes(m.record.submission.0);
            if responses.get(key)?.is_none() {
                return Err(StoreError::Corrupt(format!("the response of story {} of {survey:?} vanished", m.story)));
            }
            responses.insert(key, bytes.as_slice())?;
            // The stories list holds the edited text (and a removed link) too: the original is gone
            // everywhere.
            let mut free_text = txn.open_table(FREE_TEXT)?;
            let listed = free_text.get((survey, key))?.map(|j| from_json::<Vec<Story>>(j.value())).transpose()?;
            let mut listed = listed.unwrap_or_default();
            for story in listed.iter_mut().filter(|s| s.question == m.record.question) {
                story.text = m.record.text.clone();
                story.media = m.record.media.clone();
            }
            let json = serde_json::to_string(&listed).expect("stories always serialise");
            free_text.insert((survey, key), json.as_str())?;
        }
        let mut decisions = txn.open_table(DECISIONS)?;
        let next = decisions
            .range((survey, 0)..=(survey, u64::MAX))?
            .next_back()
            .transpose()?
            .map_or(0, |(k, _)| k.value().1 + 1);
        let json = serde_json::to_string(&m.decision).expect("a decision always serialises");
        decisions.insert((survey, next), json.as_str())?;
    }
    commit(txn)
}

/// The receipt of a stored response, from its header alone.
pub(super) fn receipt(survey: &str, submission: SubmissionId, bytes: &[u8]) -> Result<Receipt, StoreError> {
    let (survey_version, received_on) = codec::header(bytes)?;
    Ok(Receipt { submission_id: submission, survey: survey.to_string(), survey_version, received_on })
}

/// A survey's waves as the write transaction `txn` sees them.
fn waves_in(txn: &redb::WriteTransaction, survey: &str) -> Result<Vec<Wave>, StoreError> {
    let table = txn.open_table(WAVES)?;
    let mut out = Vec::new();
    for entry in table.range((survey, "")..=(survey, "\u{10ffff}"))? {
        out.push(from_json(entry?.1.value())?);
    }
    Ok(out)
}

/// Adds a wave after checking it against the survey's waves and the days its responses without a
/// wave arrived on; with `adopt`, moves every counter without a wave into it, in the same
/// transaction.
pub(super) fn write_wave(db: &Database, new: &NewWave) -> Result<(), StoreError> {
    let txn = db.begin_write()?;
    {
        let survey = new.survey.as_str();
        let existing = waves_in(&txn, survey)?;
        let mut tallies = txn.open_table(TALLIES)?;
        let unwaved: Vec<(u32, String, String)> = tallies
            .range((survey, 0, "", "", "")..=(survey, u32::MAX, "\u{10ffff}", "\u{10ffff}", "\u{10ffff}"))?
            .filter_map(|e| e.ok())
            .filter_map(|(k, _)| {
                let (_, version, wave, context, tally) = k.value();
                wave.is_empty().then(|| (version, context.to_string(), tally.to_string()))
            })
            .collect();
        // The first and last days a response without a wave arrived, from the responses' headers.
        let mut days: Option<(Date, Date)> = None;
        if !unwaved.is_empty() {
            let name = responses_table(survey);
            let responses = txn.open_table(schema::responses(&name))?;
            for entry in responses.iter()? {
                let (_, day) = codec::header(entry?.1.value())?;
                if pulse_shared::wave_on(&existing, day).is_none() {
                    days = Some(days.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
                }
            }
        }
        let mut errors = new.wave.check_new(&existing, new.today, new.adopt, days);
        let mut released = txn.open_table(RELEASED)?;
        let mut waiting = txn.open_table(UNRELEASED)?;
        let survey_range = (survey, 0, "", "")..=(survey, u32::MAX, "\u{10ffff}", "\u{10ffff}");
        let waiting_range = (survey, 0, "", 0)..=(survey, u32::MAX, "\u{10ffff}", u128::MAX);
        let any_released = released.range(survey_range.clone())?.next().is_some();
        let any_waiting = waiting.range(waiting_range.clone())?.next().is_some();
        if new.adopt && any_released && (any_waiting || new.wave.closes >= new.today) {
            // The wave would show the figures already released again with the responses that wait
            // for the next release, or that join it before it closes, some of them fewer than k: the
            // wave minus the old figures would be theirs. Only a wave that has closed may take in
            // released figures, and only when nothing waits: then it shows exactly what was shown.
            errors.push(DefinitionError {
                field: "adopt".into(),
                message: "results of the responses without a wave have been released, and some responses wait \
                          for the next release or the wave is still open: the wave would show those few apart. \
                          Add the wave without adopt (the responses stay as \"before waves\")"
                    .into(),
            });
        }
        if !errors.is_empty() {
            return Err(StoreError::Refused(errors));
        }
        let json = serde_json::to_string(&new.wave).expect("a wave always serialises");
        txn.open_table(WAVES)?.insert((survey, new.wave.id.as_str()), json.as_str())?;
        if new.adopt {
            // The wave holds them now: released once it closes, as every wave is.
            released.retain_in(survey_range, |_, _| false)?;
            waiting.retain_in(waiting_range, |_, _| false)?;
            for (version, context, tally) in &unwaved {
                let old = (survey, *version, "", context.as_str(), tally.as_str());
                let n = tallies.remove(old)?.map(|v| v.value()).unwrap_or(0);
                tallies.insert((survey, *version, new.wave.id.as_str(), context.as_str(), tally.as_str()), n)?;
            }
        }
    }
    commit(txn)
}

/// Renames, closes early or deletes a wave after checking the change against the last day a
/// response counted in it arrived; deleting takes its headcounts with it.
pub(super) fn write_wave_edit(db: &Database, change: &WaveChange) -> Result<Option<Wave>, StoreError> {
    let txn = db.begin_write()?;
    let survey = change.survey.as_str();
    let now = {
        let wave = waves_in(&txn, survey)?
            .into_iter()
            .find(|w| w.id == change.wave)
            .ok_or_else(|| StoreError::NotFound(format!("survey {survey:?} has no wave {:?}", change.wave)))?;
        let mut last: Option<Date> = None;
        let name = responses_table(survey);
        if let Ok(responses) = txn.open_table(schema::responses(&name)) {
            for entry in responses.iter()? {
                let (_, day) = codec::header(entry?.1.value())?;
                if wave.holds(day) {
                    last = last.max(Some(day));
                }
            }
        }
        let mut errors = wave.check_edit(&change.edit, change.today, last);
        if change.edit == WaveEdit::Delete {
            let sharing = txn.open_table(SHARING)?;
            let notes: Option<Sharing> = match sharing.get(survey)? {
                Some(json) => Some(from_json(json.value())?),
                None => None,
            };
            if notes.is_some_and(|s| s.notes.iter().any(|n| n.wave.as_deref() == Some(wave.id.as_str()))) {
                let message = "a \"you said, we did\" note names this wave: change or remove the note first";
                errors.push(DefinitionError { field: "wave".into(), message: message.into() });
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Refused(errors));
        }
        let mut waves = txn.open_table(WAVES)?;
        let now = match &change.edit {
            WaveEdit::Delete => {
                waves.remove((survey, wave.id.as_str()))?;
                let mut headcounts = txn.open_table(HEADCOUNTS)?;
                let range = (survey, wave.id.as_str(), "")..=(survey, wave.id.as_str(), "\u{10ffff}");
                let contexts: Vec<String> =
                    headcounts.range(range)?.filter_map(|e| e.ok()).map(|(k, _)| k.value().2.to_string()).collect();
                for context in contexts {
                    headcounts.remove((survey, wave.id.as_str(), context.as_str()))?;
                }
                None
            }
            WaveEdit::Rename(label) => Some(Wave { label: label.clone(), ..wave }),
            WaveEdit::CloseOn(day) => Some(Wave { closes: *day, ..wave }),
        };
        if let Some(wave) = &now {
            let json = serde_json::to_string(wave).expect("a wave always serialises");
            waves.insert((survey, wave.id.as_str()), json.as_str())?;
        }
        now
    };
    commit(txn)?;
    Ok(now)
}

/// Records headcounts, each replacing the one given before for its wave and context.
pub(super) fn write_headcounts(db: &Database, survey: &str, headcounts: &[Headcount]) -> Result<(), StoreError> {
    let txn = db.begin_write()?;
    {
        let mut table = txn.open_table(HEADCOUNTS)?;
        for h in headcounts {
            table.insert((survey, h.wave.as_str(), h.context.as_str()), h.headcount)?;
        }
    }
    commit(txn)
}

/// Replaces a survey's entry in a table of what admins set for it (what it shares with staff, its
/// reference figures).
pub(super) fn write_survey_json(
    db: &Database,
    table: redb::TableDefinition<&str, &str>,
    survey: &str,
    json: &str,
) -> Result<(), StoreError> {
    let txn = db.begin_write()?;
    txn.open_table(table)?.insert(survey, json)?;
    // These are read afresh by every request, and no published figure depends on them: the
    // publications worked out stay current.
    Ok(txn.commit()?)
}
