//! What an admin can fetch, through `app()`: groups of people shown in full or not at all, no
//! hidden group in any total, figures fetched before and after a new version that cannot be
//! subtracted, and the survey list, stories and moderation queue deciding as the results do.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use pulse_shared::default_survey::constitution;
use pulse_shared::Protect;
use serde_json::{json, Value};

async fn get(app: &TestApp, path: &str) -> Value {
    let req = Request::get(path).header("authorization", format!("Bearer {}", app.token)).body(Body::empty()).unwrap();
    let (status, _, body) = app.send(req).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

fn question<'a>(results: &'a Value, id: &str) -> &'a Value {
    results["questions"].as_array().unwrap().iter().find(|q| q["id"] == id).unwrap()
}

fn counts<'a>(results: &'a Value, q: &str, option: &str) -> &'a Value {
    &question(results, q)["options"].as_array().unwrap().iter().find(|o| o["id"] == option).unwrap()["counts"]
}

/// Response `n` to `version` from `context`, answering awareness with `awareness`, with or
/// without a story tagged compassion.
fn response(n: u32, version: u32, context: &str, awareness: &str, story: bool) -> Value {
    let mut r = valid_response(n, Some(context));
    r["survey_version"] = version.into();
    r["answers"]["awareness"] = awareness.into();
    if story {
        r["answers"]["story_values"] = json!(["compassion"]);
    } else {
        r["answers"].as_object_mut().unwrap().remove("story");
        r["answers"].as_object_mut().unwrap().remove("story_values");
    }
    r
}

async fn post_all(app: &TestApp, responses: impl IntoIterator<Item = Value>) {
    for r in responses {
        let (status, _, body) = app.post("constitution", &r).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
}

#[tokio::test]
async fn story_writers_in_a_context_give_nothing_away_by_zeros() {
    // 60 responses in estates, 4 of them with a story all tagged compassion.
    let app = TestApp::new();
    post_all(&app, (0..60).map(|n| response(n, 1, "estates", "know_whats_in_it", n < 4))).await;
    let results = app.results("constitution").await;
    for q in ["story", "story_values", "story_consent"] {
        let q = question(&results, q);
        assert!(q["respondents"]["contexts"].as_object().unwrap().values().all(Value::is_null), "{q}");
        assert_eq!(q["respondents"]["all"], Value::Null, "4 writers: fewer than 10");
        for o in q["options"].as_array().into_iter().flatten() {
            assert!(o["counts"]["all"].is_null(), "{o}");
            assert!(o["counts"]["contexts"].as_object().unwrap().values().all(Value::is_null), "{o}");
        }
    }
    assert!(question(&results, "story_values")["hidden"]["estates"].as_str().unwrap().contains("never by context"));
}

#[tokio::test]
async fn a_figure_seen_under_version_1_cannot_be_subtracted_from_all_versions_later() {
    let app = TestApp::new();
    // Version 1: 20 in estates, all "not heard of it"; 20 in clinical.
    post_all(&app, (0..20).map(|n| response(n, 1, "estates", "not_heard", false))).await;
    post_all(&app, (20..40).map(|n| response(n, 1, "clinical", "know_whats_in_it", false))).await;
    let before = app.results("constitution").await;
    assert_eq!(counts(&before, "awareness", "not_heard")["contexts"]["estates"], 20);
    // Version 2 is published; 8 more from estates ("not heard") and 20 from clinical arrive.
    let mut v2 = constitution();
    v2.version = 2;
    app.state.store.publish(v2).await.unwrap();
    post_all(&app, (40..48).map(|n| response(n, 2, "estates", "not_heard", false))).await;
    post_all(&app, (48..68).map(|n| response(n, 2, "clinical", "know_whats_in_it", false))).await;

    let all = app.results("constitution").await;
    let v1 = get(&app, "/api/v1/surveys/constitution/results?version=1").await;
    let v2 = get(&app, "/api/v1/surveys/constitution/results?version=2").await;
    assert_eq!(counts(&v2, "awareness", "not_heard")["contexts"]["estates"], Value::Null, "a group of 8");
    // All versions add up only the groups shown: estates reads 20 (version 1 only), never 28.
    assert_eq!(counts(&all, "awareness", "not_heard")["contexts"]["estates"], 20);
    assert_eq!(counts(&all, "awareness", "not_heard")["all"], 20);
    assert_eq!(all["responses"], 60);
    assert_eq!(v1["responses"].as_u64().unwrap() + v2["responses"].as_u64().unwrap(), 60);
    assert_eq!(
        question(&all, "awareness")["notes"]["estates"],
        json!(["leaves out the versions where fewer than 10 people in Estates and facilities answered this"])
    );
    // The survey list says what the results say.
    let list = get(&app, "/api/v1/surveys").await;
    assert_eq!(list[0]["responses"], 60);
}

#[tokio::test]
async fn a_small_context_is_in_no_figure_and_no_list() {
    let app = TestApp::new();
    post_all(&app, (0..3).map(|n| response(n, 1, "estates", "not_heard", true))).await;
    post_all(&app, (3..23).map(|n| response(n, 1, "clinical", "know_whats_in_it", true))).await;
    post_all(&app, (23..33).map(|n| response(n, 1, "corporate", "know_whats_in_it", true))).await;
    let results = app.results("constitution").await;
    assert_eq!(results["responses"], 30);
    for q in results["questions"].as_array().unwrap() {
        assert_eq!(q["respondents"]["contexts"]["estates"], Value::Null, "{}", q["id"]);
        assert!(q["hidden"]["estates"].is_string(), "{}", q["id"]);
    }
    assert_eq!(counts(&results, "awareness", "not_heard")["all"], 0);
    // Stories: 30 counted, 30 listed; estates' 3 in neither.
    assert_eq!(question(&results, "story")["respondents"]["all"], 30);
    let stories = get(&app, "/api/v1/surveys/constitution/stories").await;
    assert_eq!(stories.as_array().unwrap().len(), 30);
    assert_eq!(counts(&results, "story_values", "compassion")["all"], 30);
    // The survey list never shows a total the results hide.
    assert_eq!(get(&app, "/api/v1/surveys").await[0]["responses"], 30);
}

#[tokio::test]
async fn the_demo_data_draws_every_row_of_the_values_matrix() {
    let app = TestApp::with_demo(true);
    pulse_ingest::pages::demo::seed(&app.state.store).await.unwrap();
    let results = app.results("constitution").await;
    let matrix = question(&results, "values_lived");
    assert_eq!(matrix["score_label"], "Often or always");
    let rows = matrix["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    for row in rows {
        assert!(row["points"].as_array().unwrap().iter().all(|p| p["all"].is_u64()), "{}", row["id"]);
        assert!(row["score"]["all"].is_f64(), "{}", row["id"]);
    }
    for q in ["awareness", "where_met", "focus_value", "shared_purpose", "story", "story_values"] {
        assert!(question(&results, q)["respondents"]["all"].is_u64(), "{q} is readable");
    }
    // The dashboard's table and downloads come with the results.
    assert_eq!(results["columns"][0], json!({"id": "all", "label": "All staff"}));
    assert_eq!(matrix["table"][0]["counts"].as_array().unwrap().len(), results["columns"].as_array().unwrap().len());
    let names: Vec<&str> =
        results["downloads"].as_array().unwrap().iter().map(|d| d["filename"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "constitution-v1-results.csv",
            "constitution-v1-results.json",
            "constitution-v1-results.xlsx",
            "constitution-stories.csv"
        ]
    );
}

#[tokio::test]
async fn a_question_protected_by_cell_hides_a_group_with_a_small_answer() {
    let app = TestApp::new();
    let mut def = constitution();
    def.version = 2;
    def.questions[0].protect = Protect::Cells;
    app.state.store.publish(def).await.unwrap();
    post_all(&app, (0..2).map(|n| response(n, 2, "estates", "not_heard", false))).await;
    post_all(&app, (2..30).map(|n| response(n, 2, "estates", "know_whats_in_it", false))).await;
    post_all(&app, (30..70).map(|n| response(n, 2, "clinical", "know_whats_in_it", false))).await;
    let results = get(&app, "/api/v1/surveys/constitution/results?version=2").await;
    let awareness = question(&results, "awareness");
    assert_eq!(awareness["respondents"]["contexts"]["estates"], Value::Null);
    assert!(awareness["hidden"]["estates"].as_str().unwrap().contains("fewer than 10 times"));
    assert_eq!(counts(&results, "awareness", "not_heard")["all"], 0, "2 in estates are in no figure");
    assert_eq!(question(&results, "focus_value")["respondents"]["contexts"]["estates"], 30);
}

#[tokio::test]
async fn a_definition_with_a_bad_k_text_or_positive_option_is_refused() {
    let app = TestApp::new();
    let mut def = serde_json::to_value(constitution()).unwrap();
    def["version"] = 2.into();
    def["k_text"] = 5.into();
    def["questions"][0]["positive"] = json!(["nope"]);
    let req = Request::post("/api/v1/surveys")
        .header("authorization", format!("Bearer {}", app.token))
        .header("content-type", "application/json")
        .body(Body::from(def.to_string()))
        .unwrap();
    let (status, _, body) = app.send(req).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let text = body.to_string();
    assert!(text.contains("k_text") && text.contains("\\\"nope\\\""), "{text}");
    assert_eq!(app.state.store.survey("constitution").unwrap().definition.version, 1, "nothing stored");
}
