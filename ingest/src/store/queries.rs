//! What the store reads from the database: sharing and headcounts, receipts, the counters and
//! what they publish, responses and the stories index. Every write is the writer's (`writer`).

use super::*;

impl Store {
    /// What survey `survey` shares with staff: nothing until an admin chooses.
    pub fn sharing(&self, survey: &str) -> Result<Sharing, StoreError> {
        self.survey_json(SHARING, survey)
    }

    /// Survey `survey`'s reference figures: none until an admin records some.
    pub fn references(&self, survey: &str) -> Result<pulse_shared::reference::References, StoreError> {
        self.survey_json(REFERENCES, survey)
    }

    /// Survey `survey`'s entry in a table of what admins set for it, or the default.
    fn survey_json<T: serde::de::DeserializeOwned + Default>(
        &self,
        table: TableDefinition<&str, &str>,
        survey: &str,
    ) -> Result<T, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(table)?;
        let json = table.get(survey)?;
        json.map(|j| from_json(j.value())).transpose().map(Option::unwrap_or_default)
    }

    /// Every headcount recorded for survey `survey`.
    pub fn headcounts(&self, survey: &str) -> Result<Vec<Headcount>, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(HEADCOUNTS)?;
        let mut out = Vec::new();
        for entry in table.range((survey, "", "")..=(survey, "\u{10ffff}", "\u{10ffff}"))? {
            let (key, n) = entry?;
            let (_, wave, context) = key.value();
            out.push(Headcount { wave: wave.to_string(), context: context.to_string(), headcount: n.value() });
        }
        Ok(out)
    }

    /// The receipt of a response already stored, if there is one.
    pub fn receipt(&self, survey: &str, submission: SubmissionId) -> Result<Option<Receipt>, StoreError> {
        let txn = self.db.begin_read()?;
        let name = responses_table(survey);
        let Some(table) = open_if_exists(&txn, &name)? else { return Ok(None) };
        let Some(bytes) = table.get(u128::from_be_bytes(submission.0))? else {
            return Ok(None);
        };
        Ok(Some(receipt(survey, submission, bytes.value())?))
    }

    /// The live counters of one version of a survey, by wave ("" for none), read in one
    /// transaction: for the store's own checks; results read [`Store::released_counts`].
    pub fn tally_counts(&self, survey: &str, version: u32) -> Result<BTreeMap<String, TallyCounts>, StoreError> {
        tally_counts_in(&self.db.begin_read()?, survey, version)
    }

    /// What may be published of survey `survey` today — every view of its results, and whether
    /// its stories may be read — decided by [`pulse_shared::publish`] from the released counters
    /// of each version and wave (a wave is released when it closes, so the day matters). `None`
    /// for a survey that does not exist.
    pub fn publication(&self, survey: &str) -> Result<Option<Arc<Published>>, StoreError> {
        // Read before the counts: a commit after this makes what is worked out here stale, and its
        // generation with it.
        let today = self.today();
        let now = (generation(), today);
        let current = || {
            let cache = self.published.lock().expect("publication cache lock");
            cache.get(survey).filter(|(at, _)| *at == now).map(|(_, p)| p.clone())
        };
        if let Some(cached) = current() {
            return Ok(Some(cached));
        }
        // One at a time: two dozen requests arriving together after a change wait for the first to
        // work it out, rather than each working it out at once (and holding it in memory).
        let _one = self.working_out.lock().expect("publication work lock");
        if let Some(cached) = current() {
            return Ok(Some(cached));
        }
        let Some(publication) = self.work_out_publication(survey, today)? else { return Ok(None) };
        let published = Arc::new(Published {
            publication,
            trend: Default::default(),
            files: Default::default(),
            making: Default::default(),
        });
        self.published.lock().expect("publication cache lock").insert(survey.to_string(), (now, published.clone()));
        Ok(Some(published))
    }

    /// What may be published of `survey`, when [`pulse_shared::publish`] lets its stories be read
    /// at all (below `k_text` responses, a story could be tied to the few people who have answered).
    pub fn story_publication(&self, survey: &str) -> Result<Option<Arc<Published>>, StoreError> {
        Ok(self.publication(survey)?.filter(|p| p.stories))
    }

    fn work_out_publication(&self, survey: &str, today: Date) -> Result<Option<Publication>, StoreError> {
        let published = self.survey_versions(survey);
        if published.is_empty() {
            return Ok(None);
        }
        let counts: Vec<BTreeMap<String, TallyCounts>> =
            published.iter().map(|p| self.released_counts(survey, p.definition.version)).collect::<Result<_, _>>()?;
        let views: Vec<VersionCounts> = published
            .iter()
            .zip(&counts)
            .map(|(p, counts)| VersionCounts {
                definition: &p.definition,
                waves: counts.iter().map(|(w, c)| (w.as_str(), c)).collect(),
            })
            .collect();
        Ok(Some(pulse_shared::publish(&views, &self.waves(survey), &self.headcounts(survey)?, today)))
    }

    /// What results may be made of one version of a survey, by wave: each wave's live counters
    /// (`publish` uses an open wave's number of responses only), and for the responses without a
    /// wave the snapshot of their groups' last releases, read in one transaction.
    pub fn released_counts(&self, survey: &str, version: u32) -> Result<BTreeMap<String, TallyCounts>, StoreError> {
        let txn = self.db.begin_read()?;
        let mut counts = tally_counts_in(&txn, survey, version)?;
        counts.remove(pulse_shared::NO_WAVE);
        let table = txn.open_table(RELEASED)?;
        for entry in table.range((survey, version, "", "")..(survey, version + 1, "", ""))? {
            let (key, count) = entry?;
            let (_, _, context, tally) = key.value();
            let tally = tally.parse::<TallyKey>().map_err(|e| StoreError::Corrupt(e.to_string()))?;
            counts
                .entry(pulse_shared::NO_WAVE.to_string())
                .or_default()
                .insert((context.to_string(), tally), count.value());
        }
        Ok(counts)
    }

    /// Responses to every version of `survey`, from the counters (no scan of the responses): for
    /// `pulse check` and the CLI's own use, never published (see [`pulse_shared::publish`]).
    pub fn response_total(&self, survey: &str) -> Result<u64, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(TALLIES)?;
        let mut total = 0;
        for entry in table.range((survey, 0, "", "", "")..=(survey, u32::MAX, "\u{10ffff}", "\u{10ffff}", ""))? {
            let (key, count) = entry?;
            if key.value().4.is_empty() {
                total += count.value();
            }
        }
        Ok(total)
    }

    /// How many responses survey `survey` holds (all versions).
    pub fn response_count(&self, survey: &str) -> Result<u64, StoreError> {
        let txn = self.db.begin_read()?;
        let name = responses_table(survey);
        match open_if_exists(&txn, &name)? {
            Some(table) => Ok(table.len()?),
            None => Ok(0),
        }
    }

    /// Every stored response of `survey`, in submission-id order (which is random).
    pub fn responses(&self, survey: &str) -> Result<Vec<StoredResponse>, StoreError> {
        let txn = self.db.begin_read()?;
        let name = responses_table(survey);
        let Some(table) = open_if_exists(&txn, &name)? else { return Ok(Vec::new()) };
        let mut out = Vec::new();
        for entry in table.iter()? {
            let (_, bytes) = entry?;
            out.push(decode_response(survey, bytes.value(), |v| self.survey_version(survey, v))?.1);
        }
        Ok(out)
    }

    /// The free-text answers of `survey` written in a group `publication` shows, from the stories
    /// list's index: a read that grows with the answers that have text, not with the responses.
    pub fn free_texts(&self, survey: &str, publication: &Publication) -> Result<Vec<Story>, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(FREE_TEXT)?;
        let responses = open_if_exists(&txn, &responses_table(survey))?;
        let unreleased = txn.open_table(UNRELEASED)?;
        let mut out = Vec::new();
        for entry in table.range((survey, 0u128)..=(survey, u128::MAX))? {
            let (key, json) = entry?;
            if self.shown(survey, responses.as_ref(), &unreleased, key.value().1, publication)? {
                out.extend(from_json::<Vec<Story>>(json.value())?);
            }
        }
        Ok(out)
    }

    /// The consented stories of `survey` written in a group `publication` shows, by id (which is
    /// random).
    pub fn stories(&self, survey: &str, publication: &Publication) -> Result<Vec<(u64, StoryRecord)>, StoreError> {
        let txn = self.db.begin_read()?;
        let responses = open_if_exists(&txn, &responses_table(survey))?;
        let unreleased = txn.open_table(UNRELEASED)?;
        let mut out = Vec::new();
        for (id, story) in rows_in::<StoryRecord>(&txn, STORIES, survey)? {
            if self.shown(
                survey,
                responses.as_ref(),
                &unreleased,
                u128::from_be_bytes(story.submission.0),
                publication,
            )? {
                out.push((id, story));
            }
        }
        Ok(out)
    }

    /// Whether the response `submission` was released, in a group whose stories `publication` shows.
    fn shown(
        &self,
        survey: &str,
        responses: Option<&redb::ReadOnlyTable<u128, &'static [u8]>>,
        unreleased: &redb::ReadOnlyTable<(&'static str, u32, &'static str, u128), ()>,
        submission: u128,
        publication: &Publication,
    ) -> Result<bool, StoreError> {
        let Some(bytes) = responses.map(|t| t.get(submission)).transpose()?.flatten() else { return Ok(false) };
        let (_, response) = decode_response(survey, bytes.value(), |v| self.survey_version(survey, v))?;
        let wave = self.wave_of(survey, response.received_on);
        let context = response.context.as_deref();
        // A response without a wave that came after its group's last release waits for the next.
        if wave == pulse_shared::NO_WAVE {
            let key = (survey, response.survey_version, context.unwrap_or(""), submission);
            if unreleased.get(key)?.is_some() {
                return Ok(false);
            }
        }
        Ok(publication.shows_story_from(response.survey_version, &wave, context))
    }

    /// One consented story, if it was written in a group `publication` shows.
    pub fn story(&self, survey: &str, id: u64, publication: &Publication) -> Result<Option<StoryRecord>, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(STORIES)?;
        let Some(json) = table.get((survey, id))? else { return Ok(None) };
        let story: StoryRecord = from_json(json.value())?;
        let responses = open_if_exists(&txn, &responses_table(survey))?;
        let unreleased = txn.open_table(UNRELEASED)?;
        let shown =
            self.shown(survey, responses.as_ref(), &unreleased, u128::from_be_bytes(story.submission.0), publication)?;
        Ok(shown.then_some(story))
    }

    /// Every moderation decision about `survey`'s stories, oldest first.
    pub fn decisions(&self, survey: &str) -> Result<Vec<DecisionRecord>, StoreError> {
        Ok(self.rows_of(DECISIONS, survey)?.into_iter().map(|(_, d)| d).collect())
    }

    /// Every row of a (survey id, number) → JSON table that belongs to `survey`, in key order.
    fn rows_of<T: serde::de::DeserializeOwned>(
        &self,
        table: TableDefinition<(&str, u64), &str>,
        survey: &str,
    ) -> Result<Vec<(u64, T)>, StoreError> {
        rows_in(&self.db.begin_read()?, table, survey)
    }

    /// One stored response with the definition of the version it answered.
    pub fn response(
        &self,
        survey: &str,
        submission: SubmissionId,
    ) -> Result<Option<(Arc<PublishedSurvey>, StoredResponse)>, StoreError> {
        let txn = self.db.begin_read()?;
        let Some(table) = open_if_exists(&txn, &responses_table(survey))? else { return Ok(None) };
        let Some(bytes) = table.get(u128::from_be_bytes(submission.0))? else { return Ok(None) };
        decode_response(survey, bytes.value(), |v| self.survey_version(survey, v)).map(Some)
    }
}

/// The live counters of one version of a survey, by wave, in the snapshot `txn`.
fn tally_counts_in(
    txn: &redb::ReadTransaction,
    survey: &str,
    version: u32,
) -> Result<BTreeMap<String, TallyCounts>, StoreError> {
    let table = txn.open_table(TALLIES)?;
    let mut counts: BTreeMap<String, TallyCounts> = BTreeMap::new();
    let range = table.range((survey, version, "", "", "")..(survey, version + 1, "", "", ""))?;
    for entry in range {
        let (key, count) = entry?;
        let (_, _, wave, context, tally) = key.value();
        let tally = tally.parse::<TallyKey>().map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let wave = match counts.get_mut(wave) {
            Some(w) => w,
            None => counts.entry(wave.to_string()).or_default(),
        };
        wave.insert((context.to_string(), tally), count.value());
    }
    Ok(counts)
}
