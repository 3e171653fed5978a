//! Every route of the server, in one table by audience. Handlers live in the module of the resource
//! they serve, each with its path in its API annotation; a route line here takes the path from
//! there ([`routes!`]) and says what guards it, so the API document is collected from this table:
//! - **public**: what the widget, the showcase and the results embed read and send, behind the survey's origin check;
//! - **admin**: drafts of surveys and their previews, results, trends, the values evidence pack, waves and headcounts, what is shared with staff, stories, moderation,
//!   publishing, who is an admin and the audit log. Each line names the roles besides owner that may use it and what
//!   the audit log calls it ([`AdminRoutes::add`], the only way in, so no route can be added unguarded), and the admin
//!   headers cover them all;
//! - **sign-in**: the identity provider's round trip, the session, sign-out;
//! - **pages**: the dashboard, the iframe page, the widget's files and the pages at `/` (the demo
//!   intranet pages only in demo mode);
//! - **service**: health and the API document.

use std::sync::Arc;

use axum::middleware::{from_fn_with_state, map_response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::admin::{admins, audit, drafts, evidence, moderation, references, results, sharing, stories, trend, waves};
use crate::auth::access::{self, Guard, Rule, ANALYST, ANYONE, MODERATOR, OWNER, RESULTS, STORIES};
use crate::auth::oidc;
use crate::http::origins;
use crate::openapi::{self, ApiDoc};
use crate::pages::{assets, dashboard, frame, preview};
use crate::public::{headlines, responses, showcase, surveys};
use crate::AppState;

/// The whole route table, with the API document it describes (served at `/api/v1/openapi.json`).
pub fn routes(state: &AppState) -> Router<AppState> {
    let (router, document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(service())
        .merge(public(state))
        .merge(admin_api(state))
        .merge(pages(state.demo))
        .split_for_parts();
    router.merge(sign_in()).layer(Extension(Arc::new(document)))
}

fn service() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(crate::healthz)).routes(routes!(openapi::document))
}

/// Open to the survey's allowed origins (and to requests that name no origin); answers a browser's
/// preflight.
fn public(state: &AppState) -> OpenApiRouter<AppState> {
    let origin_checked =
        |routes: OpenApiRouter<AppState>| routes.layer(from_fn_with_state(state.clone(), origins::check_origin));
    let preflight = |route: UtoipaMethodRouter<AppState>| route.map(|m| m.options(origins::preflight));
    let reads = OpenApiRouter::new()
        .routes(preflight(routes!(surveys::definition)))
        .routes(preflight(routes!(showcase::showcase)))
        .routes(preflight(routes!(headlines::headlines_json)));
    let responses = OpenApiRouter::new().routes(preflight(routes!(responses::submit)));
    // Refusals of a response are written in the language Accept-Language asks for.
    origin_checked(reads).merge(origin_checked(responses).layer(map_response(responses::vary_accept_language)))
}

/// Only for an admin whose role the route allows; never cached, framed or sniffed. Downloads and
/// the trend take turns ([`crate::http::ratelimit::heavy_read`]).
fn admin_api(state: &AppState) -> OpenApiRouter<AppState> {
    let heavy = |route: UtoipaMethodRouter<AppState>| {
        route.layer(from_fn_with_state(state.clone(), crate::http::ratelimit::heavy_read))
    };
    AdminRoutes::new(state)
        .add(ANYONE, None, routes!(access::me))
        .add(ANYONE, None, routes!(access::organisation))
        .add(ANYONE, None, routes!(surveys::list))
        .add(ANALYST, "definition published", routes!(surveys::publish))
        .add(ANALYST, None, routes!(drafts::list))
        .add(ANALYST, None, routes!(drafts::get_draft))
        .add(ANALYST, "draft saved", routes!(drafts::save_draft))
        .add(ANALYST, "draft discarded", routes!(drafts::discard_draft))
        .add(ANALYST, "definition published", routes!(drafts::publish_draft))
        .add(ANALYST, None, routes!(preview::make))
        .add(RESULTS, "results viewed", routes!(results::results_json))
        .add(RESULTS, "download: results CSV", heavy(routes!(results::results_csv)))
        .add(RESULTS, "download: results XLSX", heavy(routes!(results::results_xlsx)))
        .add(RESULTS, "trend viewed", heavy(routes!(trend::trend_json)))
        .add(RESULTS, "download: trend CSV", heavy(routes!(trend::trend_csv)))
        .add(RESULTS, "waves viewed", routes!(waves::list))
        .add(ANALYST, "wave added", routes!(waves::add))
        .add(ANALYST, "wave corrected", routes!(waves::correct))
        .add(ANALYST, "wave deleted", routes!(waves::delete))
        .add(ANALYST, "headcounts recorded", routes!(waves::headcounts))
        .add(STORIES, "stories viewed", routes!(stories::stories_json))
        .add(STORIES, "download: stories CSV", heavy(routes!(stories::stories_csv)))
        .add(RESULTS, "download: evidence pack XLSX", heavy(routes!(evidence::xlsx)))
        .add(RESULTS, "evidence pack viewed", routes!(evidence::value_json))
        .add(ANALYST, "sharing viewed", routes!(sharing::get_sharing))
        .add(ANALYST, "sharing changed", routes!(sharing::set_sharing))
        .add(RESULTS, None, routes!(references::get_references))
        .add(ANALYST, "reference figures changed", routes!(references::set_references))
        .add(MODERATOR, "story queue viewed", routes!(moderation::queue))
        .add(MODERATOR, "story decided", routes!(moderation::decide))
        .add(OWNER, "admins viewed", routes!(admins::get_grants))
        // These three record their change in the same transaction as the change (see `admins`).
        .add(OWNER, None, routes!(admins::put_grants))
        .add(OWNER, "tokens viewed", routes!(admins::list_tokens))
        .add(OWNER, None, routes!(admins::post_token))
        .add(OWNER, None, routes!(admins::delete_token))
        .add(OWNER, "audit log viewed", routes!(audit::audit_json))
        .add(OWNER, "download: audit log CSV", heavy(routes!(audit::audit_csv)))
        .routes
        .layer(map_response(dashboard::admin_headers))
}

/// The admin routes, each guarded by [`access::require_admin`] with its own [`Rule`].
struct AdminRoutes {
    state: AppState,
    routes: OpenApiRouter<AppState>,
}

impl AdminRoutes {
    fn new(state: &AppState) -> AdminRoutes {
        AdminRoutes { state: state.clone(), routes: OpenApiRouter::new() }
    }

    /// The operation in `route`, for owners and `roles`, recorded in the audit log as `action` when
    /// it succeeds (`None`: not an action, or one its handler records itself). The API document
    /// lists the same roles.
    fn add(
        self,
        roles: &'static [access::Role],
        action: impl Into<Option<&'static str>>,
        route: UtoipaMethodRouter<AppState>,
    ) -> AdminRoutes {
        let rule = Rule { roles, action: action.into() };
        let (schemas, mut paths, method) = route;
        openapi::admin_operations(&mut paths, &rule);
        // A route layer: a method the route does not have stays a 405.
        let guard = Guard { state: self.state.clone(), rule };
        let method = method.route_layer(from_fn_with_state(guard, access::require_admin));
        AdminRoutes { routes: self.routes.routes((schemas, paths, method)), state: self.state }
    }
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

fn pages(demo: bool) -> OpenApiRouter<AppState> {
    let home = if demo {
        OpenApiRouter::new()
            .routes(routes!(assets::demo_page))
            .routes(routes!(assets::demo_page_cy))
            .routes(routes!(assets::demo_page_iframe))
            .routes(routes!(assets::demo_page_stories))
    } else {
        OpenApiRouter::new().routes(routes!(assets::home_page))
    };
    let dashboard = OpenApiRouter::new()
        .routes(routes!(dashboard::page))
        .routes(routes!(dashboard::editor_page))
        .routes(routes!(dashboard::report_page))
        .layer(map_response(dashboard::admin_headers));
    let dashboard_files = OpenApiRouter::new()
        .routes(routes!(dashboard::file))
        .routes(routes!(dashboard::editor_file))
        .routes(routes!(dashboard::report_file))
        .layer(map_response(dashboard::file_headers));
    home.merge(dashboard)
        .merge(dashboard_files)
        .routes(routes!(assets::widget_file))
        .routes(routes!(frame::script))
        .routes(routes!(frame::page))
        .routes(routes!(preview::page))
        .routes(routes!(preview::definition))
        .routes(routes!(preview::response))
}
