//! `GET /api/v1/openapi.json`: the API described from the handlers' own annotations and the wire
//! types' derives, collected by the route table (`router`) from the routes it serves, so the
//! document changes with the code; then, in [`document_json`], what the
//! annotations cannot say: the statuses every route may answer, and the constraints the server
//! enforces on parameters and definitions, so a request built from the document is one the server
//! takes.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::State;
use axum::{Extension, Json};
use pulse_shared::{NhsValue, MIN_K, SLUG_PATTERN};
use serde_json::{json, Value};
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::Paths;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::auth::access::Rule;

#[derive(OpenApi)]
#[openapi(
    info(title = "Values Pulse", description = "Anonymous NHS values surveys for intranet pages. Results leave only as counts, with every group and count smaller than the survey's threshold k hidden."),
    components(schemas(pulse_shared::FieldError, pulse_shared::ErrorCode)),
    modifiers(&AdminToken),
    tags(
        (name = "staff", description = "What the widget uses: public, open to the survey's allowed origins"),
        (name = "admin", description = "Results and survey administration: a named bearer token (`pulse admin token create`) or a signed-in dashboard session; each operation's `x-roles` lists the roles that may use it"),
        (name = "owner", description = "Who is an admin, tokens, and the audit log: owners only"),
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
                    .description(Some("A named admin token from `pulse admin token create --name NAME --role ROLE`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "admin_session",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Cookie(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    crate::auth::sessions::COOKIE,
                    "The dashboard's session after signing in at /auth/login; a state-changing request also \
                     sends the session's CSRF token (from /auth/session) in X-CSRF-Token",
                ),
            )),
        );
    }
}

/// Statuses any route may answer, whatever its handler does: refused below the router, by the
/// limits every request passes, or while the server is busy.
const EVERY_ROUTE: [(&str, &str); 6] = [
    ("400", "A request line or headers that cannot be read as HTTP/1.1, two Host headers, or a bad parameter"),
    ("408", "The request took longer than the server's request timeout"),
    ("414", "The request target is too long"),
    ("429", "More requests from this address than the rate limit allows; see Retry-After"),
    ("431", "The request headers are too large"),
    ("503", "More requests at once than the server takes, or the server is stopping; see Retry-After"),
];

/// Statuses any route that takes a body may answer.
const WITH_A_BODY: [(&str, &str); 2] = [
    ("413", "A body over 16 KiB (refused from its Content-Length alone)"),
    ("415", "A body not sent as application/json"),
];

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    })
}

/// Marks each operation in `paths` as an admin one that `rule`'s roles may use: its `x-roles`,
/// from which [`document_json`] adds how to sign in and the refusals.
pub fn admin_operations(paths: &mut Paths, rule: &Rule) {
    for item in paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            let roles = ExtensionsBuilder::new().add("x-roles", json!(rule.names())).build();
            operation.extensions.get_or_insert_with(Default::default).merge(roles);
        }
    }
}

/// The document as served: `api` as the route table collected it. `contexts` are the context tags
/// of the published surveys, which are what `/embed/{survey}?context=` takes.
pub fn document_json(api: &utoipa::openapi::OpenApi, contexts: &BTreeSet<String>) -> Value {
    let mut doc = serde_json::to_value(api).expect("the document is JSON");
    if let Some(definition) = doc.pointer_mut("/components/schemas/SurveyDefinition/properties") {
        definition["id"]["pattern"] = json!(SLUG_PATTERN);
        definition["k"]["minimum"] = json!(MIN_K);
    }
    let values: Vec<&str> = NhsValue::ALL.iter().map(|v| v.id()).collect();
    for (path, item) in doc["paths"].as_object_mut().into_iter().flatten() {
        for (_, operation) in item.as_object_mut().into_iter().flat_map(|m| m.iter_mut()) {
            // Who may use an admin operation comes from its line in the route table, which the server enforces.
            if let Some(roles) = operation.get("x-roles").and_then(Value::as_array).cloned() {
                let roles: Vec<&str> = roles.iter().filter_map(Value::as_str).collect();
                operation["security"] = json!([{"admin_token": []}, {"admin_session": []}]);
                let responses = &mut operation["responses"];
                responses["401"] = error_response("Not signed in, and no valid, unexpired admin token");
                responses["403"] = error_response(&format!(
                    "Signed in or holding a token whose role may not do this (it needs: {}), or a \
                     state-changing request from the dashboard without its CSRF token",
                    roles.join(", ")
                ));
            }
            let has_body = operation.get("requestBody").is_some();
            if let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) {
                let extra = if has_body { &WITH_A_BODY[..] } else { &[] };
                for (status, description) in EVERY_ROUTE.iter().chain(extra) {
                    responses.entry(*status).or_insert_with(|| error_response(description));
                }
            }
            for parameter in operation.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
                let place = (parameter["in"].as_str().unwrap_or(""), parameter["name"].as_str().unwrap_or(""));
                let constraint = match place {
                    ("path", "id" | "survey") => json!({"pattern": SLUG_PATTERN}),
                    ("query", "lang") => json!({"enum": ["en", "cy"]}),
                    ("query", "value") if path.ends_with("/showcase") => json!({"enum": values}),
                    ("query", "context") if path == "/embed/{survey}" => json!({"enum": contexts}),
                    _ => continue,
                };
                // An optional parameter's schema may allow null; the constraint is on its string.
                parameter["schema"] = json!({"type": "string"});
                for (key, value) in constraint.as_object().into_iter().flatten() {
                    parameter["schema"][key] = value.clone();
                }
            }
        }
    }
    // A day is a real calendar day (the server refuses 2026-02-30), as `format: date` says.
    if let Some(date) = doc.pointer_mut("/components/schemas/Date") {
        date["format"] = json!("date");
    }
    merge_closed_all_of(&mut doc);
    served_definition(&mut doc);
    doc
}

/// The definition as staff's browsers get it is the definition with what the server adds: `closed`
/// (why it takes no answers now) outside its dates or waves, `wave` (the open wave's id) inside
/// one. Its own schema, so a client that checks it is not told those fields are unexpected.
fn served_definition(doc: &mut Value) {
    let Some(mut served) = doc.pointer("/components/schemas/SurveyDefinition").cloned() else { return };
    served["description"] = json!("A survey's current definition as served to the widget.");
    served["properties"]["closed"] = json!({"$ref": "#/components/schemas/Text",
        "description": "Why the survey takes no answers today, in English and Welsh; absent while it does."});
    served["properties"]["wave"] =
        json!({"type": "string", "pattern": SLUG_PATTERN, "description": "The open wave's id, inside a wave."});
    doc["components"]["schemas"]["ServedSurvey"] = served;
    if let Some(schema) =
        doc.pointer_mut("/paths/~1api~1v1~1surveys~1{id}/get/responses/200/content/application~1json/schema")
    {
        *schema = json!({"$ref": "#/components/schemas/ServedSurvey"});
    }
}

/// A type that flattens another in (`WaveSummary` is a `Wave` with more fields) comes out of
/// utoipa as `allOf: [Wave, {more}]`; where the inner schema forbids other properties, as `Wave`
/// does, no object could satisfy both, so such a schema is written out as one object instead.
fn merge_closed_all_of(doc: &mut Value) {
    let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object).cloned() else { return };
    let resolve = |part: &Value| -> Value {
        match part.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/")) {
            Some(name) => schemas.get(name).cloned().unwrap_or(Value::Null),
            None => part.clone(),
        }
    };
    for (_, schema) in doc["components"]["schemas"].as_object_mut().into_iter().flatten() {
        let Some(parts) = schema.get("allOf").and_then(Value::as_array).cloned() else { continue };
        let resolved: Vec<Value> = parts.iter().map(&resolve).collect();
        if !resolved.iter().any(|p| p.get("additionalProperties") == Some(&json!(false))) {
            continue;
        }
        let (mut properties, mut required) = (serde_json::Map::new(), Vec::new());
        for part in &resolved {
            properties.extend(part["properties"].as_object().cloned().unwrap_or_default());
            required.extend(part["required"].as_array().cloned().unwrap_or_default());
        }
        let description = schema.get("description").cloned();
        *schema =
            json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false});
        if let Some(d) = description {
            schema["description"] = d;
        }
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "service", responses((status = 200, description = "The OpenAPI document", body = Object)))]
pub async fn document(
    State(state): State<crate::AppState>,
    Extension(api): Extension<Arc<utoipa::openapi::OpenApi>>,
) -> Json<Value> {
    let contexts =
        state.store.surveys().iter().flat_map(|s| s.definition.contexts.iter().map(|c| c.id.clone())).collect();
    Json(document_json(&api, &contexts))
}
