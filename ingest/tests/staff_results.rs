//! Results for staff through the HTTP API: what an admin shares (`…/sharing`) and its bad input,
//! the public headlines (only shared questions, no context below k, closed waves only, the change
//! since the previous wave, the notes, caching), stories with a photo or video link (refused to an
//! unlisted host, public only once approved), and the values evidence pack.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{valid_response, TestApp};
use serde_json::{json, Value};

const SHARING: &str = "/api/v1/surveys/constitution/sharing";

fn public_get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

async fn share(app: &TestApp, body: Value) -> (StatusCode, Value) {
    let (status, _, body) = app.send(app.admin("PUT", SHARING, "application/json", &body.to_string())).await;
    (status, body)
}

async fn headlines(app: &TestApp, query: &str) -> (StatusCode, Value) {
    let (status, _, body) = app.send(public_get(&format!("/api/v1/surveys/constitution/headlines{query}"))).await;
    (status, body)
}

async fn respond(app: &TestApp, first: u32, n: u32, context: &str) {
    for i in first..first + n {
        let (status, _, body) = app.post("constitution", &valid_response(i, Some(context))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
}

fn note(wave: Option<&str>) -> Value {
    let mut n = json!({"you_said": {"en": "Appraisals rarely mention the values.", "cy": "Anaml y mae arfarniadau'n sôn am y gwerthoedd."},
                       "we_did": {"en": "Every appraisal now starts with them.", "cy": "Mae pob arfarniad bellach yn dechrau gyda nhw."}});
    if let Some(w) = wave {
        n["wave"] = json!(w);
    }
    n
}

#[tokio::test]
async fn sharing_refuses_bad_settings_naming_each_and_stores_nothing() {
    let app = TestApp::new();
    for (body, field) in [
        (json!({"questions": ["nope"]}), "questions"),
        (json!({"questions": ["story"]}), "questions"),
        (json!({"questions": ["awareness", "awareness"]}), "questions"),
        (json!({"notes": [{"you_said": "Only English", "we_did": {"en": "x", "cy": "y"}}]}), "notes[0].you_said"),
        (
            json!({"notes": [{"you_said": {"en": "", "cy": "y"}, "we_did": {"en": "x", "cy": "y"}}]}),
            "notes[0].you_said",
        ),
        (
            json!({"notes": [{"wave": "nowhere", "you_said": {"en": "x", "cy": "y"}, "we_did": {"en": "x", "cy": "y"}}]}),
            "notes[0].wave",
        ),
        (
            json!({"notes": [{"you_said": {"en": "x".repeat(601), "cy": "y"}, "we_did": {"en": "x", "cy": "y"}}]}),
            "notes[0].you_said",
        ),
    ] {
        let (status, answer) = share(&app, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert!(answer["details"].as_array().unwrap().iter().any(|d| d["field"] == field), "{body}: {answer}");
    }
    let (status, answer) = share(&app, json!({"questions": ["awareness"], "colour": "blue"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    let kept = app.admin_get(SHARING).await.1;
    assert_eq!((&kept["questions"], &kept["notes"]), (&json!([]), &json!([])), "nothing was kept");
    // Without the admin token, nothing.
    let req = Request::put(SHARING).header("content-type", "application/json").body(Body::from("{}")).unwrap();
    assert_eq!(app.send(req).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn headlines_show_only_shared_questions_and_no_context_below_k() {
    let app = TestApp::new();
    respond(&app, 0, 10, "clinical").await;
    respond(&app, 100, 4, "estates").await;
    let (status, body) = headlines(&app, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "nothing_shared", "off by default: {body}");
    assert_eq!(body["questions"], json!([]));

    let (status, kept) =
        share(&app, json!({"questions": ["values_lived", "shared_purpose"], "notes": [note(None)]})).await;
    assert_eq!(status, StatusCode::OK, "{kept}");
    let (status, body) = headlines(&app, "?context=estates&lang=cy").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "shown");
    assert_eq!(body["lang"], "cy");
    let ids: Vec<&str> = body["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["values_lived", "shared_purpose"], "only what was shared, in survey order");
    // Estates has 4 responses: named, not shown, and none of its figures anywhere.
    assert_eq!(body["context"], json!({"id": "estates", "label": "Ystadau a chyfleusterau", "shown": false}));
    assert_eq!(body.get("context_responses"), None);
    let text = body.to_string();
    assert!(!text.contains("\"context\":{\"percent\""), "no context figure: {text}");
    // Everyone adds up only the groups shown: clinical's 10, not 14.
    assert_eq!(body["responses"], 10);
    let purpose = &body["questions"][1];
    assert_eq!(purpose["measure"], "answered");
    assert_eq!(purpose["answers"], json!(["Cytuno", "Cytuno'n gryf"]));
    assert_eq!(purpose["figures"][0]["all"]["percent"], 100.0);
    assert_eq!(purpose["figures"][0]["all"]["of"], 10);
    assert_eq!(body["notes"][0]["we_did"], "Mae pob arfarniad bellach yn dechrau gyda nhw.");
    // A context with k responses is shown beside everyone.
    let (_, body) = headlines(&app, "?context=clinical").await;
    assert_eq!(body["context"]["shown"], true);
    assert_eq!(body["context_responses"], 10);
    assert_eq!(body["questions"][0]["figures"][0]["context"]["of"], 10);
    // Free text never appears, even as a figure.
    assert!(!body.to_string().contains("porters"), "{body}");
}

#[tokio::test]
async fn headlines_refuse_bad_parameters_and_are_cacheable() {
    let app = TestApp::new();
    for query in ["?context=mars", "?lang=fr", "?colour=blue", "?context=estates&context=clinical"] {
        let (status, body) = headlines(&app, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{query}: {body}");
    }
    assert_eq!(headlines(&app, "").await.0, StatusCode::OK);
    let (status, _, body) = app.send(public_get("/api/v1/surveys/nope/headlines")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (_, headers, _) = app.send(public_get("/api/v1/surveys/constitution/headlines")).await;
    assert_eq!(headers["cache-control"], "public, max-age=300");
    let etag = headers["etag"].to_str().unwrap().to_string();
    let req = Request::get("/api/v1/surveys/constitution/headlines")
        .header("if-none-match", &etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.0, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn with_waves_staff_see_only_closed_waves_and_the_change_since_the_one_before() {
    let app = TestApp::new();
    app.set_day("2030-01-01");
    for (id, opens, closes) in [("spring", "2030-03-01", "2030-03-31"), ("summer", "2030-06-01", "2030-06-30")] {
        let body = json!({"id": id, "label": {"en": id, "cy": format!("{id}-cy")}, "opens": opens, "closes": closes});
        let (status, _, answer) =
            app.send(app.admin_post("/api/v1/surveys/constitution/waves", &body.to_string())).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let (status, kept) =
        share(&app, json!({"questions": ["awareness"], "notes": [note(Some("spring")), note(None)]})).await;
    assert_eq!(status, StatusCode::OK, "{kept}");
    app.set_day("2030-03-10");
    respond(&app, 0, 30, "clinical").await;
    let (_, body) = headlines(&app, "").await;
    assert_eq!(body["status"], "waiting_for_wave", "spring is open: no figure moves while it is: {body}");
    assert_eq!(body["next_closes"], "2030-03-31");
    assert_eq!(body["questions"], json!([]));
    assert_eq!(body["notes"].as_array().unwrap().len(), 1, "spring's note waits for spring's results");

    app.set_day("2030-06-10");
    for i in 1000..1030 {
        // Everyone in summer knows what is in it: a clear change from spring's third.
        let mut r = valid_response(i, Some("clinical"));
        r["answers"]["awareness"] = json!("know_whats_in_it");
        assert_eq!(app.post("constitution", &r).await.0, StatusCode::CREATED);
    }
    let (_, body) = headlines(&app, "").await;
    assert_eq!(body["wave"]["id"], "spring", "summer is still open: {body}");
    assert_eq!(body["responses"], 30);
    assert_eq!(body["notes"].as_array().unwrap().len(), 2);

    app.set_day("2030-07-01");
    let (_, body) = headlines(&app, "?lang=cy").await;
    assert_eq!(body["wave"]["id"], "summer");
    assert_eq!(body["previous_wave"], "spring-cy");
    assert_eq!(body["responses"], 30);
    let know =
        body["questions"][0]["figures"].as_array().unwrap().iter().find(|f| f["id"] == "know_whats_in_it").unwrap();
    assert_eq!(know["all"]["percent"], 100.0);
    assert_eq!(know["all"]["change"]["direction"], "up", "{know}");
    assert!(!body.to_string().contains("2030-06-10"), "no day finer than the wave");
}

#[tokio::test]
async fn a_story_link_goes_only_to_a_listed_host_and_is_public_only_once_approved() {
    let app = TestApp::new();
    let with_link = |n: u32, link: &str| {
        let mut r = valid_response(n, Some("clinical"));
        r["answers"]["story"] = json!({"text": "Our open day", "link": link, "caption": "The ward's open day"});
        r["answers"]["story_consent"] = json!("yes");
        r
    };
    let (status, _, body) = app.post("constitution", &with_link(1, "https://evil.example/x.jpg")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "answers.story.link");
    assert_eq!(body["details"][0]["message"], "Only links to www.youtube.com, youtu.be, vimeo.com can be shared here.");
    assert_eq!(app.stored("constitution"), 0, "nothing stored");
    let (status, _, body) = app.post("constitution", &with_link(2, "https://youtu.be/abc")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    for n in 3..13 {
        app.post("constitution", &valid_response(n, Some("clinical"))).await;
    }
    let showcase = || async { app.send(public_get("/api/v1/surveys/constitution/showcase")).await.2 };
    assert!(!showcase().await.to_string().contains("youtu.be"), "pending: not public");
    let (_, queue) = app.admin_get("/api/v1/surveys/constitution/moderation").await;
    let linked = queue["stories"].as_array().unwrap().iter().find(|s| s["media"].is_object()).unwrap().clone();
    assert_eq!(linked["media"], json!({"link": "https://youtu.be/abc", "caption": "The ward's open day"}));
    let decide = |body: Value| {
        app.admin_post(
            &format!("/api/v1/surveys/constitution/moderation/{}", linked["id"].as_str().unwrap()),
            &body.to_string(),
        )
    };
    let (status, _, _) = app.send(decide(json!({"decision": "approved"}))).await;
    assert_eq!(status, StatusCode::OK);
    let shown = showcase().await;
    let story = shown["stories"].as_array().unwrap().iter().find(|s| s["media"].is_object()).unwrap().clone();
    assert_eq!(story["media"]["link"], "https://youtu.be/abc", "{shown}");
    // Withdrawn, then approved without its link: the link is gone everywhere.
    app.send(decide(json!({"decision": "rejected"}))).await;
    assert!(!showcase().await.to_string().contains("youtu.be"));
    let (status, _, after) = app.send(decide(json!({"decision": "approved", "remove_link": true}))).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after.get("media"), None);
    assert!(!showcase().await.to_string().contains("youtu.be"));
    let (_, stories) = app.admin_get("/api/v1/surveys/constitution/stories").await;
    assert!(!stories.to_string().contains("youtu.be"), "{stories}");
}

#[tokio::test]
async fn the_evidence_pack_puts_a_values_figures_beside_its_approved_stories() {
    let app = TestApp::new();
    respond(&app, 0, 10, "clinical").await;
    respond(&app, 100, 3, "estates").await;
    let (status, pack) = app.admin_get("/api/v1/surveys/constitution/evidence/compassion").await;
    assert_eq!(status, StatusCode::OK, "{pack}");
    assert_eq!(pack["label"], "Compassion");
    let kinds: Vec<(&str, &str)> = pack["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["question"].as_str().unwrap(), f["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [("values_lived", "score"), ("focus_value", "chosen")]);
    let chosen = &pack["figures"][1]["cells"];
    assert_eq!(chosen[0], json!({"column": "all", "percent": 100.0, "count": 10, "of": 10}), "estates' 3 are left out");
    let estates = chosen.as_array().unwrap().iter().find(|c| c["column"] == "estates").unwrap();
    assert_eq!(estates.get("count"), None, "{estates}");
    assert!(estates["hidden"].is_string());
    assert_eq!(pack["stories"], json!([]), "no approved story yet");
    let (status, _) = app.admin_get("/api/v1/surveys/constitution/evidence/kindness").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, headers, _) =
        app.send(app.admin("GET", "/api/v1/surveys/constitution/evidence.xlsx", "application/json", "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-disposition"].to_str().unwrap().contains("constitution-values-evidence.xlsx"));
}
