//! The yardstick for the ingest benchmark: an axum server that reads a request body and answers 200,
//! storing nothing. `cargo run --release --example bare -- 127.0.0.1:PORT`
use axum::routing::post;
use axum::Router;

#[tokio::main]
async fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8090".into());
    let app = Router::new().route("/api/v1/surveys/{id}/responses", post(|_: axum::body::Bytes| async { "ok" }));
    let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
