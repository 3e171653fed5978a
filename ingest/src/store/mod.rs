//! Everything Values Pulse keeps, in one redb file: survey definitions, anonymised responses, and
//! the counters results are read from.
//!
//! Every write goes through one writer thread fed by a channel. It takes whatever responses are
//! waiting, writes them and their counters in one durable transaction (group commit), and only then
//! answers each of them, so a `201` always means "on disk". Reads run on their own transactions.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;

use pulse_shared::default_survey::constitution;
use pulse_shared::headlines::Sharing;
use pulse_shared::results::TallyCounts;
use pulse_shared::{Date, DefinitionError, Headcount, SubmissionId, SurveyDefinition, Wave, WaveEdit};
use pulse_shared::{Publication, TallyKey, VersionCounts};
use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, oneshot};

mod access;
mod codec;
mod drafts;
mod maintenance;
mod migrate;
mod queries;
mod schema;
mod stories;
mod writer;

pub use access::{timestamp, AccessChange, AuditEntry, AuditEvent, Grant, TokenRecord, Who};
pub use codec::{decode, encode, header};
pub use maintenance::{BackupReport, CheckReport, TallyMismatch};
pub use schema::SCHEMA_VERSION;
use schema::{
    responses_table, ADMIN_TOKENS, AUDIT, DECISIONS, DRAFTS, FREE_TEXT, GRANTS, HEADCOUNTS, META, REFERENCES, RELEASED,
    SHARING, STORIES, SURVEYS, TALLIES, UNRELEASED, WAVES,
};
pub use stories::{consented_stories, free_texts, story_id, DecisionRecord, Story, StoryRecord, StoryStatus};
pub use writer::Moderation;
use writer::{receipt, write_loop};

/// redb's page cache.
const CACHE_BYTES: usize = 16 * 1024 * 1024;

/// The most responses one transaction takes; more wait for the next.
const MAX_BATCH: usize = 4096;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Every redb error type converts into this with `?` (see `from_redb!` below), keeping its source.
    #[error("database: {0}")]
    Database(#[from] redb::Error),
    #[error("the data directory {0} cannot be used: {1}")]
    DataDir(String, std::io::Error),
    #[error("the database was written with schema version {found}; this build reads version {SCHEMA_VERSION}")]
    SchemaVersion { found: u64 },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("the write failed and nothing in its batch was stored: {0}")]
    WriteFailed(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    NotFound(String),
    #[error("survey {0:?} already has version {1}")]
    VersionExists(String, u32),
    /// A wave or headcount the survey cannot take, with every reason.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Refused(Vec<DefinitionError>),
    #[error("the store is shutting down")]
    Closed,
    #[error("a read was cut short: {0}")]
    Interrupted(#[from] tokio::task::JoinError),
}

/// redb gives each operation its own error type; each converts with `?`, keeping itself as the source.
macro_rules! from_redb {
    ($($error:ty),*) => {$(
        impl From<$error> for StoreError {
            fn from(e: $error) -> StoreError {
                StoreError::Database(e.into())
            }
        }
    )*};
}
from_redb!(
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError,
    redb::CompactionError
);

/// A response as it is kept: no time, no address, no headers; the day it came in and what it said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredResponse {
    pub survey_version: u32,
    pub context: Option<String>,
    pub received_on: Date,
    pub answers: pulse_shared::Answers,
}

/// What the server says a response became; the same every time that submission is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Receipt {
    pub submission_id: SubmissionId,
    pub survey: String,
    pub survey_version: u32,
    pub received_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Written now.
    New(Receipt),
    /// Written earlier; nothing was written now.
    Already(Receipt),
}

/// A survey as served: the definition and its JSON and ETag, made once.
#[derive(Debug)]
pub struct PublishedSurvey {
    pub definition: SurveyDefinition,
    pub json: axum::body::Bytes,
    pub etag: String,
}

impl PublishedSurvey {
    fn new(definition: SurveyDefinition) -> PublishedSurvey {
        let json = serde_json::to_vec(&definition).expect("a definition always serialises");
        let digest = Sha256::digest(&json);
        let etag = format!("\"{}-v{}-{}\"", definition.id, definition.version, hex::encode(&digest[..8]));
        PublishedSurvey { definition, json: json.into(), etag }
    }
}

struct NewResponse {
    survey: String,
    /// Its stories whose writer consented to their being shown, for the moderation queue.
    stories: Vec<StoryRecord>,
    /// Its free-text answers, for the stories list's index.
    free_texts: Vec<Story>,
    submission: SubmissionId,
    survey_version: u32,
    context: Option<String>,
    received_on: Date,
    /// The survey's `k` ([`pulse_shared::survey_k`]): the step its groups without a wave are
    /// released in.
    k: u32,
    /// The response encoded by [`codec::encode`].
    bytes: Vec<u8>,
    tally_keys: Vec<String>,
    reply: oneshot::Sender<Result<Stored, StoreError>>,
}

enum Job {
    Response(NewResponse),
    /// Add a survey definition (a new survey, or a new version of one).
    Publish(SurveyDefinition, oneshot::Sender<Result<(), StoreError>>),
    /// Record a moderation decision.
    Moderate(Moderation, oneshot::Sender<Result<(), StoreError>>),
    /// Add a wave to a survey.
    AddWave(NewWave, oneshot::Sender<Result<(), StoreError>>),
    /// Rename, close early or delete a wave.
    EditWave(WaveChange, oneshot::Sender<Result<Option<Wave>, StoreError>>),
    /// Record headcounts of one wave.
    Headcounts(String, Vec<Headcount>, oneshot::Sender<Result<(), StoreError>>),
    /// Save a draft (its survey id, the save, who saved it).
    SaveDraft(
        String,
        pulse_shared::draft::DraftSave,
        String,
        oneshot::Sender<Result<pulse_shared::draft::Draft, StoreError>>,
    ),
    /// Discard a draft at a revision.
    DiscardDraft(String, u64, oneshot::Sender<Result<(), StoreError>>),
    /// Publish a checked definition from its survey's draft at a revision, and discard the draft.
    PublishDraft(u64, SurveyDefinition, oneshot::Sender<Result<(), StoreError>>),
    /// Replace a survey's entry (its id → JSON) in a table of what admins set for it: what it
    /// shares with staff, its reference figures.
    SurveyJson(
        TableDefinition<'static, &'static str, &'static str>,
        String,
        String,
        oneshot::Sender<Result<(), StoreError>>,
    ),
    /// Change who may be an admin (or nothing), and record an admin action, in one transaction.
    Access(Option<AccessChange>, AuditEvent, oneshot::Sender<Result<(), StoreError>>),
    /// Finish what is queued, then stop.
    Shutdown,
}

pub struct Store {
    db: Arc<Database>,
    jobs: mpsc::Sender<Job>,
    writer: std::sync::Mutex<Option<JoinHandle<()>>>,
    /// Every version of every survey, by id then version; the last version is the current one.
    surveys: RwLock<HashMap<String, BTreeMap<u32, Arc<PublishedSurvey>>>>,
    /// Every survey's waves, in the order they run.
    waves: RwLock<HashMap<String, Vec<Wave>>>,
    /// What each survey publishes, as last worked out, with the [`generation`] and the day it was
    /// worked out at (a wave is released when it closes): made once per change, not per request.
    published: std::sync::Mutex<HashMap<String, ((u64, Date), Arc<Published>)>>,
    /// Held while a publication is worked out (see [`Store::publication`]).
    working_out: std::sync::Mutex<()>,
    /// Today's date, as the server takes responses and releases waves by it (tests set another).
    clock: RwLock<Clock>,
}

/// Where the store reads today's date from.
pub type Clock = Arc<dyn Fn() -> Date + Send + Sync>;

/// Today's date from the system clock, in UTC: the only time a response is stored with.
pub fn system_today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Date::from_unix_seconds(secs)
}

/// A count that goes up after every commit and every change to the in-memory caches, before the
/// writer answers: a publication worked out at one generation is served only while it is still the
/// current one. One for the whole process (a store's commits bump it for every store, which only
/// costs a recount), so it cannot be confused between stores.
static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn generation() -> u64 {
    GENERATION.load(std::sync::atomic::Ordering::SeqCst)
}

fn changed() {
    GENERATION.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

/// Commits `txn`, then marks every cached publication as out of date.
pub(crate) fn commit(txn: redb::WriteTransaction) -> Result<(), StoreError> {
    txn.commit()?;
    changed();
    Ok(())
}

/// What one survey publishes ([`Publication`]) and, worked out when first asked for, its trend.
#[derive(Debug)]
pub struct Published {
    publication: Publication,
    /// Shared with the requests that read it, never copied: at the wave limit it is 20 MB.
    trend: std::sync::OnceLock<Arc<pulse_shared::SurveyTrend>>,
    /// Downloads made from it (a workbook takes a second at the wave limit), by what they show.
    files: std::sync::Mutex<HashMap<String, (String, axum::body::Bytes)>>,
    /// Held while a download is made from it (see [`Published::file`]).
    making: tokio::sync::Mutex<()>,
}

impl std::ops::Deref for Published {
    type Target = Publication;
    fn deref(&self) -> &Publication {
        &self.publication
    }
}

impl Published {
    /// The trend across the survey's waves, from the published waves only.
    pub fn trend(&self) -> &Arc<pulse_shared::SurveyTrend> {
        self.trend.get_or_init(|| Arc::new(pulse_shared::trend(&self.publication.combined, &self.publication.waves)))
    }

    /// The download `key` made from this publication: made by `make` (on a blocking thread: a
    /// workbook takes a second at the wave limit) the first time it is asked for, and kept for as
    /// long as the publication is the current one. One is made at a time, so that eight admins
    /// asking at once for a workbook wait for one to be made instead of each making (and holding)
    /// their own.
    pub async fn file<E: From<StoreError> + Send + 'static>(
        &self,
        key: String,
        make: impl FnOnce() -> Result<(String, Vec<u8>), E> + Send + 'static,
    ) -> Result<(String, axum::body::Bytes), E> {
        let kept = || self.files.lock().expect("download cache lock").get(&key).cloned();
        if let Some(file) = kept() {
            return Ok(file);
        }
        let _one = self.making.lock().await;
        if let Some(file) = kept() {
            return Ok(file);
        }
        let (name, mut bytes) = tokio::task::spawn_blocking(make).await.map_err(|e| E::from(StoreError::from(e)))??;
        // Kept at its size: a writer's spare capacity (the trend's 10 MB of JSON sat in 18 MB) would be kept too.
        bytes.shrink_to_fit();
        let file = (name, axum::body::Bytes::from(bytes));
        self.files.lock().expect("download cache lock").insert(key, file.clone());
        Ok(file)
    }
}

/// A wave to add: `adopt` takes every response without a wave into it (see [`Wave::check_new`]).
pub struct NewWave {
    pub survey: String,
    pub wave: Wave,
    pub today: Date,
    pub adopt: bool,
}

/// A correction to one of a survey's waves, checked by the writer against the responses it holds
/// (see [`Wave::check_edit`]).
pub struct WaveChange {
    pub survey: String,
    pub wave: String,
    pub edit: WaveEdit,
    pub today: Date,
}

impl Store {
    /// Opens (or creates) the database in `dir`, checks its schema version, adds the default survey
    /// on first start, and starts the writer.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::DataDir(dir.display().to_string(), e))?;
        // redb's default page cache grows towards a gigabyte; the working set here (the counters and the
        // pages a batch touches) is small, so a bounded cache keeps the server's memory flat.
        let db = Database::builder().set_cache_size(CACHE_BYTES).create(dir.join(crate::config::DATABASE_FILE))?;
        // The writer thread does not exist yet, so this first transaction is still the only writer.
        let txn = db.begin_write()?;
        {
            let mut meta = txn.open_table(META)?;
            let found = meta.get("schema_version")?.map(|v| v.value());
            match found {
                // Version 2 lacks the stories list's index: build it from the responses, once;
                // versions 2 and 3 count without waves: their counters move to no wave; versions
                // 2 to 4 showed live counters: those become the first release; and versions 2 to
                // 5 kept no NHS score counters: they are counted from the responses.
                Some(v @ 2..=5) => {
                    if v == 2 {
                        let built = migrate::build_free_text_index(&txn)?;
                        tracing::info!(responses = built, "schema 2 → 3: the stories list's index was built");
                    }
                    if v <= 3 {
                        let moved = migrate::counters_by_wave(&txn)?;
                        tracing::info!(counters = moved, "schema 3 → 4: counters moved to no wave");
                    }
                    if v <= 4 {
                        let released = migrate::first_release(&txn)?;
                        tracing::info!(
                            counters = released,
                            "schema 4 → 5: the figures shown so far are the first release"
                        );
                    }
                    let scored = migrate::score_counters(&txn)?;
                    tracing::info!(responses = scored, "schema 5 → 6: NHS engagement scores counted");
                    meta.insert("schema_version", SCHEMA_VERSION)?;
                }
                Some(v) if v != SCHEMA_VERSION => return Err(StoreError::SchemaVersion { found: v }),
                Some(_) => {}
                None => {
                    meta.insert("schema_version", SCHEMA_VERSION)?;
                }
            }
            let mut surveys = txn.open_table(SURVEYS)?;
            if surveys.is_empty()? {
                let def = constitution();
                let json = serde_json::to_string(&def).expect("a definition always serialises");
                surveys.insert((def.id.as_str(), def.version), json.as_str())?;
            }
            txn.open_table(TALLIES)?;
            txn.open_table(RELEASED)?;
            txn.open_table(UNRELEASED)?;
            txn.open_table(STORIES)?;
            txn.open_table(DECISIONS)?;
            txn.open_table(FREE_TEXT)?;
            txn.open_table(WAVES)?;
            txn.open_table(HEADCOUNTS)?;
            txn.open_table(SHARING)?;
            txn.open_table(REFERENCES)?;
            txn.open_table(DRAFTS)?;
            txn.open_table(ADMIN_TOKENS)?;
            txn.open_table(GRANTS)?;
            txn.open_table(AUDIT)?;
            let imported = access::import_token_file(&txn, dir)?;
            if imported > 0 {
                tracing::info!(tokens = imported, "the admin-tokens file's tokens are now owner tokens token-1…");
            }
        }
        txn.commit()?;

        // Random submission ids leave pages half full and redb grows its file ahead of need; moving
        // the live pages together at each start keeps the file near the size of what it holds
        // (about 70 ms per 200,000 responses).
        let mut db = db;
        while db.compact()? {}
        let db = Arc::new(db);
        let surveys = load_surveys(&db)?;
        let waves = read_waves(&db.begin_read()?)?;
        let (jobs, rx) = mpsc::channel(MAX_BATCH * 2);
        let writer_db = db.clone();
        let writer = std::thread::Builder::new()
            .name("pulse-writer".into())
            .spawn(move || write_loop(&writer_db, rx))
            .map_err(|e| StoreError::DataDir(dir.display().to_string(), e))?;
        Ok(Store {
            db,
            jobs,
            writer: std::sync::Mutex::new(Some(writer)),
            surveys: RwLock::new(surveys),
            waves: RwLock::new(waves),
            published: std::sync::Mutex::default(),
            working_out: std::sync::Mutex::default(),
            clock: RwLock::new(Arc::new(system_today)),
        })
    }

    /// Runs `read` on a blocking thread: the one way async code reads the database, so that no redb
    /// read holds up the runtime's threads.
    pub async fn read<T, E>(
        self: &Arc<Self>,
        read: impl FnOnce(&Store) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || read(&store)).await.map_err(|e| E::from(StoreError::from(e)))?
    }

    /// The day responses are taken on and waves are released by.
    pub fn today(&self) -> Date {
        (self.clock.read().expect("clock lock"))()
    }

    /// Reads today's date from `clock` from now on.
    pub fn set_clock(&self, clock: Clock) {
        *self.clock.write().expect("clock lock") = clock;
        changed();
    }

    /// The current version of survey `id`.
    pub fn survey(&self, id: &str) -> Option<Arc<PublishedSurvey>> {
        self.surveys.read().expect("survey cache lock").get(id).and_then(|v| v.values().next_back().cloned())
    }

    /// Version `version` of survey `id`, current or earlier.
    pub fn survey_version(&self, id: &str, version: u32) -> Option<Arc<PublishedSurvey>> {
        self.surveys.read().expect("survey cache lock").get(id).and_then(|v| v.get(&version).cloned())
    }

    /// Every version of survey `id`, oldest first.
    pub fn survey_versions(&self, id: &str) -> Vec<Arc<PublishedSurvey>> {
        self.surveys
            .read()
            .expect("survey cache lock")
            .get(id)
            .map(|v| v.values().cloned().collect())
            .unwrap_or_default()
    }

    /// The current version of every survey, by id.
    pub fn surveys(&self) -> Vec<Arc<PublishedSurvey>> {
        let cache = self.surveys.read().expect("survey cache lock");
        let mut all: Vec<_> = cache.values().filter_map(|v| v.values().next_back().cloned()).collect();
        all.sort_by(|a, b| a.definition.id.cmp(&b.definition.id));
        all
    }

    /// Publishes a checked definition as the survey's current version. Versions only go up.
    pub async fn publish(&self, def: SurveyDefinition) -> Result<(), StoreError> {
        self.ask(|reply| Job::Publish(def.clone(), reply)).await?;
        self.cache_published(def);
        Ok(())
    }

    /// Adds a definition just written to the cache of published versions.
    fn cache_published(&self, def: SurveyDefinition) {
        let published = Arc::new(PublishedSurvey::new(def));
        let mut cache = self.surveys.write().expect("survey cache lock");
        cache.entry(published.definition.id.clone()).or_default().insert(published.definition.version, published);
        changed();
    }

    /// The `k` survey `id`'s groups are judged and released by: the largest of its versions'.
    pub fn k(&self, id: &str) -> u32 {
        // Read in place: every response asks.
        let cache = self.surveys.read().expect("survey cache lock");
        pulse_shared::survey_k(cache.get(id).into_iter().flat_map(|v| v.values()).map(|p| &p.definition))
    }

    /// Survey `id`'s waves, in the order they run.
    pub fn waves(&self, id: &str) -> Vec<Wave> {
        self.waves.read().expect("wave cache lock").get(id).cloned().unwrap_or_default()
    }

    /// Adds a wave, once the writer has checked it against the survey's waves and responses.
    pub async fn add_wave(&self, new: NewWave) -> Result<(), StoreError> {
        let (survey, wave) = (new.survey.clone(), new.wave.clone());
        self.ask(|reply| Job::AddWave(new, reply)).await?;
        let mut cache = self.waves.write().expect("wave cache lock");
        let waves = cache.entry(survey).or_default();
        waves.push(wave);
        waves.sort_by_key(|w| w.opens);
        changed();
        Ok(())
    }

    /// Renames, closes early or deletes a wave, once the writer has checked the change against the
    /// responses in it; the wave as it now is (`None` once deleted).
    pub async fn edit_wave(&self, change: WaveChange) -> Result<Option<Wave>, StoreError> {
        let (survey, id) = (change.survey.clone(), change.wave.clone());
        let now = self.ask(|reply| Job::EditWave(change, reply)).await?;
        let mut cache = self.waves.write().expect("wave cache lock");
        let waves = cache.entry(survey).or_default();
        waves.retain(|w| w.id != id);
        waves.extend(now.clone());
        waves.sort_by_key(|w| w.opens);
        changed();
        Ok(now)
    }

    /// Records headcounts of survey `survey`, replacing those given before for the same wave and
    /// context. The caller has checked the waves and contexts exist.
    pub async fn set_headcounts(&self, survey: &str, headcounts: Vec<Headcount>) -> Result<(), StoreError> {
        self.ask(|reply| Job::Headcounts(survey.to_string(), headcounts, reply)).await
    }

    /// Replaces what survey `survey` shares with staff (checked by the caller).
    pub async fn set_sharing(&self, survey: &str, sharing: Sharing) -> Result<(), StoreError> {
        self.set_survey_json(SHARING, survey, &sharing).await
    }

    /// Replaces survey `survey`'s reference figures (checked by the caller).
    pub async fn set_references(
        &self,
        survey: &str,
        references: &pulse_shared::reference::References,
    ) -> Result<(), StoreError> {
        self.set_survey_json(REFERENCES, survey, references).await
    }

    async fn set_survey_json(
        &self,
        table: TableDefinition<'static, &'static str, &'static str>,
        survey: &str,
        value: &impl serde::Serialize,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(value).expect("what admins set always serialises");
        self.ask(|reply| Job::SurveyJson(table, survey.to_string(), json, reply)).await
    }

    /// The wave a response that arrived on `day` belongs to ("" for none).
    pub fn wave_of(&self, survey: &str, day: Date) -> String {
        let cache = self.waves.read().expect("wave cache lock");
        pulse_shared::wave_id_on(cache.get(survey).map_or(&[], Vec::as_slice), day).to_string()
    }

    /// Why survey `survey` (at definition `def`) takes no responses on `today`, given its waves;
    /// `None` when it does. Read from the cache in place: the response path asks on every request.
    pub fn closed_message(&self, survey: &str, def: &SurveyDefinition, today: Date) -> Option<pulse_shared::Text> {
        let cache = self.waves.read().expect("wave cache lock");
        pulse_shared::closed_message(def, cache.get(survey).map_or(&[], Vec::as_slice), today)
    }

    /// Stores a validated, scrubbed response with its counters, returning once it is durable.
    pub async fn store_response(
        &self,
        survey: &str,
        submission: SubmissionId,
        definition: &SurveyDefinition,
        record: StoredResponse,
        tally_keys: Vec<TallyKey>,
    ) -> Result<Stored, StoreError> {
        let bytes = codec::encode(definition, &record)?;
        let job = |reply| NewResponse {
            survey: survey.to_string(),
            stories: consented_stories(definition, submission, &record),
            free_texts: free_texts(definition, &record),
            submission,
            survey_version: record.survey_version,
            context: record.context,
            received_on: record.received_on,
            k: self.k(survey),
            bytes,
            tally_keys: tally_keys.iter().map(TallyKey::to_string).collect(),
            reply,
        };
        self.ask(|reply| Job::Response(job(reply))).await
    }

    /// Records a moderation decision: the story's new state, its response rewritten with an edit
    /// (`response`, encoded), and the decision, in one transaction.
    pub async fn moderate(
        &self,
        survey: &str,
        story: u64,
        record: StoryRecord,
        response: Option<Vec<u8>>,
        decision: DecisionRecord,
    ) -> Result<(), StoreError> {
        let job = Moderation { survey: survey.to_string(), story, record, response, decision };
        self.ask(|reply| Job::Moderate(job, reply)).await
    }

    /// The writer's round trip: sends the job `make` builds around the reply channel, and waits
    /// for the writer's answer.
    async fn ask<T>(&self, make: impl FnOnce(oneshot::Sender<Result<T, StoreError>>) -> Job) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(make(reply)).await.map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Lets queued writes finish, then stops the writer. Later writes answer [`StoreError::Closed`].
    pub async fn shutdown(&self) {
        let _ = self.jobs.send(Job::Shutdown).await;
        let handle = self.writer.lock().expect("writer handle lock").take();
        if let Some(handle) = handle {
            let _ = tokio::task::spawn_blocking(move || handle.join()).await;
        }
    }
}

type SurveyCache = HashMap<String, BTreeMap<u32, Arc<PublishedSurvey>>>;

/// Every survey's waves in the snapshot `txn`, in the order they run.
fn read_waves(txn: &redb::ReadTransaction) -> Result<HashMap<String, Vec<Wave>>, StoreError> {
    let mut out: HashMap<String, Vec<Wave>> = HashMap::new();
    for entry in txn.open_table(WAVES)?.iter()? {
        let (key, json) = entry?;
        out.entry(key.value().0.to_string()).or_default().push(from_json(json.value())?);
    }
    for waves in out.values_mut() {
        waves.sort_by_key(|w| w.opens);
    }
    Ok(out)
}

fn load_surveys(db: &Database) -> Result<SurveyCache, StoreError> {
    read_surveys(&db.begin_read()?)
}

/// Every version of every survey in the snapshot `txn`.
fn read_surveys(txn: &redb::ReadTransaction) -> Result<SurveyCache, StoreError> {
    let table = txn.open_table(SURVEYS)?;
    let mut cache = SurveyCache::new();
    for entry in table.iter()? {
        let (_, json) = entry?;
        let def: SurveyDefinition = from_json(json.value())?;
        cache.entry(def.id.clone()).or_default().insert(def.version, Arc::new(PublishedSurvey::new(def)));
    }
    Ok(cache)
}

/// A stored response decoded against the version it answered, found by `version_of`.
fn decode_response(
    survey: &str,
    bytes: &[u8],
    version_of: impl Fn(u32) -> Option<Arc<PublishedSurvey>>,
) -> Result<(Arc<PublishedSurvey>, StoredResponse), StoreError> {
    let (version, _) = codec::header(bytes)?;
    let published = version_of(version)
        .ok_or_else(|| StoreError::Corrupt(format!("a response to {survey:?} version {version}, which is unknown")))?;
    let response = codec::decode(bytes, &published.definition)?;
    Ok((published, response))
}

/// Every row of a (survey id, number) → JSON table that belongs to `survey`, in key order, read in
/// `txn`.
fn rows_in<T: serde::de::DeserializeOwned>(
    txn: &redb::ReadTransaction,
    table: TableDefinition<(&str, u64), &str>,
    survey: &str,
) -> Result<Vec<(u64, T)>, StoreError> {
    let table = txn.open_table(table)?;
    let mut out = Vec::new();
    for entry in table.range((survey, 0)..=(survey, u64::MAX))? {
        let (key, json) = entry?;
        out.push((key.value().1, from_json(json.value())?));
    }
    Ok(out)
}

/// A survey's responses table, or `None` while it has never stored a response.
fn open_if_exists(
    txn: &redb::ReadTransaction,
    name: &str,
) -> Result<Option<redb::ReadOnlyTable<u128, &'static [u8]>>, StoreError> {
    match txn.open_table(schema::responses(name)) {
        Ok(table) => Ok(Some(table)),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A value the store keeps as JSON; text that does not parse means the file is corrupt.
fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// For tests of migrations: turns a database file back into what an earlier release wrote.
#[doc(hidden)]
pub mod testing {
    use super::schema::{HEADCOUNTS, META, RELEASED, TALLIES, TALLIES_V3, UNRELEASED, WAVES};
    use redb::ReadableTable;

    /// Schema 5, as the release before NHS scores left it: no score counters.
    pub fn downgrade_to_schema_5(file: &std::path::Path) {
        let db = redb::Database::create(file).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut live = txn.open_table(TALLIES).unwrap();
            let scores: Vec<(String, u32, String, String, String)> = live
                .iter()
                .unwrap()
                .map(|e| {
                    let key = e.unwrap().0;
                    let (s, v, w, c, t) = key.value();
                    (s.to_string(), v, w.to_string(), c.to_string(), t.to_string())
                })
                .filter(|(_, _, _, _, tally)| tally.starts_with('#'))
                .collect();
            assert!(!scores.is_empty(), "a file with scores to take away");
            for (s, v, w, c, t) in &scores {
                live.remove((s.as_str(), *v, w.as_str(), c.as_str(), t.as_str())).unwrap();
            }
            let mut released = txn.open_table(RELEASED).unwrap();
            let scores: Vec<(String, u32, String, String)> = released
                .iter()
                .unwrap()
                .map(|e| {
                    let key = e.unwrap().0;
                    let (s, v, c, t) = key.value();
                    (s.to_string(), v, c.to_string(), t.to_string())
                })
                .filter(|(_, _, _, tally)| tally.starts_with('#'))
                .collect();
            for (s, v, c, t) in &scores {
                released.remove((s.as_str(), *v, c.as_str(), t.as_str())).unwrap();
            }
            txn.open_table(META).unwrap().insert("schema_version", 5).unwrap();
        }
        txn.commit().unwrap();
    }

    /// Schema 3, as the release before waves left it: counters without a wave, and no waves or
    /// headcounts. Only a file whose responses all have no wave can be turned back.
    pub fn downgrade_to_schema_3(file: &std::path::Path) {
        let db = redb::Database::create(file).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let new = txn.open_table(TALLIES).unwrap();
            let mut old = txn.open_table(TALLIES_V3).unwrap();
            for entry in new.iter().unwrap() {
                let (key, count) = entry.unwrap();
                let (survey, version, wave, context, tally) = key.value();
                assert!(wave.is_empty(), "a response in a wave cannot go back to schema 3");
                old.insert((survey, version, context, tally), count.value()).unwrap();
            }
            txn.open_table(META).unwrap().insert("schema_version", 3).unwrap();
        }
        txn.delete_table(TALLIES).unwrap();
        txn.delete_table(RELEASED).unwrap();
        txn.delete_table(UNRELEASED).unwrap();
        txn.delete_table(WAVES).unwrap();
        txn.delete_table(HEADCOUNTS).unwrap();
        txn.commit().unwrap();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_a_database_of_another_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.shutdown().await;
        drop(store);
        {
            let db = Database::create(dir.path().join(crate::config::DATABASE_FILE)).unwrap();
            let txn = db.begin_write().unwrap();
            txn.open_table(META).unwrap().insert("schema_version", SCHEMA_VERSION + 1).unwrap();
            txn.commit().unwrap();
        }
        match Store::open(dir.path()) {
            Err(StoreError::SchemaVersion { found }) => assert_eq!(found, SCHEMA_VERSION + 1),
            Err(other) => panic!("wrong error: {other}"),
            Ok(_) => panic!("opened a database of another schema version"),
        }
    }

    #[tokio::test]
    async fn first_start_holds_the_default_survey_and_versions_only_go_up() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let current = store.survey("constitution").expect("default survey loaded");
        assert_eq!(current.definition, constitution());
        let mut next = constitution();
        next.version = 2;
        next.title = "Our NHS values, again".into();
        store.publish(next.clone()).await.unwrap();
        assert_eq!(store.survey("constitution").unwrap().definition.version, 2);
        assert!(matches!(store.publish(next).await, Err(StoreError::VersionExists(_, 2))));
        store.shutdown().await;
        drop(store);
        let reopened = Store::open(dir.path()).unwrap();
        assert_eq!(reopened.survey("constitution").unwrap().definition.title.en, "Our NHS values, again");
    }
    #[tokio::test]
    async fn a_schema_2_file_gets_the_stories_index_from_its_responses_and_check_watches_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        crate::pages::demo::seed(&store).await.unwrap();
        let texts = |store: &Store| {
            let publication = store.publication("constitution").unwrap().unwrap();
            store.free_texts("constitution", &publication).unwrap().into_iter().map(|s| s.text).collect::<Vec<_>>()
        };
        let mut expected = texts(&store);
        assert!(expected.len() > 10, "the demo responses hold stories");
        store.shutdown().await;
        drop(store);
        {
            // As a version 2 server left it: no index, and the version it wrote.
            let db = Database::create(dir.path().join(crate::config::DATABASE_FILE)).unwrap();
            let txn = db.begin_write().unwrap();
            txn.delete_table(FREE_TEXT).unwrap();
            txn.open_table(META).unwrap().insert("schema_version", 2).unwrap();
            txn.commit().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let mut rebuilt = texts(&store);
        expected.sort();
        rebuilt.sort();
        assert_eq!(rebuilt, expected);
        let report = store.check().unwrap();
        assert!(report.story_problems.is_empty(), "{:?}", report.story_problems);
        store.shutdown().await;
        drop(store);
        {
            // One response's text changed in the index only, and one entry too many.
            let db = Database::create(dir.path().join(crate::config::DATABASE_FILE)).unwrap();
            let txn = db.begin_write().unwrap();
            {
                let mut index = txn.open_table(FREE_TEXT).unwrap();
                let (key, _) = {
                    let first = index.first().unwrap().unwrap();
                    (first.0.value().1, ())
                };
                let tampered = r#"[{"question":"story","text":"not what was written","values":[]}]"#;
                index.insert(("constitution", key), tampered).unwrap();
                index.insert(("constitution", 7u128), tampered).unwrap();
            }
            txn.commit().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let report = store.check().unwrap();
        assert_eq!(report.story_problems.len(), 2, "{:?}", report.story_problems);
        store.shutdown().await;
    }

    #[tokio::test]
    async fn check_finds_a_release_that_does_not_hold_the_responses_released() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        crate::pages::demo::seed(&store).await.unwrap();
        let report = store.check().unwrap();
        assert!(report.release_problems.is_empty(), "{:?}", report.release_problems);
        let txn = store.db.begin_read().unwrap();
        let waiting = txn.open_table(UNRELEASED).unwrap().len().unwrap();
        assert!(waiting > 0, "the demo's 120 leave some in each context waiting for the next release");
        drop(txn);
        store.shutdown().await;
        drop(store);
        let forgotten = {
            // A release one too high, and a waiting response forgotten.
            let db = Database::create(dir.path().join(crate::config::DATABASE_FILE)).unwrap();
            let txn = db.begin_write().unwrap();
            let forgotten = {
                let mut released = txn.open_table(RELEASED).unwrap();
                let n = released.get(("constitution", 1, "estates", "")).unwrap().unwrap().value();
                released.insert(("constitution", 1, "estates", ""), n + 1).unwrap();
                let mut waiting = txn.open_table(UNRELEASED).unwrap();
                let first = {
                    let entry = waiting.first().unwrap().unwrap();
                    let (survey, version, context, submission) = entry.0.value();
                    (survey.to_string(), version, context.to_string(), submission)
                };
                waiting.remove((first.0.as_str(), first.1, first.2.as_str(), first.3)).unwrap();
                first.2
            };
            txn.commit().unwrap();
            forgotten
        };
        let store = Store::open(dir.path()).unwrap();
        let problems = store.check().unwrap().release_problems;
        let names = |context: &str| format!("context {context:?} holds");
        assert!(problems.iter().any(|p| p.contains(&names("estates")) && p.contains("counter \"\"")), "{problems:?}");
        // The forgotten one now reads as released, which the release does not hold.
        assert!(problems.iter().any(|p| p.contains(&names(&forgotten)) && p.contains("released responses hold")));
        store.shutdown().await;
    }

    #[tokio::test]
    async fn check_finds_a_counter_that_disagrees_and_a_backup_holds_everything() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let added = crate::pages::demo::seed(&store).await.unwrap();
        let report = store.check().unwrap();
        assert_eq!((report.responses, report.mismatches.len()), (added as u64, 0));
        assert!(report.counters > 10);

        let backup = dir.path().join("copy").join(crate::config::DATABASE_FILE);
        std::fs::create_dir(backup.parent().unwrap()).unwrap();
        assert_eq!(store.backup(&backup).unwrap().responses, added as u64);
        store.shutdown().await;
        drop(store);
        {
            // One counter off by one, as a bug or a torn write would leave it.
            let db = Database::create(dir.path().join(crate::config::DATABASE_FILE)).unwrap();
            let txn = db.begin_write().unwrap();
            txn.open_table(TALLIES).unwrap().insert(("constitution", 1, "", "", ""), 1).unwrap();
            txn.commit().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let report = store.check().unwrap();
        assert_eq!(report.mismatches.len(), 1, "{:?}", report.mismatches);
        assert_eq!(report.mismatches[0].counter, "");
        assert_eq!(report.mismatches[0].stored, 1);
        store.shutdown().await;

        let copy = Store::open(backup.parent().unwrap()).unwrap();
        let report = copy.check().unwrap();
        assert_eq!((report.responses, report.mismatches.len()), (added as u64, 0));
        assert_eq!(copy.survey("constitution").unwrap().definition, constitution());
        copy.shutdown().await;
    }
}
