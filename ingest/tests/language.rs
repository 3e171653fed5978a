//! Welsh and English: definitions carry both, validation messages follow the language asked for,
//! results keep one set of ids, and `/embed/{survey}` frames the survey in either language.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{post_json, valid_response, TestApp};
use http_body_util::BodyExt;
use pulse_shared::default_survey::constitution;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn get(app: &TestApp, uri: &str) -> (StatusCode, axum::http::HeaderMap, Value) {
    app.send(Request::get(uri).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn the_default_survey_is_served_in_english_and_welsh() {
    let app = TestApp::new();
    let (status, _, def) = get(&app, "/api/v1/surveys/constitution").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(def["title"], json!({"en": "Our NHS values", "cy": "Ein gwerthoedd GIG"}));
    assert_eq!(def["questions"][0]["options"][0]["id"], "not_heard");
    assert_eq!(def["questions"][0]["options"][0]["label"]["cy"], "Dydw i ddim wedi clywed amdano");
    assert_eq!(def["questions"][2]["scale"][4], json!({"en": "Always", "cy": "Bob amser"}));
}

#[tokio::test]
async fn validation_messages_follow_accept_language() {
    let app = TestApp::new();
    let mut bad = valid_response(1, None);
    bad["answers"].as_object_mut().unwrap().remove("focus_value");
    let mut messages = vec![];
    for lang in [None, Some("cy-GB,cy;q=0.9,en;q=0.5"), Some("fr")] {
        let mut req = post_json("constitution", bad.to_string());
        if let Some(lang) = lang {
            req.headers_mut().insert("accept-language", lang.parse().unwrap());
        }
        let (status, _, body) = app.send(req).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["details"][0]["field"], "answers.focus_value");
        assert_eq!(body["details"][0]["code"], "missing_required");
        messages.push(body["details"][0]["message"].as_str().unwrap().to_string());
    }
    assert_eq!(messages, ["Answer this question.", "Atebwch y cwestiwn hwn.", "Answer this question."]);
    assert_eq!(app.stored("constitution"), 0);
}

#[tokio::test]
async fn an_english_only_survey_answers_in_english_whatever_is_asked() {
    let app = TestApp::new();
    let def: pulse_shared::SurveyDefinition = serde_json::from_value(json!({
        "id": "pulse-check", "version": 1, "title": "Quick check",
        "questions": [{"id": "q", "prompt": "Pick one", "type": "single_choice", "required": true,
                       "options": [{"id": "a", "label": "A"}]}]
    }))
    .unwrap();
    app.state.store.publish(def).await.unwrap();
    let mut req = post_json(
        "pulse-check",
        json!({"submission_id": common::submission_id(1), "survey_version": 1, "answers": {}}).to_string(),
    );
    req.headers_mut().insert("accept-language", "cy".parse().unwrap());
    let (status, _, body) = app.send(req).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["details"][0]["message"], "Answer this question.");
}

#[tokio::test]
async fn a_survey_that_is_only_partly_welsh_is_refused() {
    let app = TestApp::new();
    let mut half = serde_json::to_value(constitution()).unwrap();
    half["version"] = 2.into();
    half["questions"][1]["options"][2]["label"] = "My appraisal".into();
    half["questions"][3]["prompt"]["fr"] = "Quelle valeur ?".into();
    let publish = |body: Value| {
        app.send(
            Request::post("/api/v1/surveys")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {}", app.token))
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
    };
    let (status, _, body) = publish(half.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown language is malformed: {body}");
    assert!(body["details"][0].as_str().unwrap().contains("unknown language \"fr\""), "{body}");

    half["questions"][3]["prompt"].as_object_mut().unwrap().remove("fr");
    let (status, _, body) = publish(half.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["details"],
        json!([{"field": "questions.where_met.options.appraisal",
        "message": "has no Welsh (\"cy\") text, but other text in this survey does"}])
    );
    assert_eq!(app.state.store.survey("constitution").unwrap().definition.version, 1, "nothing published");
}

#[tokio::test]
async fn results_keep_one_set_of_ids_across_languages() {
    let app = TestApp::new();
    // Responses sent from Welsh and English pages carry the same option ids and count together.
    for n in 0..10 {
        let mut response = valid_response(n, Some("estates"));
        response["answers"]["awareness"] = "know_whats_in_it".into();
        let mut req = post_json("constitution", response.to_string());
        if n % 2 == 0 {
            req.headers_mut().insert("accept-language", "cy".parse().unwrap());
        }
        assert_eq!(app.send(req).await.0, StatusCode::CREATED);
    }
    let results = app.results("constitution").await;
    assert_eq!(results["responses"], 10);
    let awareness = &results["questions"][0]["options"];
    assert_eq!(awareness[0]["label"], "I have not heard of it", "results are labelled in English");
    assert_eq!(
        (awareness[2]["id"].as_str(), awareness[2]["counts"]["all"].as_u64()),
        (Some("know_whats_in_it"), Some(10))
    );
}

#[tokio::test]
async fn results_and_trend_read_in_welsh_keep_their_ids_and_figures() {
    let app = TestApp::new();
    for n in 0..10 {
        assert_eq!(app.post("constitution", &valid_response(n, Some("estates"))).await.0, StatusCode::CREATED);
    }
    let english = app.results("constitution").await;
    let (status, welsh) = app.admin_get("/api/v1/surveys/constitution/results?lang=cy").await;
    assert_eq!(status, StatusCode::OK, "{welsh}");
    assert_eq!(welsh["title"], "Ein gwerthoedd GIG");
    assert_eq!(welsh["columns"][0], json!({"id": "all", "label": "Pob aelod o staff"}));
    assert_eq!(welsh["questions"][0]["options"][0]["label"], "Dydw i ddim wedi clywed amdano");
    assert_eq!(welsh["questions"][2]["scale"][4], "Bob amser");
    assert_eq!(welsh["downloads"][0]["label"], "Lawrlwytho CSV");
    assert_eq!(welsh["downloads"][0]["href"], english["downloads"][0]["href"], "the same file");
    // The sentences too: how to read the results, and why a group is hidden, naming it in Welsh.
    assert!(welsh["note"].as_str().unwrap().starts_with("Dangosir grŵp"), "{}", welsh["note"]);
    assert_eq!(welsh["hidden_label"], "cudd");
    let clinical = welsh["contexts"].as_array().unwrap().iter().find(|c| c["id"] == "clinical").unwrap();
    assert_eq!(clinical["hidden"], "llai na 10 o ymatebion yng ngrŵp Gwasanaethau clinigol");
    let awareness = &welsh["questions"][0];
    assert_eq!(awareness["hidden"]["clinical"], "atebodd llai na 10 o bobl yng ngrŵp Gwasanaethau clinigol hyn");
    assert!(awareness["notes"]["all"]
        .as_array()
        .unwrap()
        .contains(&json!("yn hepgor Gwasanaethau clinigol: atebodd llai na 10 o bobl yno hyn")));
    assert_eq!(english["hidden_label"], "hidden", "English as published");
    assert!(english["contexts"].to_string().contains("fewer than 10 responses from Clinical services"));
    // Only words change: every id and figure is the English results' own.
    let strip = |mut v: Value| {
        fn walk(v: &mut Value) {
            match v {
                Value::Object(map) => {
                    let words =
                        ["title", "label", "prompt", "score_label", "scale", "note", "hidden_label", "notes", "hidden"];
                    for key in words {
                        map.remove(key);
                    }
                    map.values_mut().for_each(walk);
                }
                Value::Array(items) => items.iter_mut().for_each(walk),
                _ => {}
            }
        }
        walk(&mut v);
        v
    };
    assert_eq!(strip(welsh), strip(english));
    let (status, pack) = app.admin_get("/api/v1/surveys/constitution/evidence/compassion?lang=cy").await;
    assert_eq!((status, &pack["label"]), (StatusCode::OK, &json!("Tosturi")), "{pack}");
    assert!(
        pack["figures"].as_array().unwrap().iter().any(|f| f["label"].as_str().unwrap().starts_with("Dewisodd ")),
        "{pack}"
    );
    let (status, trend) = app.admin_get("/api/v1/surveys/constitution/trend?lang=cy").await;
    assert_eq!((status, &trend["title"]), (StatusCode::OK, &json!("Ein gwerthoedd GIG")));
    assert!(trend["note"].as_str().unwrap().starts_with("Nid oes gan yr arolwg hwn donnau eto"), "{trend}");
    // A directorate lead's own sentence, in Welsh with their groups' Welsh names.
    let token =
        common::make_token(&app.state.store, "lead", pulse_shared::Role::Viewer, &["estates", "clinical"], None);
    let req = Request::get("/api/v1/surveys/constitution/results?lang=cy")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let (status, _, lead) = app.send(req).await;
    assert_eq!(status, StatusCode::OK, "{lead}");
    assert!(
        lead["note"].as_str().unwrap().starts_with(
            "Rydych yn gweld y grwpiau rydych yn gyfrifol amdanynt (Gwasanaethau clinigol, Ystadau a chyfleusterau)"
        ),
        "{lead}"
    );
    assert_eq!(lead["contexts"][0]["hidden"], "llai na 10 o ymatebion yng ngrŵp Gwasanaethau clinigol");
    for path in ["results", "trend", "evidence/compassion"] {
        for bad in ["fr", ""] {
            let (status, body) = app.admin_get(&format!("/api/v1/surveys/constitution/{path}?lang={bad}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path} {bad}: {body}");
            assert!(body.to_string().contains("lang"), "{body}");
        }
    }
}

#[tokio::test]
async fn the_iframe_page_carries_the_survey_context_and_language() {
    let app = TestApp::new();
    let (status, headers, body) = get(&app, "/embed/constitution?context=estates&lang=cy").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let html = body.as_str().unwrap();
    assert!(html.contains(r#"<html lang="cy">"#), "{html}");
    assert!(html.contains("<title>Ein gwerthoedd GIG</title>"), "{html}");
    assert!(
        html.contains(r#"<div data-pulse-survey="constitution" data-pulse-lang="cy" data-pulse-context="estates">"#),
        "{html}"
    );
    assert!(html.contains(r#"<script type="module" src="/widget/embed.js">"#));
    assert!(html.contains(r#"<script type="module" src="/embed/frame.js">"#));
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"), "{csp}");
    assert_eq!(headers["referrer-policy"], "no-referrer");

    // No parameters: English, no context.
    let (_, _, body) = get(&app, "/embed/constitution").await;
    let html = body.as_str().unwrap();
    assert!(html.contains(r#"<html lang="en">"#) && !html.contains("data-pulse-context"), "{html}");

    let (status, headers, js) = get(&app, "/embed/frame.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
    assert!(js.as_str().unwrap().contains("values-pulse:height"));
}

#[tokio::test]
async fn the_iframe_page_may_be_framed_by_the_surveys_origins_only() {
    let app = TestApp::new();
    let mut def = constitution();
    def.version = 2;
    def.allowed_origins = vec!["https://nhs.sharepoint.com".into()];
    app.state.store.publish(def).await.unwrap();
    let (_, headers, _) = get(&app, "/embed/constitution").await;
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.ends_with("frame-ancestors 'self' https://nhs.sharepoint.com"), "{csp}");
}

#[tokio::test]
async fn bad_iframe_parameters_get_a_clear_error() {
    let app = TestApp::new();
    for (uri, status, says) in [
        ("/embed/constitution?lang=fr", StatusCode::BAD_REQUEST, "use en or cy"),
        ("/embed/constitution?context=mars", StatusCode::BAD_REQUEST, "clinical, community, corporate, estates"),
        ("/embed/constitution?contxt=estates", StatusCode::BAD_REQUEST, "unknown field"),
        ("/embed/nope", StatusCode::NOT_FOUND, "no survey"),
        ("/embed/%3Cscript%3E", StatusCode::NOT_FOUND, "no survey"),
    ] {
        let (got, headers, body) = get(&app, uri).await;
        // A page for the frame, in both languages, saying why for the editor.
        assert_eq!(got, status, "{uri}: {body}");
        assert_eq!(headers["content-type"], "text/html; charset=utf-8", "{uri}");
        let text = body.as_str().unwrap();
        assert!(text.contains(says), "{uri}: {text}");
        assert!(text.contains("This page cannot take answers") && text.contains("Ni all y dudalen hon"), "{uri}");
        assert!(
            text.contains(r#"<script type="module" src="/embed/frame.js">"#) && !text.contains("<script>"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn the_sign_in_pages_follow_the_browsers_language() {
    let app = TestApp::new();
    for (asked, title, back) in [
        (None, "Sign-in is not set up", "Back to the sign-in page"),
        (Some("cy-GB,cy;q=0.9,en;q=0.5"), "Nid yw mewngofnodi wedi'i osod", "Yn ôl i'r dudalen fewngofnodi"),
    ] {
        let mut req = Request::get("/auth/login");
        if let Some(lang) = asked {
            req = req.header("accept-language", lang);
        }
        let response = app.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let page = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(page.contains(&format!("<h1>{}</h1>", title.replace('\'', "&#39;"))), "{page}");
        assert!(page.contains(back), "{page}");
        assert!(page.contains(if asked.is_some() { "lang=\"cy\"" } else { "lang=\"en\"" }), "{page}");
    }
}
