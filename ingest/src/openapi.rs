//! `GET /api/v1/openapi.json`: the API described from the handlers' own annotations and the wire
//! types' derives, so the document changes with the code.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Values Pulse", description = "Anonymous NHS values surveys for intranet pages. Results leave only as counts, with every group and count smaller than the survey's threshold k hidden."),
    paths(
        crate::healthz,
        document,
        crate::surveys::definition,
        crate::surveys::list,
        crate::surveys::publish,
        crate::responses::submit,
        crate::results::results_json,
        crate::results::results_csv,
        crate::results::results_xlsx,
        crate::results::stories_json,
        crate::results::stories_csv,
        crate::moderation::queue,
        crate::moderation::decide,
        crate::showcase::showcase,
        crate::assets::demo_page,
        crate::assets::widget_file,
        crate::assets::demo_page_cy,
        crate::assets::demo_page_iframe,
        crate::assets::demo_page_stories,
        crate::frame::page,
        crate::frame::script,
        crate::dashboard::page,
        crate::dashboard::file,
    ),
    components(schemas(pulse_shared::FieldError, pulse_shared::ErrorCode)),
    modifiers(&AdminToken),
    tags(
        (name = "staff", description = "What the widget uses: public, open to the survey's allowed origins"),
        (name = "admin", description = "Results and survey administration: a bearer admin token (`pulse admin token create`)"),
        (name = "service", description = "Health, this document and the demo page"),
    )
)]
pub struct ApiDoc;

struct AdminToken;

impl Modify for AdminToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An admin token from `pulse admin token create`"))
                    .build(),
            ),
        );
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "service", responses((status = 200, description = "The OpenAPI document", body = Object)))]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
