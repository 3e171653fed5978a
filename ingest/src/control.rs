//! How `pulse backup` and `pulse check` reach a running server. redb lets one process hold the
//! database file, so while `pulse serve` runs, those commands ask it through a Unix socket in the
//! data directory instead of opening the file. The socket is readable and writable by its owner
//! only: whoever may use it may already read the database file beside it. One request per
//! connection, one JSON line each way.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::store::{BackupReport, CheckReport, Store};

/// The socket's name inside the data directory.
pub const SOCKET_FILE: &str = "pulse.sock";

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum Request {
    /// Write a consistent copy of the database to `out` (an absolute path).
    Backup { out: PathBuf },
    /// Recount the counters from the stored responses.
    Check,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Backup(BackupReport),
    Check(CheckReport),
    Error(String),
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
                let Ok(stream) = stream.into_std() else { return };
                // Backups and recounts read the whole file: they run on a blocking thread.
                let _ = tokio::task::spawn_blocking(move || answer(stream, &store)).await;
            });
        }
    }))
}

#[cfg(unix)]
fn answer(stream: std::os::unix::net::UnixStream, store: &Store) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let reply = match serde_json::from_str::<Request>(&line) {
        Ok(Request::Backup { out }) if out.is_absolute() => match store.backup(&out) {
            Ok(report) => {
                tracing::info!(responses = report.responses, bytes = report.bytes, "backup written");
                Reply::Backup(report)
            }
            Err(e) => Reply::Error(e.to_string()),
        },
        Ok(Request::Backup { .. }) => Reply::Error("the backup path must be absolute".into()),
        Ok(Request::Check) => match store.check() {
            Ok(report) => Reply::Check(report),
            Err(e) => Reply::Error(e.to_string()),
        },
        Err(e) => Reply::Error(format!("not a request: {e}")),
    };
    let mut text = serde_json::to_string(&reply).map_err(std::io::Error::other)?;
    text.push('\n');
    (&stream).write_all(text.as_bytes())
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
