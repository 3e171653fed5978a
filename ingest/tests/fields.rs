//! What admins and staff may write, refused where a browser, a page or a spreadsheet would read it
//! otherwise: story links a browser cannot parse, origins that are not origins (and a CSP that
//! could be injected through one), text with controls, direction overrides or nothing visible, a
//! grant with a field the server does not know, headcounts as text or given twice, waves past the
//! limit, a chunked body over the limit, empty query values; the audit log's CSV defused like every
//! other, and its targets holding known parameters only. Nothing refused is stored.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{valid_response, TestApp};
use pulse_ingest::store::AuditEvent;
use serde_json::{json, Value};

const WAVES: &str = "/api/v1/surveys/constitution/waves";

fn field_named(body: &Value, field: &str) -> bool {
    body["details"].as_array().is_some_and(|d| d.iter().any(|e| e["field"].as_str().is_some_and(|f| f.contains(field))))
}

#[tokio::test]
async fn story_links_a_browser_cannot_parse_are_refused_and_not_stored() {
    let app = TestApp::new();
    for (n, link) in [
        "https://www.youtube.com:evil.example/x",
        "https://www.youtube.com:99999/x",
        "https://www.youtube.com:443:80/x",
        "https://www.youtube.com:8443/x",
    ]
    .into_iter()
    .enumerate()
    {
        let mut response = valid_response(n as u32 + 1, Some("estates"));
        response["answers"]["story"] = json!({"text": "A story", "link": link, "caption": "The ward"});
        response["answers"]["story_consent"] = json!("yes");
        let (status, _, body) = app.post("constitution", &response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{link}: {body}");
        assert!(field_named(&body, "answers.story.link"), "{link}: {body}");
    }
    let mut fine = valid_response(9, Some("estates"));
    fine["answers"]["story"] =
        json!({"text": "A story", "link": "https://www.youtube.com:443/watch?v=x", "caption": "The ward"});
    assert_eq!(
        app.post("constitution", &fine).await.0,
        StatusCode::CREATED,
        "the default port written out is the same link"
    );
    assert_eq!(app.stored("constitution"), 1);
}

#[tokio::test]
async fn a_caption_with_controls_or_a_direction_override_is_refused() {
    let app = TestApp::new();
    for caption in ["The\u{0}ward", "The ward\u{202E}gpj.exe", "\u{200B}\u{200B}"] {
        let mut response = valid_response(1, Some("estates"));
        response["answers"]["story"] = json!({"text": "A story", "link": "https://youtu.be/x", "caption": caption});
        let (status, _, body) = app.post("constitution", &response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{caption:?}: {body}");
        assert!(field_named(&body, "answers.story.caption"), "{caption:?}: {body}");
    }
    assert_eq!(app.stored("constitution"), 0);
}

#[tokio::test]
async fn an_origin_that_is_not_an_origin_is_refused_and_no_directive_reaches_the_csp() {
    let app = TestApp::new();
    let mut def = pulse_shared::default_survey::constitution();
    def.version = 2;
    for bad in
        ["https://a.example;\tscript-src-elem\t*", "https://a.example/", "https://A.example", "https://bücher.example"]
    {
        def.allowed_origins = vec![bad.to_string()];
        let (status, _, body) =
            app.send(app.admin_post("/api/v1/surveys", &serde_json::to_string(&def).unwrap())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert!(field_named(&body, "allowed_origins"), "{bad}: {body}");
    }
    def.allowed_origins = vec!["https://xn--bcher-kva.example".to_string(), "http://localhost:8080".to_string()];
    let (status, _, body) = app.send(app.admin_post("/api/v1/surveys", &serde_json::to_string(&def).unwrap())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, headers, _) = app.send(Request::get("/embed/constitution").body(Body::empty()).unwrap()).await;
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.ends_with("frame-ancestors 'self' https://xn--bcher-kva.example http://localhost:8080"), "{csp}");
}

#[tokio::test]
async fn wave_labels_and_notes_refuse_controls_overrides_and_invisible_text() {
    let app = TestApp::new();
    let today = app.state.today();
    for (label, field) in [("Spring\u{0}", "label.en"), ("Spring\u{202E}", "label.en"), ("\u{3164}", "label.en")] {
        let body = json!({"id": "w1", "label": {"en": label}, "opens": today.to_string(), "closes": today.to_string()});
        let (status, _, answer) = app.send(app.admin_post(WAVES, &body.to_string())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label:?}: {answer}");
        assert!(field_named(&answer, field), "{label:?}: {answer}");
    }
    let long = "w".repeat(pulse_shared::wave::MAX_WAVE_LABEL_CHARS + 1);
    let body = json!({"id": "w1", "label": {"en": long}, "opens": today.to_string(), "closes": today.to_string()});
    assert_eq!(app.send(app.admin_post(WAVES, &body.to_string())).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.state.store.waves("constitution").is_empty());

    let sharing = json!({"questions": [], "notes": [{"you_said": {"en": "More rest", "cy": "Mwy o orffwys"},
        "we_did": {"en": "New\u{1b}[2Jrooms", "cy": "Ystafelloedd"}}]});
    let req = app.admin("PUT", "/api/v1/surveys/constitution/sharing", "application/json", &sharing.to_string());
    let (status, _, answer) = app.send(req).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(field_named(&answer, "notes[0].we_did"), "{answer}");
}

#[tokio::test]
async fn a_survey_takes_waves_up_to_the_limit_and_no_more() {
    let app = TestApp::new();
    let first = app.state.today().days_since_epoch();
    for i in 0..pulse_shared::wave::MAX_WAVES as i64 {
        let day = pulse_shared::Date::from_days_since_epoch(first + i).to_string();
        let body = json!({"id": format!("d{i}"), "label": {"en": format!("Day {i}")}, "opens": day, "closes": day});
        let (status, _, answer) = app.send(app.admin_post(WAVES, &body.to_string())).await;
        assert_eq!(status, StatusCode::CREATED, "{i}: {answer}");
    }
    let day = pulse_shared::Date::from_days_since_epoch(first + 1000).to_string();
    let body = json!({"id": "one-more", "label": {"en": "One more"}, "opens": day, "closes": day});
    let (status, _, answer) = app.send(app.admin_post(WAVES, &body.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer.to_string().contains("at most 100 waves"), "{answer}");
    assert_eq!(app.state.store.waves("constitution").len(), pulse_shared::wave::MAX_WAVES);
}

#[tokio::test]
async fn grants_refuse_unknown_fields_and_addresses_with_line_breaks() {
    let app = TestApp::new();
    for (grants, field) in [
        (json!([{"email": "jo@example.nhs.uk\r\nBcc: x@evil.example", "role": "analyst"}]), "grants[0].email"),
        (json!([{"email": "jo@example.nhs.uk", "role": "viewer", "context": ["estates"]}]), "grants[0]"),
        (json!([{"email": "jo@example.nhs.uk", "group": "g-1", "role": "analyst"}]), "grants[0]"),
    ] {
        let req =
            app.admin("PUT", "/api/v1/admins/grants", "application/json", &json!({ "grants": grants }).to_string());
        let (status, _, body) = app.send(req).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{grants}: {body}");
        assert!(field_named(&body, field), "{field} in {body}");
        if grants[0].get("context").is_some() {
            assert!(body.to_string().contains("unknown field `context`"), "{body}");
        }
    }
    assert!(app.state.store.grants().unwrap().is_empty(), "nothing kept");
}

#[tokio::test]
async fn headcounts_refuse_text_a_context_twice_and_a_chunked_body_over_the_limit_in_json() {
    let app = TestApp::new();
    let today = app.state.today().to_string();
    let body = json!({"id": "w1", "label": {"en": "Wave 1"}, "opens": today, "closes": today});
    assert_eq!(app.send(app.admin_post(WAVES, &body.to_string())).await.0, StatusCode::CREATED);
    let uri = format!("{WAVES}/w1/headcounts");
    for (body, field) in [(r#"{"estates": "420"}"#, "estates"), (r#"{"estates": 420, "estates": 12}"#, "estates")] {
        let (status, _, answer) = app.send(app.admin("PUT", &uri, "application/json", body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert!(field_named(&answer, field), "{body}: {answer}");
    }
    assert!(app.state.store.headcounts("constitution").unwrap().is_empty());
    // A body with no length said (as chunked transfer sends it), over the limit.
    let big = format!("estates,{}\n", "1".repeat(pulse_ingest::config::BODY_LIMIT_BYTES));
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(axum::body::Bytes::from(big)) });
    let req = Request::put(&uri)
        .header("authorization", format!("Bearer {}", app.token))
        .header("content-type", "text/csv")
        .body(Body::from_stream(stream))
        .unwrap();
    let (status, headers, answer) = app.send(req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert_eq!(headers["content-type"], "application/json");
    assert!(answer["error"].as_str().unwrap().contains("larger than"), "{answer}");
}

#[tokio::test]
async fn the_audit_csv_defuses_formulas_from_the_provider_and_targets_hold_known_parameters_only() {
    let app = TestApp::new();
    for name in ["\t=HYPERLINK(\"https://evil.example\")", "\u{FF1D}HYPERLINK(1)", "=1+1"] {
        let event = AuditEvent {
            admin: name.into(),
            via: "sign-in".into(),
            action: "signed in".into(),
            target: "dashboard".into(),
            detail: String::new(),
            account: String::new(),
        };
        app.state.store.record(event).await.unwrap();
    }
    let (status, _) = app.admin_get("/api/v1/surveys/constitution/results?version=1&note=I%20was%20here").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, csv) = app.send(app.admin("GET", "/api/v1/audit.csv", "", "")).await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with('\u{FEFF}'), "the same writer as every download");
    for line in csv.lines().skip(1) {
        let admin = line.split(',').nth(2).unwrap_or_default().trim_start_matches('"');
        assert!(!admin.starts_with(['=', '\t', '\u{FF1D}', '+', '-', '@']), "not defused: {line:?}");
    }
    assert!(csv.contains("/api/v1/surveys/constitution/results?version=1,"), "{csv}");
    assert!(!csv.contains("I%20was%20here"), "a made-up parameter reached the log: {csv}");
}

#[tokio::test]
async fn an_empty_language_or_value_is_refused() {
    let app = TestApp::new();
    for uri in [
        "/api/v1/surveys/constitution/showcase?value=",
        "/api/v1/surveys/constitution/showcase?lang=",
        "/api/v1/surveys/constitution/headlines?lang=",
        "/embed/constitution?lang=",
    ] {
        let (status, _, body) = app.send(Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
    }
}

#[tokio::test]
async fn a_viewer_reads_their_own_contexts_response_rate_and_no_total_rate() {
    let app = TestApp::new();
    let today = app.state.today().to_string();
    let body = json!({"id": "w1", "label": {"en": "Wave 1"}, "opens": today, "closes": today});
    assert_eq!(app.send(app.admin_post(WAVES, &body.to_string())).await.0, StatusCode::CREATED);
    let req =
        app.admin("PUT", &format!("{WAVES}/w1/headcounts"), "application/json", r#"{"estates": 40, "clinical": 50}"#);
    assert_eq!(app.send(req).await.0, StatusCode::OK);
    for n in 0..24 {
        let context = if n < 12 { "estates" } else { "clinical" };
        assert_eq!(app.post("constitution", &valid_response(n, Some(context))).await.0, StatusCode::CREATED);
    }
    let lead = common::make_token(&app.state.store, "lead", pulse_ingest::auth::role::Role::Viewer, &["estates"], None);
    let req = Request::get("/api/v1/surveys/constitution/results?wave=w1")
        .header("authorization", format!("Bearer {lead}"))
        .body(Body::empty())
        .unwrap();
    let (status, _, scoped) = app.send(req).await;
    assert_eq!(status, StatusCode::OK, "{scoped}");
    let contexts = scoped["contexts"].as_array().unwrap();
    assert_eq!(contexts.len(), 1, "{scoped}");
    assert_eq!(contexts[0]["headcount"], 40, "{scoped}");
    assert_eq!(contexts[0]["rate"], 30.0, "{scoped}");
    assert!(scoped["headcount"].is_null() && scoped["rate"].is_null(), "no total rate: {scoped}");
}
