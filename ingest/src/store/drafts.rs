//! Drafts of survey definitions as the store keeps them: one per survey id, saved only on top of
//! the revision the admin started from, and published (a new version, the draft gone) in one
//! transaction.

use pulse_shared::draft::{Draft, DraftSave};
use pulse_shared::SurveyDefinition;
use redb::{Database, ReadableDatabase, ReadableTable};

use super::schema::{DRAFTS, SURVEYS};
use super::{commit, from_json, Store, StoreError};

impl Store {
    /// Every draft, by survey id.
    pub fn drafts(&self) -> Result<Vec<Draft>, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(DRAFTS)?;
        let mut out = Vec::new();
        for entry in table.iter()? {
            out.push(from_json(entry?.1.value())?);
        }
        Ok(out)
    }

    /// The draft of survey `id`, if one is saved.
    pub fn draft(&self, id: &str) -> Result<Option<Draft>, StoreError> {
        let txn = self.db.begin_read()?;
        let json = txn.open_table(DRAFTS)?.get(id)?;
        json.map(|j| from_json(j.value())).transpose()
    }

    /// Saves `save` as the next revision of survey `id`'s draft, by `by`; refused when another
    /// save came first, or when a new survey's id is taken.
    pub async fn save_draft(&self, id: &str, save: DraftSave, by: String) -> Result<Draft, StoreError> {
        let id = id.to_string();
        self.ask(|reply| super::Job::SaveDraft(id, save, by, reply)).await
    }

    /// Discards survey `id`'s draft, if it is still at `revision`.
    pub async fn discard_draft(&self, id: &str, revision: u64) -> Result<(), StoreError> {
        let id = id.to_string();
        self.ask(|reply| super::Job::DiscardDraft(id, revision, reply)).await
    }

    /// Publishes `def` (checked, its version the next) from the draft of its survey at
    /// `revision`, and discards the draft, in one transaction.
    pub async fn publish_draft(&self, revision: u64, def: SurveyDefinition) -> Result<(), StoreError> {
        self.ask(|reply| super::Job::PublishDraft(revision, def.clone(), reply)).await?;
        self.cache_published(def);
        Ok(())
    }
}

fn stored(txn: &redb::WriteTransaction, id: &str) -> Result<Option<Draft>, StoreError> {
    let table = txn.open_table(DRAFTS)?;
    let json = table.get(id)?;
    json.map(|j| from_json(j.value())).transpose()
}

/// Refused unless the stored draft is at `revision` (0: none is stored).
fn expect_revision(current: Option<&Draft>, revision: u64) -> Result<(), StoreError> {
    let at = current.map_or(0, |d| d.revision);
    if at == revision {
        return Ok(());
    }
    Err(StoreError::Conflict(match current {
        Some(d) => format!(
            "this draft was saved by {} at {} (revision {}) after you opened revision {revision}: \
             load their version, or save yours over it",
            d.saved_by, d.saved_at, d.revision
        ),
        None => "this draft has been published or discarded since you opened it".into(),
    }))
}

pub(super) fn write_draft(db: &Database, id: &str, save: DraftSave, by: String) -> Result<Draft, StoreError> {
    let txn = db.begin_write()?;
    let draft = {
        let current = stored(&txn, id)?;
        expect_revision(current.as_ref(), save.revision)?;
        let published = txn
            .open_table(SURVEYS)?
            .range((id, 0)..=(id, u32::MAX))?
            .next_back()
            .transpose()?
            .map(|(k, _)| k.value().1);
        let based_on = current.as_ref().map_or(save.based_on, |d| d.based_on);
        if current.is_none() && based_on.is_none() && published.is_some() {
            return Err(StoreError::Conflict(format!(
                "a survey with id {id:?} is already published: choose another id"
            )));
        }
        let now = super::timestamp();
        let draft = Draft {
            definition: save.definition,
            revision: save.revision + 1,
            based_on,
            saved_by: by,
            // To the minute, in UTC: enough to tell two admins' saves apart.
            saved_at: format!("{} {} UTC", &now[..10], &now[11..16]),
        };
        let json = serde_json::to_string(&draft).expect("a draft always serialises");
        txn.open_table(DRAFTS)?.insert(id, json.as_str())?;
        draft
    };
    commit(txn)?;
    Ok(draft)
}

pub(super) fn write_discard(db: &Database, id: &str, revision: u64) -> Result<(), StoreError> {
    let txn = db.begin_write()?;
    {
        let current = stored(&txn, id)?;
        if current.is_none() {
            return Err(StoreError::NotFound(format!("survey {id:?} has no draft")));
        }
        expect_revision(current.as_ref(), revision)?;
        txn.open_table(DRAFTS)?.remove(id)?;
    }
    commit(txn)
}

pub(super) fn write_publish(db: &Database, revision: u64, def: &SurveyDefinition) -> Result<(), StoreError> {
    let txn = db.begin_write()?;
    {
        let current = stored(&txn, &def.id)?;
        if current.is_none() {
            return Err(StoreError::NotFound(format!("survey {:?} has no draft", def.id)));
        }
        expect_revision(current.as_ref(), revision)?;
        super::writer::insert_definition(&txn, def)?;
        txn.open_table(DRAFTS)?.remove(def.id.as_str())?;
    }
    commit(txn)
}
