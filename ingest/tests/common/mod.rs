//! Helpers shared by the ingest tests: a fresh data directory, a valid response, and a way to send a
//! request through `app()` and read back status, headers and JSON.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use pulse_ingest::admin::admins::{create_token, NewToken};
use pulse_ingest::auth::access::Role;
use pulse_ingest::store::Store;
use pulse_ingest::{app, AppState};
use pulse_shared::Date;
use serde_json::{json, Value};
use tempfile::TempDir;
use tower::ServiceExt;

/// Makes a named token in `store` from synchronous code (a thread with its own runtime, as a
/// command would), and returns it.
pub fn make_token(store: &Arc<Store>, name: &str, role: Role, contexts: &[&str], expires: Option<Date>) -> String {
    let store = store.clone();
    let new = NewToken { name: name.into(), role, contexts: contexts.iter().map(|c| c.to_string()).collect(), expires };
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let today = pulse_ingest::public::responses::today();
            create_token(&store, new, pulse_ingest::cli::control::operator(), today).await.map(|m| m.token)
        })
    })
    .join()
    .unwrap()
    .unwrap()
}

/// An app over a fresh data directory, with one admin token.
pub struct TestApp {
    pub dir: TempDir,
    pub state: AppState,
    pub router: Router,
    pub token: String,
    /// The server's day, as days since 1970-01-01: today unless a test sets another.
    pub day: Arc<AtomicI64>,
}

impl TestApp {
    pub fn new() -> TestApp {
        TestApp::with_demo(false)
    }

    /// An app in demo mode (`--demo`): the demo pages are served too.
    pub fn with_demo(demo: bool) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let day = Arc::new(AtomicI64::new(pulse_ingest::public::responses::today().days_since_epoch()));
        let clock = day.clone();
        let state = AppState::open(dir.path().to_path_buf())
            .unwrap()
            .with_demo(demo)
            .with_clock(move || Date::from_days_since_epoch(clock.load(Ordering::SeqCst)));
        let token = make_token(&state.store, "test-owner", Role::Owner, &[], None);
        TestApp { router: app(state.clone()), state, dir, token, day }
    }

    /// Makes `day` (YYYY-MM-DD) the server's today.
    pub fn set_day(&self, day: &str) {
        self.day.store(day.parse::<Date>().unwrap().days_since_epoch(), Ordering::SeqCst);
    }

    /// A request with the admin token.
    pub fn admin(&self, method: &str, uri: &str, content_type: &str, body: &str) -> Request<Body> {
        Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", content_type)
            .body(Body::from(body.to_string()))
            .unwrap()
    }

    /// A JSON POST with the admin token.
    pub fn admin_post(&self, uri: &str, body: &str) -> Request<Body> {
        self.admin("POST", uri, "application/json", body)
    }

    /// A GET with the admin token, answered as (status, JSON).
    pub async fn admin_get(&self, uri: &str) -> (StatusCode, Value) {
        let (status, _, body) = self.send(self.admin("GET", uri, "application/json", "")).await;
        (status, body)
    }

    pub async fn send(&self, req: Request<Body>) -> (StatusCode, HeaderMap, Value) {
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        (status, headers, body)
    }

    pub async fn post(&self, survey: &str, body: &Value) -> (StatusCode, HeaderMap, Value) {
        self.send(post_json(survey, body.to_string())).await
    }

    pub async fn results(&self, survey: &str) -> Value {
        let req = Request::get(format!("/api/v1/surveys/{survey}/results"))
            .header("authorization", format!("Bearer {}", self.token))
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = self.send(req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    pub fn stored(&self, survey: &str) -> u64 {
        self.state.store.response_count(survey).unwrap()
    }

    /// The database file's bytes, to prove what is (not) on disk.
    pub fn database_bytes(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join(pulse_ingest::config::DATABASE_FILE)).unwrap()
    }
}

pub fn post_json(survey: &str, body: String) -> Request<Body> {
    Request::post(format!("/api/v1/surveys/{survey}/responses"))
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap()
}

/// A submission id made from a number, so tests can send many distinct ones.
pub fn submission_id(n: u32) -> String {
    format!("{n:032x}")
}

/// A complete, valid response to the default survey; `n` varies the answers and the id.
pub fn valid_response(n: u32, context: Option<&str>) -> Value {
    let awareness = ["not_heard", "heard_not_content", "know_whats_in_it"][n as usize % 3];
    let point = (n % 5 + 1) as u8;
    json!({
        "submission_id": submission_id(n),
        "survey_version": 1,
        "context": context,
        "answers": {
            "awareness": awareness,
            "where_met": ["induction", "intranet"],
            "values_lived": {"working_together": point, "respect_dignity": 5, "commitment_to_quality": 4,
                             "compassion": point, "improving_lives": 3, "everyone_counts": 5},
            "focus_value": "compassion",
            "shared_purpose": "agree",
            "story": "Our porters stayed late to help a family find the ward.",
            "story_values": ["compassion", "working_together"]
        }
    })
}

/// The count of `option` of question `question` in a results body, for everyone.
pub fn option_count(results: &Value, question: &str, option: &str) -> Value {
    let q = results["questions"].as_array().unwrap().iter().find(|q| q["id"] == question).unwrap();
    let o = q["options"].as_array().unwrap().iter().find(|o| o["id"] == option).unwrap();
    o["counts"]["all"].clone()
}
