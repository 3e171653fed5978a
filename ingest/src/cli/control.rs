//! How `pulse backup`, `pulse check`, `pulse audit` and `pulse admin` reach a running server. redb lets one process hold the
//! database file, so while `pulse serve` runs, those commands ask it through a Unix socket in the
//! data directory instead of opening the file. The socket is readable and writable by its owner
//! only: whoever may use it may already read the database file beside it. One request per
//! connection, one JSON line each way.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::store::{AuditEntry, AuditEvent, BackupReport, CheckReport, Grant, Store, TokenRecord, Who};

/// The socket's name inside the data directory.
pub const SOCKET_FILE: &str = "pulse.sock";

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum Request {
    /// Write a consistent copy of the database to `out` (an absolute path).
    Backup {
        out: PathBuf,
    },
    /// Recount the counters from the stored responses.
    Check,
    /// Make a named token, recorded as made by `by`.
    CreateToken {
        new: crate::admin::admins::NewToken,
        by: AuditEvent,
    },
    RevokeToken {
        name: String,
        by: AuditEvent,
    },
    /// The tokens and the allowlist.
    Admins,
    /// Give `grant` its role (replacing any other for the same person or group), or take it away.
    Grant {
        grant: Grant,
        change: GrantChange,
        by: AuditEvent,
    },
    /// The audit log from a day on.
    Audit {
        since: Option<pulse_shared::Date>,
    },
}

/// What `pulse admin allow` and `pulse admin disallow` do to a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantChange {
    Allow,
    Disallow,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Backup(BackupReport),
    Check(CheckReport),
    Token { token: String, record: TokenRecord },
    Admins { tokens: Vec<TokenRecord>, grants: Vec<Grant> },
    Done,
    Audit(Vec<AuditEntry>),
    Error(String),
}

/// Carries out `request` on `store`: for the socket, and for the commands when no server runs.
pub async fn perform(store: &Arc<Store>, request: Request) -> Reply {
    let blocking = |f: Box<dyn FnOnce(&Store) -> Reply + Send>| {
        let store = store.clone();
        async move { tokio::task::spawn_blocking(move || f(&store)).await.unwrap_or_else(|e| Reply::Error(e.to_string())) }
    };
    let failed = |e: crate::error::ApiError| Reply::Error(e.with_details());
    match request {
        Request::Backup { out } if out.is_absolute() => {
            blocking(Box::new(move |s| match s.backup(&out) {
                Ok(report) => {
                    tracing::info!(responses = report.responses, bytes = report.bytes, "backup written");
                    Reply::Backup(report)
                }
                Err(e) => Reply::Error(e.to_string()),
            }))
            .await
        }
        Request::Backup { .. } => Reply::Error("the backup path must be absolute".into()),
        Request::Check => {
            blocking(Box::new(|s| s.check().map_or_else(|e| Reply::Error(e.to_string()), Reply::Check))).await
        }
        Request::CreateToken { new, by } => {
            match crate::admin::admins::create_token(store, new, by, crate::public::responses::today()).await {
                Ok(made) => Reply::Token { token: made.token, record: made.record },
                Err(e) => failed(e),
            }
        }
        Request::RevokeToken { name, by } => {
            crate::admin::admins::revoke_token(store, &name, by).await.map_or_else(failed, |()| Reply::Done)
        }
        Request::Admins => {
            blocking(Box::new(|s| match (s.tokens(), s.grants()) {
                (Ok(tokens), Ok(grants)) => Reply::Admins { tokens, grants },
                (Err(e), _) | (_, Err(e)) => Reply::Error(e.to_string()),
            }))
            .await
        }
        Request::Grant { grant, change, by } => {
            let mut grants = match store.grants() {
                Ok(g) => g,
                Err(e) => return Reply::Error(e.to_string()),
            };
            let key = grant.who.key();
            let had = grants.len();
            grants.retain(|g| g.who.key() != key);
            match change {
                GrantChange::Disallow if grants.len() == had => {
                    return Reply::Error(format!("{} is not on the list", grant.who));
                }
                GrantChange::Disallow => {}
                GrantChange::Allow => grants.push(grant),
            }
            crate::admin::admins::set_grants(store, grants, by).await.map_or_else(failed, |_| Reply::Done)
        }
        Request::Audit { since } => {
            blocking(Box::new(move |s| {
                crate::admin::audit::entries(s, since).map_or_else(|e| Reply::Error(e.to_string()), Reply::Audit)
            }))
            .await
        }
    }
}

/// Whom the audit log names for a command run at the server's command line.
pub fn operator() -> AuditEvent {
    let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "unknown".into());
    AuditEvent {
        admin: user,
        via: "command line".into(),
        action: String::new(),
        target: String::new(),
        detail: String::new(),
        account: String::new(),
    }
}

/// A grant naming `who`.
pub fn who(email: Option<String>, group: Option<String>) -> Who {
    match (email, group) {
        (Some(e), _) => Who::Email(e),
        (None, Some(g)) => Who::Group(g),
        (None, None) => Who::Email(String::new()),
    }
}

fn socket_path(data: &Path) -> PathBuf {
    data.join(SOCKET_FILE)
}

/// Answers requests on the data directory's socket until the server stops. A socket left by a
/// server that was killed is replaced: the database lock, already held, says no other server runs.
#[cfg(unix)]
pub fn listen(data: &Path, store: Arc<Store>) -> std::io::Result<tokio::task::JoinHandle<()>> {
    use std::os::unix::fs::PermissionsExt;
    let path = socket_path(data);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let listener = tokio::net::UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let _ = answer(stream, &store).await;
            });
        }
    }))
}

#[cfg(unix)]
async fn answer(stream: tokio::net::UnixStream, store: &Arc<Store>) -> std::io::Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    tokio::io::BufReader::new(read).read_line(&mut line).await?;
    let reply = match serde_json::from_str::<Request>(&line) {
        Ok(request) => perform(store, request).await,
        Err(e) => Reply::Error(format!("not a request: {e}")),
    };
    let mut text = serde_json::to_string(&reply).map_err(std::io::Error::other)?;
    text.push('\n');
    write.write_all(text.as_bytes()).await
}

/// Removes the socket when the server stops.
pub fn remove(data: &Path) {
    let _ = std::fs::remove_file(socket_path(data));
}

/// Sends `request` to the server running on `data`; `None` when no server is listening there.
#[cfg(unix)]
pub fn ask(data: &Path, request: &Request) -> std::io::Result<Option<Reply>> {
    let stream = match std::os::unix::net::UnixStream::connect(socket_path(data)) {
        Ok(s) => s,
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused) => {
            return Ok(None)
        }
        Err(e) => return Err(e),
    };
    let mut text = serde_json::to_string(request).map_err(std::io::Error::other)?;
    text.push('\n');
    (&stream).write_all(text.as_bytes())?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    serde_json::from_str(&line).map(Some).map_err(std::io::Error::other)
}

#[cfg(not(unix))]
pub fn ask(_data: &Path, _request: &Request) -> std::io::Result<Option<Reply>> {
    Ok(None)
}

#[cfg(not(unix))]
pub fn listen(_data: &Path, _store: Arc<Store>) -> std::io::Result<tokio::task::JoinHandle<()>> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "no control socket on this platform"))
}
