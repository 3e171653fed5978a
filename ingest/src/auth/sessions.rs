//! Dashboard sessions, held in the server's memory only: a random id in an `HttpOnly; Secure;
//! SameSite=Strict` cookie, ended after an idle time and an absolute time, or at sign-out. Only a
//! hash of the id is kept, so the table itself holds nothing a browser could present. A restart
//! signs every admin out, which is the safe way round.
//!
//! Also the sign-ins in progress: the `state`, PKCE verifier and nonce of each, taken once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::auth::role::Admin;

/// The session cookie's name.
pub const COOKIE: &str = "pulse_admin";
/// The cookie that ties a sign-in's `state` to the browser that started it.
pub const LOGIN_COOKIE: &str = "pulse_sign_in";
/// How long a sign-in at the identity provider may take.
pub const SIGN_IN_TIME: Duration = Duration::from_secs(600);

struct Session {
    admin: Admin,
    /// The sign-in's ID token, the hint the provider's sign-out takes; only in memory.
    id_token: Option<String>,
    csrf: String,
    started: Instant,
    last: Instant,
}

/// A sign-in started at `/auth/login`, waiting for the provider's answer at `/auth/callback`.
pub struct Pending {
    pub pkce_verifier: String,
    pub nonce: String,
    started: Instant,
}

pub struct Sessions {
    sessions: Mutex<HashMap<String, Session>>,
    pending: Mutex<HashMap<String, Pending>>,
    pub idle: Duration,
    pub max: Duration,
}

/// 32 random bytes as hex.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system's random source");
    hex::encode(bytes)
}

fn key(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

/// Whether two secrets are equal, in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl Sessions {
    pub fn new(idle: Duration, max: Duration) -> Sessions {
        Sessions { sessions: Mutex::default(), pending: Mutex::default(), idle, max }
    }

    /// Starts a session for `admin`: its id (for the cookie) and its CSRF token.
    pub fn start(&self, admin: Admin, id_token: Option<String>) -> (String, String) {
        let (id, csrf) = (random_secret(), random_secret());
        let now = Instant::now();
        let mut sessions = self.sessions.lock().expect("sessions lock");
        // Ended sessions are forgotten as new ones start.
        sessions.retain(|_, s| now - s.last < self.idle && now - s.started < self.max);
        sessions.insert(key(&id), Session { admin, id_token, csrf: csrf.clone(), started: now, last: now });
        (id, csrf)
    }

    /// The admin and CSRF token of a live session, which this use keeps alive; `None` for an unknown
    /// or ended one (which is forgotten).
    pub fn get(&self, id: &str) -> Option<(Admin, String)> {
        let now = Instant::now();
        let mut sessions = self.sessions.lock().expect("sessions lock");
        let k = key(id);
        let session = sessions.get_mut(&k)?;
        if now - session.last >= self.idle || now - session.started >= self.max {
            sessions.remove(&k);
            return None;
        }
        session.last = now;
        Some((session.admin.clone(), session.csrf.clone()))
    }

    /// Ends a session; the admin it was and its ID token, if it was live.
    pub fn end(&self, id: &str) -> Option<(Admin, Option<String>)> {
        self.sessions.lock().expect("sessions lock").remove(&key(id)).map(|s| (s.admin, s.id_token))
    }

    /// Remembers a sign-in in progress under its `state`.
    pub fn begin_sign_in(&self, state: &str, pkce_verifier: String, nonce: String) {
        let now = Instant::now();
        let mut pending = self.pending.lock().expect("pending lock");
        pending.retain(|_, p| now - p.started < SIGN_IN_TIME);
        pending.insert(key(state), Pending { pkce_verifier, nonce, started: now });
    }

    /// Takes the sign-in of `state`: once only, and only within [`SIGN_IN_TIME`].
    pub fn take_sign_in(&self, state: &str) -> Option<Pending> {
        let pending = self.pending.lock().expect("pending lock").remove(&key(state))?;
        (pending.started.elapsed() < SIGN_IN_TIME).then_some(pending)
    }
}

/// `Set-Cookie` for a session (or, with `None`, one that removes it).
pub fn session_cookie(id: Option<&str>) -> String {
    match id {
        Some(id) => format!("{COOKIE}={id}; Path=/; HttpOnly; Secure; SameSite=Strict"),
        None => format!("{COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"),
    }
}

/// `Set-Cookie` for a sign-in in progress. `Lax`, because the provider sends the browser back with a
/// cross-site navigation, which a `Strict` cookie would not go with.
pub fn sign_in_cookie(state: Option<&str>) -> String {
    match state {
        Some(s) => format!("{LOGIN_COOKIE}={s}; Path=/auth/; HttpOnly; Secure; SameSite=Lax; Max-Age=600"),
        None => format!("{LOGIN_COOKIE}=; Path=/auth/; HttpOnly; Secure; SameSite=Lax; Max-Age=0"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::role::{Role, Via};

    fn admin() -> Admin {
        Admin { name: "Jo".into(), role: Role::Analyst, contexts: vec![], via: Via::SignIn, account: None }
    }

    #[test]
    fn a_session_ends_when_idle_and_at_sign_out_and_a_sign_in_is_taken_once() {
        let sessions = Sessions::new(Duration::from_millis(50), Duration::from_secs(60));
        let (id, csrf) = sessions.start(admin(), None);
        assert_eq!(sessions.get(&id).map(|(_, c)| c), Some(csrf));
        std::thread::sleep(Duration::from_millis(80));
        assert!(sessions.get(&id).is_none(), "idle too long");
        let (id, _) = sessions.start(admin(), None);
        assert!(sessions.end(&id).is_some());
        assert!(sessions.get(&id).is_none(), "signed out");
        sessions.begin_sign_in("s1", "v".into(), "n".into());
        assert!(sessions.take_sign_in("s2").is_none());
        assert!(sessions.take_sign_in("s1").is_some());
        assert!(sessions.take_sign_in("s1").is_none(), "a state is used once");
        let max = Sessions::new(Duration::from_secs(60), Duration::from_millis(50));
        let (id, _) = max.start(admin(), None);
        std::thread::sleep(Duration::from_millis(30));
        assert!(max.get(&id).is_some());
        std::thread::sleep(Duration::from_millis(30));
        assert!(max.get(&id).is_none(), "past the absolute time, even while in use");
    }
}
