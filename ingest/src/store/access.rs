//! Who may be an admin, and what admins did: named tokens (their hashes), the allowlist of people
//! and groups who may sign in, and the audit log. Admins' actions are not staff responses: the log
//! keeps names and exact times, and never a response or a story's words.
//!
//! The audit log is append-only and chained: each entry holds the hash of the one before, so
//! `pulse check` finds an entry removed, edited or inserted out of turn.

use std::path::Path;

use redb::{ReadableDatabase, ReadableTable, WriteTransaction};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::schema::{ADMIN_TOKENS, AUDIT, GRANTS};
use super::{from_json, Store, StoreError};
use pulse_shared::Role;

pub use pulse_shared::admin::{Grant, TokenRecord, Who};

pub use pulse_shared::admin::{AuditEntry, AuditEvent};

/// A change to who may be an admin, recorded with its audit entry in one transaction.
#[derive(Debug, Clone)]
pub enum AccessChange {
    AddToken(TokenRecord),
    RevokeToken(String),
    SetGrants(Vec<Grant>),
}

/// The time now, UTC, as RFC 3339 with milliseconds.
pub fn timestamp() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = now.as_secs();
    let day = pulse_shared::Date::from_days_since_epoch((secs / 86_400) as i64);
    let s = secs % 86_400;
    format!("{day}T{:02}:{:02}:{:02}.{:03}Z", s / 3600, s % 3600 / 60, s % 60, now.subsec_millis())
}

fn hash_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Appends `event` to the audit log in `txn`.
pub(super) fn append_audit(txn: &WriteTransaction, event: &AuditEvent) -> Result<u64, StoreError> {
    let mut audit = txn.open_table(AUDIT)?;
    let last = audit.last()?.map(|(k, v)| (k.value(), v.value().to_string()));
    let (seq, prev) = match last {
        Some((seq, json)) => (seq + 1, hash_hex(&json)),
        None => (1, String::new()),
    };
    let entry = AuditEntry { seq, at: timestamp(), event: event.clone(), prev };
    let json = serde_json::to_string(&entry).expect("an audit entry always serialises");
    audit.insert(seq, json.as_str())?;
    Ok(seq)
}

/// Applies `change` in `txn`.
pub(super) fn apply(txn: &WriteTransaction, change: &AccessChange) -> Result<(), StoreError> {
    match change {
        AccessChange::AddToken(record) => {
            let mut tokens = txn.open_table(ADMIN_TOKENS)?;
            if tokens.get(record.name.as_str())?.is_some() {
                return Err(StoreError::Conflict(format!("a token named {:?} already exists", record.name)));
            }
            let json = serde_json::to_string(record).expect("a token record always serialises");
            tokens.insert(record.name.as_str(), json.as_str())?;
        }
        AccessChange::RevokeToken(name) => {
            let mut tokens = txn.open_table(ADMIN_TOKENS)?;
            if tokens.remove(name.as_str())?.is_none() {
                return Err(StoreError::NotFound(format!("no token named {name:?}")));
            }
        }
        AccessChange::SetGrants(grants) => {
            let mut table = txn.open_table(GRANTS)?;
            table.retain(|_, _| false)?;
            for g in grants {
                let json = serde_json::to_string(g).expect("a grant always serialises");
                table.insert(g.who.key().as_str(), json.as_str())?;
            }
        }
    }
    Ok(())
}

/// Takes the token hashes of an older data directory's `admin-tokens` file into the database as
/// owner tokens named `token-1`, `token-2`…, then renames the file so it is read once.
pub(super) fn import_token_file(txn: &WriteTransaction, dir: &Path) -> Result<usize, StoreError> {
    let file = dir.join(crate::config::ADMIN_TOKENS_FILE);
    let Ok(text) = std::fs::read_to_string(&file) else { return Ok(0) };
    let mut n = 0;
    for line in text.lines().map(str::trim).filter(|l| l.len() == 64 && hex::decode(l).is_ok()) {
        n += 1;
        let record = TokenRecord {
            name: format!("token-{n}"),
            hash: line.to_string(),
            role: Role::Owner,
            contexts: Vec::new(),
            expires: None,
            created: timestamp(),
        };
        apply(txn, &AccessChange::AddToken(record))?;
        append_audit(
            txn,
            &AuditEvent {
                admin: "server".into(),
                via: "start".into(),
                action: "token imported".into(),
                target: format!("token-{n}"),
                detail: "from the admin-tokens file, as an owner".into(),
                account: String::new(),
            },
        )?;
    }
    std::fs::rename(&file, dir.join(format!("{}.imported", crate::config::ADMIN_TOKENS_FILE)))
        .map_err(|e| StoreError::DataDir(dir.display().to_string(), e))?;
    Ok(n)
}

/// What `pulse check` found wrong with the audit log.
pub(super) fn audit_problems(txn: &redb::ReadTransaction) -> Result<(u64, Vec<String>), StoreError> {
    let audit = txn.open_table(AUDIT)?;
    let mut problems = Vec::new();
    let mut expected = 1;
    let mut prev = String::new();
    for row in audit.iter()? {
        let (seq, json) = row?;
        let (seq, json) = (seq.value(), json.value());
        match serde_json::from_str::<AuditEntry>(json) {
            Ok(entry) => {
                if seq != expected || entry.seq != seq {
                    problems.push(format!("audit entry {seq}: expected entry {expected} (an entry is missing)"));
                }
                if entry.prev != prev {
                    problems
                        .push(format!("audit entry {seq}: does not follow the entry before it (changed or removed)"));
                }
            }
            Err(e) => problems.push(format!("audit entry {seq}: unreadable: {e}")),
        }
        prev = hash_hex(json);
        expected = seq + 1;
    }
    Ok((expected - 1, problems))
}

impl Store {
    /// The token whose hash matches `token`, if any. Every stored hash is compared in constant
    /// time, so the answer takes as long for a near miss as for a far one.
    pub fn token(&self, token: &str) -> Result<Option<TokenRecord>, StoreError> {
        let presented = Sha256::digest(token.as_bytes());
        let txn = self.db.begin_read()?;
        let table = txn.open_table(ADMIN_TOKENS)?;
        let mut found = None;
        for row in table.iter()? {
            let (_, json) = row?;
            let record: TokenRecord = from_json(json.value())?;
            let Some(stored) = hex::decode(&record.hash).ok().filter(|h| h.len() == 32) else { continue };
            if bool::from(stored.as_slice().ct_eq(presented.as_slice())) {
                found = Some(record);
            }
        }
        Ok(found)
    }

    /// Every token, by name, without hashes.
    pub fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(ADMIN_TOKENS)?;
        table.iter()?.map(|row| Ok(from_json::<TokenRecord>(row?.1.value())?.listed())).collect()
    }

    /// The allowlist, in key order.
    pub fn grants(&self) -> Result<Vec<Grant>, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(GRANTS)?;
        table.iter()?.map(|row| from_json(row?.1.value())).collect()
    }

    /// The audit log from entry `from` on (1 for all).
    pub fn audit(&self, from: u64) -> Result<Vec<AuditEntry>, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(AUDIT)?;
        table.range(from..)?.map(|row| from_json(row?.1.value())).collect()
    }

    /// Records an admin action, on disk before it returns.
    pub async fn record(&self, event: AuditEvent) -> Result<(), StoreError> {
        self.ask(|reply| super::Job::Access(None, event, reply)).await
    }

    /// Changes who may be an admin and records it, in one transaction.
    pub async fn change_access(&self, change: AccessChange, event: AuditEvent) -> Result<(), StoreError> {
        self.ask(|reply| super::Job::Access(Some(change), event, reply)).await
    }
}

/// The writer's part: the change and its entry, committed together.
pub(super) fn write_access(
    db: &redb::Database,
    change: Option<&AccessChange>,
    event: &AuditEvent,
) -> Result<(), StoreError> {
    let txn = db.begin_write()?;
    if let Some(change) = change {
        apply(&txn, change)?;
    }
    append_audit(&txn, event)?;
    // Who may sign in changes no published figure: the publication cache stays.
    txn.commit()?;
    Ok(())
}

impl Store {
    /// For tests of `pulse check`: removes audit entry `seq` from a database file no server holds.
    #[doc(hidden)]
    pub fn tamper_with_audit(file: &Path, seq: u64) {
        let db = redb::Database::create(file).expect("the database file");
        let txn = db.begin_write().expect("a write");
        txn.open_table(AUDIT).expect("the audit table").remove(seq).expect("a removal");
        txn.commit().expect("a commit");
    }
}
