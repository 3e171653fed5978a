//! The service on a real TCP listener with a real database file: concurrent submissions are all
//! acknowledged and counted, and everything survives a restart.

mod common;

use common::{option_count, submission_id, valid_response};
use pulse_ingest::store::StoreError;
use pulse_ingest::{app, AppState};
use reqwest::StatusCode;
use serde_json::Value;
use std::net::SocketAddr;
use std::path::Path;

struct Running {
    addr: SocketAddr,
    state: AppState,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<()>,
}

async fn start(dir: &Path) -> Running {
    // axum's serve returns once every connection has closed, a moment before each connection's task
    // drops its copy of the router, and with it the state holding the database: a restart waits that out.
    let mut waited = 0;
    let state = loop {
        match AppState::open(dir.to_path_buf()) {
            Ok(state) => break state,
            Err(StoreError::Database(redb::Error::DatabaseAlreadyOpen)) if waited < 100 => {
                waited += 1;
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(e) => panic!("the data directory does not open: {e}"),
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = app(state.clone());
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });
    Running { addr, state, stop, server }
}

impl Running {
    /// Stop as `pulse serve` does on SIGTERM: stop listening, then let queued writes commit.
    async fn stop(self) {
        let _ = self.stop.send(());
        self.server.await.unwrap();
        self.state.store.shutdown().await;
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

async fn results(client: &reqwest::Client, server: &Running, token: &str) -> Value {
    let r = client.get(server.url("/api/v1/surveys/constitution/results")).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_responses_are_all_stored_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let token = {
        let store = std::sync::Arc::new(pulse_ingest::store::Store::open(dir.path()).unwrap());
        let token = common::make_token(&store, "listener", pulse_ingest::auth::access::Role::Owner, &[], None);
        store.shutdown().await;
        token
    };
    let client = reqwest::Client::new();
    let server = start(dir.path()).await;

    let contexts = [Some("estates"), Some("clinical"), None];
    let sends: Vec<_> = (0..60u32)
        .map(|n| {
            let client = client.clone();
            let url = server.url("/api/v1/surveys/constitution/responses");
            let body = valid_response(n, contexts[n as usize % 3]);
            tokio::spawn(async move { client.post(url).json(&body).send().await.unwrap().status() })
        })
        .collect();
    for s in sends {
        assert_eq!(s.await.unwrap(), StatusCode::CREATED);
    }
    let before = results(&client, &server, &token).await;
    // Each context's 20 are released in steps of at least 10, as the writer's batches fell: 10 and
    // 20, or one step of 11 to 19 and the rest waiting.
    let released = before["responses"].as_u64().unwrap();
    assert!((33..=60).contains(&released), "{released}");
    assert_eq!(option_count(&before, "focus_value", "compassion"), released);
    // n % 3 picks both the awareness answer and the context, so each context holds one answer.
    let estates = before["contexts"].as_array().unwrap().iter().find(|c| c["id"] == "estates").unwrap();
    assert_eq!(option_count(&before, "awareness", "not_heard"), estates["responses"]);
    assert!(server.state.store.check().unwrap().release_problems.is_empty());
    server.stop().await;

    let server = start(dir.path()).await;
    let after = results(&client, &server, &token).await;
    assert_eq!(after, before, "results changed across a restart");
    let resend = client
        .post(server.url("/api/v1/surveys/constitution/responses"))
        .json(&valid_response(7, Some("clinical")))
        .send()
        .await
        .unwrap();
    assert_eq!(resend.status(), StatusCode::OK, "a response stored before the restart is recognised after it");
    let receipt: Value = resend.json().await.unwrap();
    assert_eq!(receipt["submission_id"], submission_id(7));
    assert_eq!(server.state.store.response_count("constitution").unwrap(), 60);
    server.stop().await;
}
