//! The OpenAPI document describes every route, and every route it describes is really there.

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use common::TestApp;

/// What every response must carry, and every HTML page besides; the dashboard keeps its window to
/// itself.
fn assert_security_headers(what: &str, headers: &HeaderMap) {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    let permissions = get("permissions-policy");
    assert!(permissions.contains("camera=()") && permissions.contains("geolocation=()"), "{what}: {permissions:?}");
    assert!(!permissions.contains("self") && !permissions.contains('*'), "{what} grants nothing: {permissions:?}");
    if get("content-type").starts_with("text/html") {
        let csp = get("content-security-policy");
        assert!(csp.contains("default-src 'none'") || csp.contains("default-src 'self'"), "{what}: {csp:?}");
        assert!(!csp.contains("unsafe-inline"), "{what}: {csp:?}");
        assert!(csp.contains("frame-ancestors"), "{what}: framing is decided: {csp:?}");
        if csp.contains("frame-ancestors 'none'") {
            assert_eq!(get("x-frame-options"), "DENY", "{what}");
        }
    }
    if what.contains(" /admin") {
        assert_eq!(get("cross-origin-opener-policy"), "same-origin", "{what}");
    }
}

#[tokio::test]
async fn errors_and_pages_outside_the_document_carry_the_same_headers() {
    let app = TestApp::new();
    for uri in ["/no/such/route", "/api/v1/surveys/nope", "/widget/nope.js", "/admin/nope.css"] {
        let (status, headers, body) = app.send(Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(body["error"].is_string(), "{uri}: {body}");
        assert_security_headers(&format!("GET {uri}"), &headers);
    }
}

#[tokio::test]
async fn demo_pages_are_served_only_in_demo_mode() {
    let plain = TestApp::new();
    let (status, headers, body) = plain.send(Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let page = body.as_str().unwrap();
    assert!(page.contains("Values Pulse") && page.contains(r#"href="/admin""#), "{page}");
    assert!(!page.contains("data-pulse-survey"), "no live survey on a production server's home page");
    assert_security_headers("GET / (no demo)", &headers);
    for demo_page in ["/demo/cy", "/demo/iframe", "/demo/stories"] {
        let (status, _, _) = plain.send(Request::get(demo_page).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{demo_page} without --demo");
    }
    let demo = TestApp::with_demo(true);
    let (status, headers, body) = demo.send(Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.as_str().unwrap().contains(r#"data-pulse-survey="constitution""#));
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("'sha256-"), "the demo page's own inline style is allowed by its hash: {csp}");
}

#[tokio::test]
async fn answers_that_depend_on_origin_or_language_say_so_to_caches() {
    let app = TestApp::new();
    let vary = |headers: &HeaderMap| -> Vec<String> {
        headers
            .get_all("vary")
            .iter()
            .flat_map(|v| v.to_str().unwrap().split(','))
            .map(|v| v.trim().to_ascii_lowercase())
            .collect()
    };
    for (method, uri, body) in [
        ("GET", "/api/v1/surveys/constitution", ""),
        ("GET", "/api/v1/surveys/constitution/showcase", ""),
        ("POST", "/api/v1/surveys/constitution/responses", "{}"),
        ("OPTIONS", "/api/v1/surveys/constitution/responses", ""),
    ] {
        for origin in [None, Some("http://intranet.example"), Some("http://not-listed.example")] {
            let mut req = Request::builder().method(method).uri(uri).header("content-type", "application/json");
            if let Some(o) = origin {
                req = req.header("origin", o);
            }
            let (status, headers, _) = app.send(req.body(Body::from(body)).unwrap()).await;
            let vary = vary(&headers);
            assert!(vary.contains(&"origin".to_string()), "{method} {uri} from {origin:?} ({status}): vary {vary:?}");
            if uri.ends_with("/responses") {
                assert!(vary.contains(&"accept-language".to_string()), "{method} {uri}: vary {vary:?}");
            }
        }
    }
}

#[tokio::test]
async fn the_document_covers_every_route_and_each_one_answers() {
    let app = TestApp::with_demo(true);
    let (status, _, doc) = app.send(Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));

    let mut documented: Vec<(String, String)> = vec![];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut expected: Vec<(String, String)> = [
        ("GET", "/"),
        ("GET", "/admin"),
        ("GET", "/admin/{file}"),
        ("GET", "/admin/editor"),
        ("GET", "/admin/editor/{file}"),
        ("GET", "/admin/report"),
        ("GET", "/admin/report/{file}"),
        ("GET", "/demo/cy"),
        ("GET", "/demo/iframe"),
        ("GET", "/demo/stories"),
        ("GET", "/embed/frame.js"),
        ("GET", "/embed/{survey}"),
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/api/v1/surveys"),
        ("POST", "/api/v1/surveys"),
        ("GET", "/api/v1/surveys/{id}"),
        ("POST", "/api/v1/surveys/{id}/responses"),
        ("GET", "/api/v1/surveys/{id}/results"),
        ("GET", "/api/v1/surveys/{id}/results.csv"),
        ("GET", "/api/v1/surveys/{id}/results.xlsx"),
        ("GET", "/api/v1/surveys/{id}/trend"),
        ("GET", "/api/v1/surveys/{id}/trend.csv"),
        ("GET", "/api/v1/surveys/{id}/waves"),
        ("POST", "/api/v1/surveys/{id}/waves"),
        ("PUT", "/api/v1/surveys/{id}/waves/{wave}/headcounts"),
        ("PATCH", "/api/v1/surveys/{id}/waves/{wave}"),
        ("DELETE", "/api/v1/surveys/{id}/waves/{wave}"),
        ("GET", "/api/v1/surveys/{id}/stories"),
        ("GET", "/api/v1/surveys/{id}/stories.csv"),
        ("GET", "/api/v1/surveys/{id}/moderation"),
        ("POST", "/api/v1/surveys/{id}/moderation/{story}"),
        ("GET", "/api/v1/surveys/{id}/showcase"),
        ("GET", "/api/v1/surveys/{id}/headlines"),
        ("GET", "/api/v1/surveys/{id}/sharing"),
        ("PUT", "/api/v1/surveys/{id}/sharing"),
        ("GET", "/api/v1/surveys/{id}/references"),
        ("PUT", "/api/v1/surveys/{id}/references"),
        ("GET", "/api/v1/surveys/{id}/evidence/{value}"),
        ("GET", "/api/v1/surveys/{id}/evidence.xlsx"),
        ("GET", "/healthz"),
        ("GET", "/widget/{file}"),
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/organisation"),
        ("GET", "/api/v1/admins/grants"),
        ("PUT", "/api/v1/admins/grants"),
        ("GET", "/api/v1/admins/tokens"),
        ("POST", "/api/v1/admins/tokens"),
        ("DELETE", "/api/v1/admins/tokens/{name}"),
        ("GET", "/api/v1/audit"),
        ("GET", "/api/v1/audit.csv"),
        ("GET", "/api/v1/drafts"),
        ("GET", "/api/v1/drafts/{id}"),
        ("PUT", "/api/v1/drafts/{id}"),
        ("DELETE", "/api/v1/drafts/{id}"),
        ("POST", "/api/v1/drafts/{id}/publish"),
        ("POST", "/api/v1/drafts/{id}/preview"),
        ("GET", "/preview/{ticket}/{mode}"),
        ("GET", "/preview/{ticket}/{mode}/api/v1/surveys/{id}"),
        ("POST", "/preview/{ticket}/{mode}/api/v1/surveys/{id}/responses"),
    ]
    .iter()
    .map(|(m, p)| (m.to_string(), p.to_string()))
    .collect();
    expected.sort();
    assert_eq!(documented, expected);

    // Each documented route exists: a request to it is neither 404 nor 405.
    let wave = r#"{"id": "2099-q1", "label": "Spring 2099", "opens": "2099-01-04", "closes": "2099-01-29"}"#;
    let (status, _, body) = app.send(app.admin_post("/api/v1/surveys/constitution/waves", wave)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // A second wave for the delete to take, so the others still find theirs.
    let spare = r#"{"id": "2099-q2", "label": "Summer 2099", "opens": "2099-04-04", "closes": "2099-04-29"}"#;
    assert_eq!(app.send(app.admin_post("/api/v1/surveys/constitution/waves", spare)).await.0, StatusCode::CREATED);
    common::make_token(&app.state.store, "spare", pulse_ingest::auth::access::Role::Analyst, &[], None);
    let def = serde_json::to_string(&pulse_shared::default_survey::constitution()).unwrap();
    let (status, _, made) = app.send(app.admin_post("/api/v1/drafts/constitution/preview", &def)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let preview = made["address"].as_str().unwrap().to_string();
    for (method, path) in &documented {
        let file = if path.starts_with("/admin") { "boot.js" } else { "embed.js" };
        let uri = path
            .replace("{id}", "constitution")
            .replace("{survey}", "constitution")
            .replace("{file}", file)
            .replace("{story}", "0000000000000001")
            .replace("{wave}", if *method == "DELETE" { "2099-q2" } else { "2099-q1" })
            .replace("{value}", "compassion")
            .replace("{name}", "spare")
            .replace("/preview/{ticket}/{mode}", &format!("{preview}/open"));
        let req = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(&uri)
            .header("authorization", format!("Bearer {}", app.token))
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let (status, headers, body) = app.send(req).await;
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri}: {status} {body}"
        );
        assert_security_headers(&format!("{method} {uri}"), &headers);
    }

    for schema in [
        "SurveyDefinition",
        "SurveyResponse",
        "SurveyResults",
        "Receipt",
        "ErrorBody",
        "FieldError",
        "Story",
        "SurveySummary",
    ] {
        assert!(doc["components"]["schemas"].get(schema).is_some(), "no schema {schema}");
    }
    assert_eq!(doc["components"]["securitySchemes"]["admin_token"]["scheme"], "bearer");
    assert!(doc["paths"]["/api/v1/surveys/{id}/results"]["get"]["security"].is_array());
}

/// The GET operation's parameter `name` on `path`.
fn parameter<'a>(doc: &'a serde_json::Value, path: &str, name: &str) -> &'a serde_json::Value {
    doc["paths"][path]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()
}

/// The statuses the document lists for one operation.
fn documented_statuses(doc: &serde_json::Value, method: &str, path: &str) -> Vec<u16> {
    doc["paths"][path][method.to_lowercase()]["responses"]
        .as_object()
        .unwrap()
        .keys()
        .map(|s| s.parse().unwrap())
        .collect()
}

#[tokio::test]
async fn every_status_a_route_answers_is_in_the_document_and_its_refusals_are_real() {
    let app = TestApp::with_demo(true);
    let (_, _, doc) = app.send(Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
    let mut ids: Vec<&str> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(!ids.contains(&id), "operationId {id:?} is used twice ({method} {path})");
            ids.push(id);
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "path" && ["id", "survey"].contains(&parameter["name"].as_str().unwrap()) {
                    assert_eq!(parameter["schema"]["pattern"], pulse_shared::SLUG_PATTERN, "{method} {path}");
                }
            }
        }
    }
    let definition = &doc["components"]["schemas"]["SurveyDefinition"]["properties"];
    assert_eq!(definition["k"]["minimum"], 5);
    let showcase_value = parameter(&doc, "/api/v1/surveys/{id}/showcase", "value");
    assert_eq!(showcase_value["schema"]["enum"].as_array().unwrap().len(), 6);
    let embed_context = parameter(&doc, "/embed/{survey}", "context");
    assert!(embed_context["schema"]["enum"].as_array().unwrap().contains(&"estates".into()), "{embed_context}");

    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let method = method.to_uppercase();
            let documented = documented_statuses(&doc, &method, path);
            let secured = operation.get("security").is_some();
            let concrete = |id: &str| {
                let file = if path.starts_with("/admin") { "boot.js" } else { "embed.js" };
                path.replace("{id}", id)
                    .replace("{survey}", id)
                    .replace("{file}", file)
                    .replace("{story}", "0000000000000001")
                    .replace("{name}", "no-such-token")
                    .replace("{ticket}", &"0".repeat(64))
                    .replace("{mode}", "open")
            };
            let request = |uri: String, auth: bool, content_type: &str, body: Vec<u8>| {
                let mut req = Request::builder().method(Method::from_bytes(method.as_bytes()).unwrap()).uri(uri);
                if auth {
                    req = req.header("authorization", format!("Bearer {}", app.token));
                }
                req.header("content-type", content_type).body(Body::from(body)).unwrap()
            };
            let mut seen = Vec::new();
            let cases = [
                ("as documented", request(concrete("constitution"), true, "application/json", b"{}".to_vec())),
                ("without a token", request(concrete("constitution"), false, "application/json", b"{}".to_vec())),
                ("an unknown survey", request(concrete("no-such-survey"), true, "application/json", b"{}".to_vec())),
                (
                    "an unknown parameter",
                    request(format!("{}?bogus=1", concrete("constitution")), true, "application/json", b"{}".to_vec()),
                ),
                ("a body as text", request(concrete("constitution"), true, "text/plain", b"{}".to_vec())),
                (
                    "a body over the limit",
                    // Over the route's limit: a definition may be larger than an answer.
                    request(
                        concrete("constitution"),
                        true,
                        "application/json",
                        vec![b' '; pulse_ingest::config::body_limit(&concrete("constitution")) + 4 * 1024],
                    ),
                ),
            ];
            for (case, req) in cases {
                let (status, _, body) = app.send(req).await;
                assert!(
                    documented.contains(&status.as_u16()),
                    "{method} {path} with {case}: {status} is not in the document's {documented:?}: {body}"
                );
                seen.push(status.as_u16());
            }
            // Every admin API route is marked as needing the token, and refuses a request without one.
            let admin_api = operation["tags"]
                .as_array()
                .is_some_and(|t| t.contains(&"admin".into()) || t.contains(&"owner".into()))
                && path.starts_with("/api/");
            assert_eq!(secured, admin_api, "{method} {path}: security is declared exactly on the admin API");
            if secured {
                assert!(seen.contains(&401), "{method} {path}: a documented admin route refuses a stranger");
            }
            if operation.get("requestBody").is_some() {
                assert!(seen.contains(&413) && seen.contains(&415), "{method} {path}: {seen:?}");
            }
        }
    }
}
