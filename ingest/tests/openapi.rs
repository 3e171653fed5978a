//! The OpenAPI document describes every route, and every route it describes is really there.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::TestApp;

#[tokio::test]
async fn the_document_covers_every_route_and_each_one_answers() {
    let app = TestApp::new();
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
        ("GET", "/api/v1/surveys/{id}/stories"),
        ("GET", "/api/v1/surveys/{id}/stories.csv"),
        ("GET", "/api/v1/surveys/{id}/moderation"),
        ("POST", "/api/v1/surveys/{id}/moderation/{story}"),
        ("GET", "/api/v1/surveys/{id}/showcase"),
        ("GET", "/healthz"),
        ("GET", "/widget/{file}"),
    ]
    .iter()
    .map(|(m, p)| (m.to_string(), p.to_string()))
    .collect();
    expected.sort();
    assert_eq!(documented, expected);

    // Each documented route exists: a request to it is neither 404 nor 405.
    for (method, path) in &documented {
        let file = if path.starts_with("/admin") { "admin.js" } else { "embed.js" };
        let uri = path
            .replace("{id}", "constitution")
            .replace("{survey}", "constitution")
            .replace("{file}", file)
            .replace("{story}", "0000000000000001");
        let req = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(&uri)
            .header("authorization", format!("Bearer {}", app.token))
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let (status, _, body) = app.send(req).await;
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri}: {status} {body}"
        );
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
