//! The Values Pulse server: serves survey definitions, stores anonymised responses in redb and
//! gives admins suppressed results.
//!
//! Run it with `cargo run --release` (or `pulse serve --data DIR --bind ADDR`); tests drive
//! [`app`] directly.

pub mod admin;
pub mod auth;
pub mod cli;
pub mod config;
pub mod error;
pub mod export;
pub mod http;
pub mod openapi;
pub mod pages;
pub mod public;
pub mod router;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::{Json, Router};
use tower::ServiceBuilder;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{oidc, sessions};
use crate::cli::control;
use crate::config::{ServeArgs, BODY_LIMIT_BYTES};
use crate::error::ApiError;
use crate::http::{connections, protocol, ratelimit};
use crate::pages::demo;
use crate::store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    /// The data directory.
    pub data_dir: Arc<PathBuf>,
    /// Signed-in admins' sessions and sign-ins in progress.
    pub sessions: Arc<sessions::Sessions>,
    /// Sign-in with the organisation's identity provider, when configured.
    pub sign_in: Option<Arc<oidc::SignIn>>,
    /// Origins allowed to embed every survey, besides each survey's own `allowed_origins`.
    pub embed_origins: Arc<Vec<String>>,
    /// Demo mode (`--demo`): the demo intranet pages are served.
    pub demo: bool,
    /// The organisation's name (`--organisation`), for the board pack.
    pub organisation: Arc<String>,
    /// Permits for the reads that build a whole file or trend at once (see [`ratelimit::heavy_read`]).
    pub heavy_reads: Arc<tokio::sync::Semaphore>,
    /// The editor's previews of definitions, for an hour each (never stored).
    pub previews: Arc<pages::preview::Previews>,
}

impl AppState {
    pub fn open(data_dir: PathBuf) -> Result<AppState, store::StoreError> {
        let store = Store::open(&data_dir)?;
        Ok(AppState {
            store: Arc::new(store),
            data_dir: Arc::new(data_dir),
            sessions: Arc::new(sessions::Sessions::new(
                Duration::from_secs(config::SESSION_IDLE_SECONDS),
                Duration::from_secs(config::SESSION_MAX_SECONDS),
            )),
            sign_in: None,
            embed_origins: Arc::new(Vec::new()),
            demo: false,
            organisation: Arc::new(config::DEFAULT_ORGANISATION.into()),
            heavy_reads: Arc::new(tokio::sync::Semaphore::new(config::HEAVY_READS_AT_ONCE)),
            previews: Arc::default(),
        })
    }

    /// The day the server takes responses on, checks waves against and releases them by (the
    /// store's: see [`Store::today`]).
    pub fn today(&self) -> pulse_shared::Date {
        self.store.today()
    }

    /// Tests set another day to step through waves.
    pub fn with_clock(self, clock: impl Fn() -> pulse_shared::Date + Send + Sync + 'static) -> AppState {
        self.store.set_clock(Arc::new(clock));
        self
    }

    pub fn with_organisation(mut self, name: String) -> AppState {
        self.organisation = Arc::new(name);
        self
    }

    pub fn with_embed_origins(mut self, origins: Vec<String>) -> AppState {
        self.embed_origins = Arc::new(origins);
        self
    }

    /// Sign-in with an identity provider, and how long a session lasts idle and at most.
    pub fn with_sign_in(mut self, sign_in: Option<oidc::SignIn>, idle: Duration, max: Duration) -> AppState {
        self.sign_in = sign_in.map(Arc::new);
        self.sessions = Arc::new(sessions::Sessions::new(idle, max));
        self
    }

    pub fn with_demo(mut self, demo: bool) -> AppState {
        self.demo = demo;
        self
    }
}

/// Limits that apply to every request.
#[derive(Clone)]
pub struct Limits {
    pub request_timeout: Duration,
    pub max_concurrent: usize,
    /// Per client address; `None` when turned off.
    pub rate_limiter: Option<Arc<ratelimit::RateLimiter>>,
}

impl Default for Limits {
    fn default() -> Self {
        let args = ServeArgs::from_env();
        Limits::from(&args)
    }
}

impl From<&ServeArgs> for Limits {
    fn from(args: &ServeArgs) -> Self {
        Limits {
            request_timeout: Duration::from_secs(args.request_timeout),
            max_concurrent: args.max_concurrent,
            rate_limiter: ratelimit::RateLimiter::keyed_by(
                args.rate_limit,
                args.rate_burst,
                args.client_address_header.clone(),
            ),
        }
    }
}

/// The whole HTTP API with its default limits.
pub fn app(state: AppState) -> Router {
    app_with_limits(state, Limits::default())
}

pub fn app_with_limits(state: AppState, limits: Limits) -> Router {
    router::routes(&state)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(
            ServiceBuilder::new()
                // JSON and pages worth it go out with brotli or gzip, as the client asks (with
                // `Vary: Accept-Encoding`); the widget's files are compressed at build time and pass
                // untouched, as does anything already compressed (images, XLSX).
                .layer(
                    CompressionLayer::new().compress_when(
                        SizeAbove::new(1024)
                            .and(NotForContentType::IMAGES)
                            .and(NotForContentType::SSE)
                            .and(NotForContentType::const_new("application/vnd.openxmlformats")),
                    ),
                )
                // The span holds the method and path only: no query, no address, no headers.
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(protocol::span)
                        .on_request(protocol::on_request)
                        .on_response(protocol::on_response),
                )
                .layer(axum::middleware::map_response(error::log_server_errors))
                .layer(axum::middleware::map_response(protocol::security_headers))
                .layer(axum::middleware::from_fn(protocol::guard))
                // Before the concurrency limit, so a flood from one address takes no one else's turn.
                .layer(from_fn_with_state(limits.rate_limiter, ratelimit::limit))
                .layer(HandleErrorLayer::new(|e: tower::BoxError| async move {
                    if e.is::<tower::load_shed::error::Overloaded>() {
                        ApiError::Overloaded
                    } else if e.is::<tower::timeout::error::Elapsed>() {
                        ApiError::Timeout
                    } else {
                        ApiError::Internal(e.to_string())
                    }
                }))
                .timeout(limits.request_timeout)
                // A request over the limit is refused at once (503, Retry-After) rather than queued
                // without bound.
                .load_shed()
                .concurrency_limit(limits.max_concurrent)
                .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES)),
        )
        .with_state(state)
}

/// Liveness: answers while the server is serving.
#[utoipa::path(get, path = "/healthz", tag = "service", responses((status = 200, description = "Serving", body = Object, example = json!({"status": "ok"}))))]
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok"}))
}

/// Says which path has no route (the path only: a query string may hold anything).
async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(format!("no route for {}", uri.path()))
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// `pulse serve`: open the store, listen, and on Ctrl-C or SIGTERM stop taking requests, let
/// queued writes commit, and exit.
pub async fn serve(args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let sign_in = oidc::SignIn::from_args(&args)?;
    if let Some(s) = &sign_in {
        oidc::check_at_start(s).await?;
        tracing::info!(issuer = %s.issuer, "admins sign in with the identity provider");
    }
    let state = AppState::open(args.data.data.clone())?
        .with_embed_origins(args.embed_origins.clone())
        .with_demo(args.demo)
        .with_organisation(match (args.demo, args.organisation.as_str()) {
            (true, config::DEFAULT_ORGANISATION) => config::DEMO_ORGANISATION.into(),
            (_, name) => name.to_string(),
        })
        .with_sign_in(sign_in, Duration::from_secs(args.session_idle), Duration::from_secs(args.session_max));
    if args.demo {
        let added = demo::seed_waves(&state.store).await?;
        tracing::info!(added, "demo responses loaded into the default survey, in four waves (the last open)");
    }
    // Every survey's figures (and trend) worked out once now, while the server starts listening, rather than
    // by the first requests (at the wave limit that takes a quarter of a second).
    let warming = state.store.clone();
    tokio::spawn(async move {
        let surveys: Vec<String> = warming.surveys().iter().map(|s| s.definition.id.clone()).collect();
        let worked_out = warming
            .read(move |store| {
                surveys.iter().try_for_each(|id| {
                    let published = store.publication(id)?;
                    if let Some(p) = published.filter(|_| !store.waves(id).is_empty()) {
                        p.trend();
                    }
                    Ok::<_, store::StoreError>(())
                })
            })
            .await;
        if let Err(e) = worked_out {
            tracing::warn!(error = %e, "could not work out the published figures at start");
        }
    });
    let listener = tokio::net::TcpListener::bind(args.bind).await?;
    tracing::info!(data = %args.data.data.display(), "Values Pulse listening on http://{}", listener.local_addr()?);
    let store = state.store.clone();
    let control = control::listen(&args.data.data, store.clone())
        .map_err(
            |e| tracing::warn!(error = %e, "no control socket: pulse backup and pulse check need the server stopped"),
        )
        .ok();
    // The peer address reaches the rate limiter only, in memory, and nothing else.
    let limits = Limits::from(&args);
    // Addresses whose allowance has refilled are forgotten once a minute, off the request path.
    if let Some(limiter) = limits.rate_limiter.clone() {
        tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                limiter.forget_refilled();
            }
        });
    }
    let app = app_with_limits(state, limits);
    let file_limit = connections::open_file_limit();
    let connection_limits = connections::ConnectionLimits {
        head_timeout: Duration::from_secs(args.header_timeout),
        keep_alive_timeout: Duration::from_secs(args.keep_alive_timeout),
        busy_timeout: Duration::from_secs(args.request_timeout + config::ANSWER_WRITE_SECONDS),
        max_connections: connections::connection_cap(args.max_connections, file_limit),
    };
    tracing::info!(
        max_connections = connection_limits.max_connections,
        open_file_limit = %file_limit.map_or("unknown".to_string(), |n| n.to_string()),
        header_timeout_s = args.header_timeout,
        keep_alive_timeout_s = args.keep_alive_timeout,
        "connection limits"
    );
    // Requests in progress at shutdown get as long as any request may take.
    let drain = Duration::from_secs(args.request_timeout + 1);
    connections::serve(listener, app, connection_limits, drain, shutdown_signal()).await;
    if let Some(control) = control {
        control.abort();
        control::remove(&args.data.data);
    }
    store.shutdown().await;
    tracing::info!("stopped; every acknowledged response is on disk");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
