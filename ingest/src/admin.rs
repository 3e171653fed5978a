//! Admin tokens. A token is printed once when it is created; only its SHA-256 hash is kept, in a
//! small file beside the database so a token can be created while the server is running (the
//! database file is locked by the server).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::ADMIN_TOKENS_FILE;
use crate::error::ApiError;
use crate::AppState;

/// The file of token hashes in a data directory.
pub fn tokens_path(data: &Path) -> PathBuf {
    data.join(ADMIN_TOKENS_FILE)
}

/// Makes a new token, appends its hash to the tokens file, and returns the token itself.
pub fn create_token(data: &Path) -> std::io::Result<String> {
    std::fs::create_dir_all(data)?;
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(std::io::Error::other)?;
    let token = format!("pulse_{}", hex::encode(secret));
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(tokens_path(data))?;
    writeln!(file, "{}", hex::encode(Sha256::digest(token.as_bytes())))?;
    file.sync_all()?;
    Ok(token)
}

/// Whether `token` is one of the tokens whose hashes are in `data`'s tokens file. Every stored hash
/// is compared, in constant time, so the answer takes as long for a near miss as for a far one.
pub fn token_is_valid(data: &Path, token: &str) -> bool {
    let Ok(file) = std::fs::read_to_string(tokens_path(data)) else { return false };
    let presented = Sha256::digest(token.as_bytes());
    let mut valid = subtle::Choice::from(0);
    for line in file.lines() {
        let Some(stored) = hex::decode(line.trim()).ok().filter(|h| h.len() == 32) else { continue };
        valid |= stored.as_slice().ct_eq(presented.as_slice());
    }
    valid.into()
}

/// The admin routes' layer (see `router`): a request goes on only with a valid admin bearer token,
/// and is otherwise answered 401.
pub async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_string);
    let Some(token) = token else { return ApiError::Unauthorized.into_response() };
    let data = state.data_dir.clone();
    match tokio::task::spawn_blocking(move || token_is_valid(&data, &token)).await {
        Ok(true) => next.run(request).await,
        Ok(false) => ApiError::Unauthorized.into_response(),
        Err(e) => ApiError::Internal(e.to_string()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_created_tokens_are_valid_and_only_hashes_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!token_is_valid(dir.path(), "anything"), "no tokens file: nothing is valid");
        let a = create_token(dir.path()).unwrap();
        let b = create_token(dir.path()).unwrap();
        assert_ne!(a, b);
        assert!(token_is_valid(dir.path(), &a));
        assert!(token_is_valid(dir.path(), &b));
        assert!(!token_is_valid(dir.path(), &a[..a.len() - 1]));
        assert!(!token_is_valid(dir.path(), ""));
        let file = std::fs::read_to_string(tokens_path(dir.path())).unwrap();
        assert!(!file.contains(&a) && !file.contains(&b), "tokens themselves are never written");
    }
}
