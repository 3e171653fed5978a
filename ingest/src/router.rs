//! Every route of the server, in one table by audience. Handlers live in the module of the resource
//! they serve; what guards them is decided here, once per audience:
//! - **public**: what the widget, the showcase and the results embed read and send, behind the survey's origin check;
//! - **admin**: results, trends, the values evidence pack, waves and headcounts, what is shared with staff, stories, moderation,
//!   publishing, who is an admin and the audit log, behind [`access::require_admin`] (a route layer over the whole group,
//!   so no handler can forget it: a signed-in session or named token, the role each route needs from
//!   [`access::RULES`], and the audit entry) and the admin headers;
//! - **sign-in**: the identity provider's round trip, the session, sign-out;
//! - **pages**: the dashboard, the iframe page, the widget's files and the pages at `/` (the demo
//!   intranet pages only in demo mode);
//! - **service**: health and the API document.

use axum::middleware::{from_fn_with_state, map_response};
use axum::routing::{delete, get, patch, post, put};
use axum::Router;

use crate::admin::{admins, audit, evidence, moderation, results, waves};
use crate::auth::{access, oidc};
use crate::http::origins;
use crate::openapi;
use crate::pages::{assets, dashboard, frame};
use crate::public::{headlines, responses, showcase, surveys};
use crate::AppState;

/// The whole route table.
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(service())
        .merge(public(state))
        .merge(admin_api(state))
        .merge(sign_in())
        .merge(pages(state.demo))
}

fn service() -> Router<AppState> {
    Router::new().route("/healthz", get(crate::healthz)).route("/api/v1/openapi.json", get(openapi::document))
}

/// Open to the survey's allowed origins (and to requests that name no origin); answers a browser's
/// preflight.
fn public(state: &AppState) -> Router<AppState> {
    let origin_checked =
        |routes: Router<AppState>| routes.layer(from_fn_with_state(state.clone(), origins::check_origin));
    let reads = Router::new()
        .route("/api/v1/surveys/{id}", get(surveys::definition).options(origins::preflight))
        .route("/api/v1/surveys/{id}/showcase", get(showcase::showcase).options(origins::preflight))
        .route("/api/v1/surveys/{id}/headlines", get(headlines::headlines_json).options(origins::preflight));
    let responses =
        Router::new().route("/api/v1/surveys/{id}/responses", post(responses::submit).options(origins::preflight));
    // Refusals of a response are written in the language Accept-Language asks for.
    origin_checked(reads).merge(origin_checked(responses).layer(map_response(responses::vary_accept_language)))
}

/// Only for an admin whose role the route allows; never cached, framed or sniffed. Downloads and
/// the trend take turns ([`ratelimit::heavy_read`]).
fn admin_api(state: &AppState) -> Router<AppState> {
    let heavy = || from_fn_with_state(state.clone(), crate::http::ratelimit::heavy_read);
    Router::new()
        .route("/api/v1/me", get(access::me))
        .route("/api/v1/surveys", get(surveys::list).post(surveys::publish))
        .route("/api/v1/surveys/{id}/results", get(results::results_json))
        .route("/api/v1/surveys/{id}/results.csv", get(results::results_csv).layer(heavy()))
        .route("/api/v1/surveys/{id}/results.xlsx", get(results::results_xlsx).layer(heavy()))
        .route("/api/v1/surveys/{id}/trend", get(waves::trend_json).layer(heavy()))
        .route("/api/v1/surveys/{id}/trend.csv", get(waves::trend_csv).layer(heavy()))
        .route("/api/v1/surveys/{id}/waves", get(waves::list).post(waves::add))
        .route("/api/v1/surveys/{id}/waves/{wave}", patch(waves::correct).delete(waves::delete))
        .route("/api/v1/surveys/{id}/waves/{wave}/headcounts", put(waves::headcounts))
        .route("/api/v1/surveys/{id}/stories", get(results::stories_json))
        .route("/api/v1/surveys/{id}/stories.csv", get(results::stories_csv).layer(heavy()))
        .route("/api/v1/surveys/{id}/evidence.xlsx", get(evidence::xlsx).layer(heavy()))
        .route("/api/v1/surveys/{id}/evidence/{value}", get(evidence::value_json))
        .route("/api/v1/surveys/{id}/sharing", get(headlines::get_sharing).put(headlines::set_sharing))
        .route("/api/v1/surveys/{id}/moderation", get(moderation::queue))
        .route("/api/v1/surveys/{id}/moderation/{story}", post(moderation::decide))
        .route("/api/v1/admins/grants", get(admins::get_grants).put(admins::put_grants))
        .route("/api/v1/admins/tokens", get(admins::list_tokens).post(admins::post_token))
        .route("/api/v1/admins/tokens/{name}", delete(admins::delete_token))
        .route("/api/v1/audit", get(audit::audit_json))
        .route("/api/v1/audit.csv", get(audit::audit_csv).layer(heavy()))
        // A route layer: a path no route matches stays a 404, not a 401.
        .route_layer(from_fn_with_state(state.clone(), access::require_admin))
        .layer(map_response(dashboard::admin_headers))
}

/// The dashboard's sign-in with the organisation's identity provider. Only admins' browsers come
/// here; staff never get a cookie.
fn sign_in() -> Router<AppState> {
    Router::new()
        .route("/auth/login", get(oidc::login))
        .route("/auth/callback", get(oidc::callback))
        .route("/auth/session", get(oidc::session))
        .route("/auth/logout", post(oidc::logout))
        .layer(map_response(dashboard::admin_headers))
}

fn pages(demo: bool) -> Router<AppState> {
    let home = if demo {
        Router::new()
            .route("/", get(assets::demo_page))
            .route("/demo/cy", get(assets::demo_page_cy))
            .route("/demo/iframe", get(assets::demo_page_iframe))
            .route("/demo/stories", get(assets::demo_page_stories))
    } else {
        Router::new().route("/", get(assets::home_page))
    };
    let dashboard = Router::new()
        .route("/admin", get(dashboard::page))
        .route("/admin/{file}", get(dashboard::file))
        .layer(map_response(dashboard::admin_headers));
    home.merge(dashboard)
        .route("/widget/{file}", get(assets::widget_file))
        .route("/embed/frame.js", get(frame::script))
        .route("/embed/{survey}", get(frame::page))
}
