//! Drafts through the HTTP API: a published survey opened as a draft, saves on top of a revision
//! (and the refusal of a save over another admin's), a new survey from the engagement template,
//! publishing (refused while the definition breaks a rule), the audit entries, previews that store
//! nothing, and headcounts given by contexts' names.

mod common;

use axum::http::StatusCode;
use common::{valid_response, TestApp};
use pulse_shared::bank::Template;
use pulse_shared::draft::{contexts_from_names, names_in_list};
use serde_json::{json, Value};

async fn save(app: &TestApp, id: &str, body: &Value) -> (StatusCode, Value) {
    let (status, _, body) =
        app.send(app.admin("PUT", &format!("/api/v1/drafts/{id}"), "application/json", &body.to_string())).await;
    (status, body)
}

async fn publish(app: &TestApp, id: &str, revision: u64) -> (StatusCode, Value) {
    let body = json!({"revision": revision}).to_string();
    let (status, _, body) = app.send(app.admin_post(&format!("/api/v1/drafts/{id}/publish"), &body)).await;
    (status, body)
}

async fn actions(app: &TestApp) -> Vec<(String, String)> {
    let (status, audit) = app.admin_get("/api/v1/audit").await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let entries = audit.as_array().or_else(|| audit["entries"].as_array()).unwrap().clone();
    entries
        .iter()
        .map(|e| {
            let event = if e["event"].is_object() { &e["event"] } else { e };
            (event["action"].as_str().unwrap().to_string(), event["detail"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_published_survey_is_edited_as_a_draft_and_saves_never_overwrite_each_other() {
    let app = TestApp::new();
    let (status, state) = app.admin_get("/api/v1/drafts/constitution").await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["draft"]["revision"], 0, "not saved yet");
    assert_eq!(state["draft"]["based_on"], 1);
    assert_eq!(state["published"]["version"], 1);
    let mut def = state["draft"]["definition"].clone();

    def["title"]["en"] = json!("Our NHS values, this spring");
    let (status, first) = save(&app, "constitution", &json!({"revision": 0, "based_on": 1, "definition": def})).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["revision"], 1);
    assert_eq!(first["saved_by"], "test-owner");

    // A second admin who opened revision 0 too: their save is refused, not applied over the first.
    let mut theirs = def.clone();
    theirs["title"]["en"] = json!("Something else");
    let (status, refused) =
        save(&app, "constitution", &json!({"revision": 0, "based_on": 1, "definition": theirs})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("test-owner"), "{refused}");
    let (_, now) = app.admin_get("/api/v1/drafts/constitution").await;
    assert_eq!(now["draft"]["definition"]["title"]["en"], "Our NHS values, this spring");
    assert_eq!(now["draft"]["revision"], 1);

    // Saved on top of revision 1, it is kept, as revision 2.
    let (status, second) = save(&app, "constitution", &json!({"revision": 1, "definition": theirs})).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["revision"], 2);

    // A draft keeps its survey's id; a bad id or body is refused and nothing changes.
    let mut renamed = theirs.clone();
    renamed["id"] = json!("other");
    assert_eq!(
        save(&app, "constitution", &json!({"revision": 2, "definition": renamed})).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(save(&app, "Not-An-Id", &json!({"revision": 0, "definition": theirs})).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(save(&app, "constitution", &json!({"revision": 2})).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(app.admin_get("/api/v1/drafts/constitution").await.1["draft"]["revision"], 2);

    // Publishing the revision the admin reviewed makes version 2 and ends the draft.
    assert_eq!(publish(&app, "constitution", 1).await.0, StatusCode::CONFLICT, "not the latest revision");
    let (status, summary) = publish(&app, "constitution", 2).await;
    assert_eq!(status, StatusCode::CREATED, "{summary}");
    assert_eq!(summary["version"], 2);
    let (_, served) = app.admin_get("/api/v1/surveys/constitution").await;
    assert_eq!(served["title"]["en"], "Something else");
    let (_, after) = app.admin_get("/api/v1/drafts/constitution").await;
    assert_eq!((after["draft"]["revision"].clone(), after["draft"]["based_on"].clone()), (json!(0), json!(2)));

    let actions = actions(&app).await;
    let saved = actions.iter().filter(|(a, _)| a == "draft saved").count();
    assert_eq!(saved, 2, "{actions:?}");
    assert!(
        actions.contains(&("definition published".into(), "constitution version 2 from draft revision 2".into())),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_new_survey_from_the_template_is_published_only_once_it_is_sound() {
    let app = TestApp::new();
    let mut def = Template::Engagement.build("staff-pulse");
    let esr = "Assignment,Organisation\n1,Surgery & Theatres\n2,Women’s Services\n3,Surgery & Theatres\n";
    def.contexts = contexts_from_names(&names_in_list(esr, None), &[]);
    // Bank items keep their wording: a changed one would not be comparable, so it cannot be published.
    def.questions[0].prompt.en = "How do you feel about your job?".into();
    def.title.en = String::new();
    let body = json!({"revision": 0, "definition": def});
    // A new survey needs a free id.
    let mut taken = def.clone();
    taken.id = "constitution".into();
    let (status, refused) = save(&app, "constitution", &json!({"revision": 0, "definition": taken})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let (status, draft) = save(&app, "staff-pulse", &body).await;
    assert_eq!(status, StatusCode::OK, "{draft}");

    let (status, refused) = publish(&app, "staff-pulse", 1).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let fields: Vec<String> = refused["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}: {}", d["field"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert!(fields.iter().any(|d| d.starts_with("title:")), "{fields:?}");
    assert!(
        fields.iter().any(|d| d.starts_with("questions.motivation:") && d.contains("NHS Staff Survey")),
        "{fields:?}"
    );
    let (_, list) = app.admin_get("/api/v1/surveys").await;
    assert!(!list.as_array().unwrap().iter().any(|s| s["id"] == "staff-pulse"), "nothing was published");

    def.title.en = "Staff pulse".into();
    def.questions[0] = pulse_shared::bank::engagement()[0].clone();
    // The survey is in Welsh too, so the pasted contexts need their Welsh names.
    def.contexts[0].label.cy = Some("Llawfeddygaeth a Theatrau".into());
    def.contexts[1].label.cy = Some("Gwasanaethau Menywod".into());
    let (status, draft) = save(&app, "staff-pulse", &json!({"revision": 1, "definition": def})).await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    let (_, drafts) = app.admin_get("/api/v1/drafts").await;
    assert_eq!(drafts[0]["id"], "staff-pulse");
    let (status, summary) = publish(&app, "staff-pulse", 2).await;
    assert_eq!(status, StatusCode::CREATED, "{summary}");
    assert_eq!(summary["version"], 1);
    let (_, served) = app.admin_get("/api/v1/surveys/staff-pulse").await;
    assert_eq!(served["contexts"][0]["id"], "surgery_theatres");
    assert_eq!(served["questions"][0]["bank"], "nhsss-motivation");
    assert_eq!(served["questions"][2]["rows"][2]["label"]["en"],
        "If a friend or relative needed treatment I would be happy with the standard of care provided by this organisation.");
    let (_, drafts) = app.admin_get("/api/v1/drafts").await;
    assert_eq!(drafts, json!([]));
    // Discarding a draft that is gone is a 404.
    let gone = app.admin("DELETE", "/api/v1/drafts/staff-pulse?revision=2", "application/json", "");
    assert_eq!(app.send(gone).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_preview_shows_the_definition_and_stores_nothing() {
    let app = TestApp::new();
    let mut def = pulse_shared::default_survey::constitution();
    def.title.en = "Previewed title".into();
    let (status, _, made) =
        app.send(app.admin_post("/api/v1/drafts/constitution/preview", &serde_json::to_string(&def).unwrap())).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let address = made["address"].as_str().unwrap();
    let get = |uri: String| axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap();
    let (status, headers, page) = app.send(get(format!("{address}/open?lang=cy"))).await;
    assert_eq!(status, StatusCode::OK);
    let page = page.as_str().unwrap();
    assert!(
        page.contains(&format!(r#"data-pulse-endpoint="{address}/open""#)) && page.contains(r#"lang="cy""#),
        "{page}"
    );
    assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'self'"));

    let (status, _, served) = app.send(get(format!("{address}/open/api/v1/surveys/constitution"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served["title"]["en"], "Previewed title");
    assert!(served.get("closed").is_none());
    let (_, _, closed) = app.send(get(format!("{address}/closed/api/v1/surveys/constitution"))).await;
    assert!(closed["closed"]["en"].as_str().unwrap().starts_with("This survey closed on"), "{closed}");

    let answer = |body: Value| {
        axum::http::Request::post(format!("{address}/open/api/v1/surveys/constitution/responses"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap()
    };
    let (status, _, receipt) = app.send(answer(valid_response(1, Some("estates")))).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["stored"], false);
    let mut bad = valid_response(2, None);
    bad["answers"]["awareness"] = json!("no-such-option");
    assert_eq!(app.send(answer(bad)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.stored("constitution"), 0, "a preview is never a response");

    // A definition the server would refuse is not previewed; an unknown ticket is a 404.
    def.k = 2;
    let (status, _, refused) =
        app.send(app.admin_post("/api/v1/drafts/constitution/preview", &serde_json::to_string(&def).unwrap())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(app.send(get(format!("/preview/{}/open", "0".repeat(64)))).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn headcounts_may_name_contexts_by_their_labels() {
    let app = TestApp::new();
    app.set_day("2030-01-06");
    let wave = json!({"id": "q1", "label": "Winter", "opens": "2030-01-06", "closes": "2030-01-31"});
    assert_eq!(
        app.send(app.admin_post("/api/v1/surveys/constitution/waves", &wave.to_string())).await.0,
        StatusCode::CREATED
    );
    let csv = "context,headcount\nEstates and facilities,120\nGwasanaethau clinigol,40\ncorporate,8\n";
    let put = app.admin("PUT", "/api/v1/surveys/constitution/waves/q1/headcounts", "text/csv", csv);
    let (status, _, body) = app.send(put).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, state) = app.admin_get("/api/v1/drafts/constitution").await;
    let mut heads: Vec<(String, u64)> = serde_json::from_value(state["headcounts"].clone()).unwrap();
    heads.sort();
    assert_eq!(heads, vec![("clinical".into(), 40), ("corporate".into(), 8), ("estates".into(), 120)]);
    let bad = app.admin("PUT", "/api/v1/surveys/constitution/waves/q1/headcounts", "text/csv", "Pharmacy,3\n");
    let (status, _, body) = app.send(bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["details"][0]["message"].as_str().unwrap().contains("not a context"), "{body}");
}

#[tokio::test]
async fn a_definition_downloaded_as_toml_is_the_one_the_api_takes() {
    // The editor writes a definition as TOML with the same crate; the API (and the CLI) read it back.
    let app = TestApp::new();
    let mut def = Template::Engagement.build("toml-pulse");
    def.contexts = contexts_from_names(&["Estates".into()], &[]);
    def.contexts[0].label.cy = Some("Ystadau".into());
    let text = toml::to_string_pretty(&def).unwrap();
    assert_eq!(toml::from_str::<pulse_shared::SurveyDefinition>(&text).unwrap(), def);
    let (status, _, body) = app.send(app.admin("POST", "/api/v1/surveys", "application/toml", &text)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, served) = app.admin_get("/api/v1/surveys/toml-pulse").await;
    assert_eq!(served["questions"][1]["bank"], "nhsss-involvement");
}

#[tokio::test]
async fn a_long_survey_fits_but_the_limit_for_answers_stays() {
    let app = TestApp::new();
    let mut def = pulse_shared::default_survey::constitution();
    def.id = "long".into();
    let first = def.questions[0].clone();
    for n in 0..60 {
        let mut q = first.clone();
        q.id = format!("extra_{n}");
        q.bank = None;
        q.prompt.en = format!("Question {n}: {}", q.prompt.en);
        def.questions.push(q);
    }
    let body = json!({"revision": 0, "definition": def});
    assert!(
        body.to_string().len() > 2 * pulse_ingest::config::BODY_LIMIT_BYTES,
        "a survey far over the answers' limit"
    );
    let (status, saved) = save(&app, "long", &body).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (status, _, made) =
        app.send(app.admin_post("/api/v1/drafts/long/preview", &serde_json::to_string(&def).unwrap())).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let huge = " ".repeat(pulse_ingest::config::DEFINITION_LIMIT_BYTES + 1);
    let (status, _, refused) = app.send(app.admin("PUT", "/api/v1/drafts/long", "application/json", &huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{refused}");
    // Answers keep their limit.
    let mut answer = valid_response(1, None);
    answer["answers"]["padding"] = json!(" ".repeat(pulse_ingest::config::BODY_LIMIT_BYTES));
    assert_eq!(app.post("constitution", &answer).await.0, StatusCode::PAYLOAD_TOO_LARGE);
}
