//! Consented stories through moderation to the public showcase: only consented stories enter the
//! queue, only approved ones are public, an edit replaces the original everywhere, every decision
//! is recorded, and the public endpoint holds no context, date, submission or story id.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{submission_id, valid_response, TestApp};
use serde_json::{json, Value};

const ORIGINAL_D: &str = "Sister Jane Smith on Ward 7 sat with my dad all night when he was scared.";
const EDITED_D: &str = "A nurse on our ward sat with a frightened patient all night.";

/// Response `n` with `story` (consented or not), tagged compassion (and working together for odd n).
fn story_response(n: u32, story: &str, consent: bool) -> Value {
    let mut r = valid_response(n, Some("estates"));
    r["answers"]["story"] = story.into();
    r["answers"]["story_values"] =
        if n % 2 == 1 { json!(["compassion", "working_together"]) } else { json!(["respect_dignity"]) };
    if consent {
        r["answers"]["story_consent"] = "yes".into();
    }
    r
}

fn without_story(n: u32) -> Value {
    let mut r = valid_response(n, Some("estates"));
    let answers = r["answers"].as_object_mut().unwrap();
    answers.remove("story");
    answers.remove("story_values");
    r
}

async fn admin(app: &TestApp, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {}", app.token))
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let (status, _, body) = app.send(req).await;
    (status, body)
}

async fn public(app: &TestApp, query: &str) -> (StatusCode, axum::http::HeaderMap, Value) {
    app.send(Request::get(format!("/api/v1/surveys/constitution/showcase{query}")).body(Body::empty()).unwrap()).await
}

fn texts(showcase: &Value) -> Vec<String> {
    let mut t: Vec<String> =
        showcase["stories"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap().to_string()).collect();
    t.sort();
    t
}

#[tokio::test]
async fn a_consented_story_goes_through_moderation_to_the_showcase_and_nothing_else_does() {
    let app = &TestApp::new();
    let stories = [
        (1, "Consented story A about the porters.", true),
        (2, "Private story B, not for sharing.", false),
        (3, "Story C that the admin rejects.", true),
        (4, ORIGINAL_D, true),
    ];
    for (n, text, consent) in stories {
        assert_eq!(app.post("constitution", &story_response(n, text, consent)).await.0, StatusCode::CREATED);
    }
    // Below k: nothing to moderate and nothing public.
    let (status, queue) = admin(app, "GET", "/api/v1/surveys/constitution/moderation", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue["stories"], json!([]));
    assert!(queue["note"].as_str().unwrap().contains("10 responses"), "{queue}");
    assert_eq!(public(app, "").await.2["stories"], json!([]));

    for n in 5..=10 {
        assert_eq!(app.post("constitution", &without_story(n)).await.0, StatusCode::CREATED);
    }
    let (_, queue) = admin(app, "GET", "/api/v1/surveys/constitution/moderation", None).await;
    let queued = queue["stories"].as_array().unwrap();
    let mut queued_texts: Vec<&str> = queued.iter().map(|s| s["text"].as_str().unwrap()).collect();
    queued_texts.sort();
    assert_eq!(queued_texts, [stories[0].1, ORIGINAL_D, stories[2].1], "consented stories only");
    for s in queued {
        // Besides what the writer sent, only what the moderator is asked to check in its text.
        let keys: Vec<&String> =
            s.as_object().unwrap().keys().filter(|k| !["likely_names", "placeholders"].contains(&k.as_str())).collect();
        assert_eq!(keys, ["edited", "id", "question", "status", "text", "value_names", "values"], "{s}");
        if s["text"].as_str().unwrap().starts_with("Sister Jane Smith") {
            assert_eq!(s["likely_names"], json!(["Jane Smith"]), "the name is marked for the moderator, not removed");
        }
        assert_eq!(s["status"], "pending");
    }
    let id_of = |text: &str| queued.iter().find(|s| s["text"] == text).unwrap()["id"].as_str().unwrap().to_string();
    let (a, c, d) = (id_of(stories[0].1), id_of(stories[2].1), id_of(ORIGINAL_D));
    let decide = |id: &str, body: Value| {
        let uri = format!("/api/v1/surveys/constitution/moderation/{id}");
        async move { admin(app, "POST", &uri, Some(body)).await }
    };

    // Bad decisions: a clear 4xx and nothing changes.
    for (id, body, want) in [
        (d.as_str(), json!({"decision": "rejected", "text": "edited"}), StatusCode::UNPROCESSABLE_ENTITY),
        (d.as_str(), json!({"decision": "approved", "text": "   "}), StatusCode::UNPROCESSABLE_ENTITY),
        (d.as_str(), json!({"decision": "approved", "text": "word ".repeat(251)}), StatusCode::UNPROCESSABLE_ENTITY),
        (d.as_str(), json!({"decision": "pending"}), StatusCode::UNPROCESSABLE_ENTITY),
        (d.as_str(), json!({"decision": "maybe"}), StatusCode::BAD_REQUEST),
        (d.as_str(), json!({"decision": "approved", "who": "me"}), StatusCode::BAD_REQUEST),
        ("00000000000000ff", json!({"decision": "approved"}), StatusCode::NOT_FOUND),
        ("not-an-id", json!({"decision": "approved"}), StatusCode::NOT_FOUND),
    ] {
        let (status, body) = decide(id, body.clone()).await;
        assert_eq!(status, want, "{body}");
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{body}");
    }
    let unauthorised = app
        .send(
            Request::post(format!("/api/v1/surveys/constitution/moderation/{a}"))
                .header("content-type", "application/json")
                .body(Body::from(r#"{"decision":"approved"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(unauthorised.0, StatusCode::UNAUTHORIZED);
    assert_eq!(admin(app, "GET", "/api/v1/surveys/constitution/moderation", None).await.1["decisions"], json!([]));

    assert_eq!(decide(&a, json!({"decision": "approved"})).await.0, StatusCode::OK);
    assert_eq!(decide(&c, json!({"decision": "rejected"})).await.0, StatusCode::OK);
    let (status, story) =
        decide(&d, json!({"decision": "approved", "text": format!("{EDITED_D} Call 07700 900123.")})).await;
    assert_eq!(status, StatusCode::OK, "{story}");
    assert_eq!(story["text"], format!("{EDITED_D} Call [phone number removed]."), "the edit is scrubbed too");
    assert_eq!(story["edited"], true);

    // Public: approved stories only, text and values only.
    let (status, headers, showcase) = public(app, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&showcase), [format!("{EDITED_D} Call [phone number removed]."), stories[0].1.to_string()]);
    for s in showcase["stories"].as_array().unwrap() {
        let keys: Vec<&String> = s.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["text", "values"]);
    }
    let raw = showcase.to_string();
    for secret in [
        "estates".to_string(),
        "context".into(),
        pulse_ingest::public::responses::today().to_string(),
        submission_id(1),
        submission_id(4),
        a.clone(),
        d.clone(),
        "Private story B".into(),
        "Story C".into(),
        "Jane Smith".into(),
    ] {
        assert!(!raw.contains(&secret), "the showcase holds {secret:?}: {raw}");
    }
    assert_eq!(headers["cache-control"], "public, max-age=60");
    let etag = headers["etag"].to_str().unwrap().to_string();
    let (status, _, _) = app
        .send(
            Request::get("/api/v1/surveys/constitution/showcase")
                .header("if-none-match", &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    // One value, and Welsh names.
    let (_, _, one) = public(app, "?value=working_together&lang=cy").await;
    assert_eq!(texts(&one), [stories[0].1]);
    assert_eq!(one["title"], "Ein gwerthoedd GIG");
    assert_eq!(one["labels"][0], json!({"id": "working_together", "label": "Cydweithio er budd cleifion"}));
    // A page's own language tags: the server chooses as the widget does (the first it speaks,
    // else English), so the showcase needs no rule of its own.
    for (query, lang) in
        [("?page_lang=fr,cy-GB", "cy"), ("?page_lang=cy", "cy"), ("?page_lang=fr", "en"), ("?page_lang=", "en")]
    {
        let (got, _, body) = public(app, query).await;
        assert_eq!((got, body["lang"].as_str()), (StatusCode::OK, Some(lang)), "{query}");
    }
    for (query, status) in [
        ("?value=kindness", StatusCode::BAD_REQUEST),
        ("?lang=fr", StatusCode::BAD_REQUEST),
        ("?sort=new", StatusCode::BAD_REQUEST),
    ] {
        let (got, _, body) = public(app, query).await;
        assert_eq!(got, status, "{query}: {body}");
    }

    // The original of the edited story is gone from what admins can read too.
    let (_, stories_export) = admin(app, "GET", "/api/v1/surveys/constitution/stories", None).await;
    let export = stories_export.to_string();
    assert!(!export.contains("Jane Smith") && export.contains(EDITED_D), "{export}");
    assert!(export.contains("Private story B"), "unconsented stories stay in the admins' export");

    // Every decision is recorded, with nothing about the writer.
    let (_, queue) = admin(app, "GET", "/api/v1/surveys/constitution/moderation", None).await;
    let decisions = queue["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 3);
    assert_eq!(decisions[2]["story"], d.as_str());
    assert_eq!((decisions[2]["decision"].as_str(), decisions[2]["edited"].as_bool()), (Some("approved"), Some(true)));
    for dec in decisions {
        let keys: Vec<&String> = dec.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["decision", "edited", "on", "story"]);
    }

    // Withdrawing an approved story takes it off the showcase.
    assert_eq!(decide(&a, json!({"decision": "rejected"})).await.0, StatusCode::OK);
    assert_eq!(texts(&public(app, "").await.2), [format!("{EDITED_D} Call [phone number removed].")]);

    // Edits leave the counters as they were, and a backup keeps the queue and the decisions.
    let report = app.state.store.check().unwrap();
    assert_eq!((report.mismatches.len(), report.stories, report.story_problems.len()), (0, 3, 0), "{report:?}");
    let copy = tempfile::tempdir().unwrap();
    app.state.store.backup(&copy.path().join(pulse_ingest::config::DATABASE_FILE)).unwrap();
    let restored = pulse_ingest::store::Store::open(copy.path()).unwrap();
    let stories = |store: &pulse_ingest::store::Store| {
        let publication = store.publication("constitution").unwrap().unwrap();
        store.stories("constitution", &publication).unwrap()
    };
    assert_eq!(stories(&restored), stories(&app.state.store));
    assert_eq!(stories(&restored).len(), 3);
    assert_eq!(restored.decisions("constitution").unwrap().len(), 4);
    restored.shutdown().await;
}

#[tokio::test]
async fn consent_must_be_yes_and_only_with_a_story() {
    let app = TestApp::new();
    let mut r = story_response(1, "A story.", true);
    r["answers"]["story_consent"] = "no".into();
    let (status, _, body) = app.post("constitution", &r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["details"][0]["field"], "answers.story_consent");
    let mut r = without_story(2);
    r["answers"]["story_consent"] = "yes".into();
    let (status, _, body) = app.post("constitution", &r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["details"][0]["code"], "hidden_question");
    assert_eq!(app.stored("constitution"), 0);
}

/// A story waits for the release that holds its response: the eleventh response's story is
/// listed nowhere until the twentieth response releases the group again, so it belongs to a step
/// of ten people, never to one arrival. Then a moderator corrects its caption and value tags, and
/// sees which stories in the queue are the same story twice.
#[tokio::test]
async fn a_story_waits_for_its_release_and_a_moderator_edits_its_caption_and_values_and_sees_twins() {
    let app = &TestApp::new();
    for n in 0..10 {
        let text = if n < 2 { "A porter walked a lost patient all the way to the eye clinic." } else { "Other." };
        assert_eq!(app.post("constitution", &story_response(n, text, n < 2)).await.0, StatusCode::CREATED);
    }
    let mut late = story_response(10, "", true);
    late["answers"]["story"] = json!({"text": "The estates team fixed the lift overnight.", "link": "https://www.youtube.com/watch?v=x", "caption": "Ward 7's lift, by Sam Jones"});
    assert_eq!(app.post("constitution", &late).await.0, StatusCode::CREATED);
    let queue = || async { admin(app, "GET", "/api/v1/surveys/constitution/moderation", None).await.1 };
    let listed = |q: &Value| {
        q["stories"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(listed(&queue().await).len(), 2, "the late story waits");
    let (_, list) = admin(app, "GET", "/api/v1/surveys/constitution/stories", None).await;
    assert!(!list.to_string().contains("lift"), "{list}");
    for n in 11..20 {
        assert_eq!(app.post("constitution", &without_story(n)).await.0, StatusCode::CREATED);
    }
    let q = queue().await;
    assert_eq!(listed(&q).len(), 3, "released with the nine after it");
    // The two copies of the porter's story point at each other.
    let porter: Vec<&Value> =
        q["stories"].as_array().unwrap().iter().filter(|s| s["text"].as_str().unwrap().contains("porter")).collect();
    assert_eq!(porter[0]["similar"], json!([porter[1]["id"]]));
    assert_eq!(porter[1]["similar"], json!([porter[0]["id"]]));
    let lift = q["stories"].as_array().unwrap().iter().find(|s| s["text"].as_str().unwrap().contains("lift")).unwrap();
    assert_eq!(lift.get("similar"), None);
    let id = lift["id"].as_str().unwrap();
    let decide = |body: Value| async move {
        admin(app, "POST", &format!("/api/v1/surveys/constitution/moderation/{id}"), Some(body)).await
    };
    for (body, why) in [
        (json!({"decision": "approved", "values": ["kindness"]}), "not an NHS value"),
        (json!({"decision": "rejected", "caption": "x"}), "only an approval"),
        (json!({"decision": "approved", "caption": "x", "remove_link": true}), "no link to caption"),
        (json!({"decision": "approved", "caption": "two\nlines"}), "the caption"),
    ] {
        let (status, reply) = decide(body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {reply}");
        assert!(reply["error"].as_str().unwrap().contains(why), "{body}: {reply}");
    }
    let (status, after) =
        decide(json!({"decision": "approved", "caption": "The lift in the children's wing", "values": ["working_together", "improving_lives", "working_together"]})).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["media"]["caption"], "The lift in the children's wing");
    assert_eq!(after["values"], json!(["working_together", "improving_lives"]), "each once, in the NHS's order");
    assert_eq!(after["edited"], true);
    let (_, _, showcase) = public(app, "").await;
    let shown = showcase["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"].as_str().unwrap().contains("lift"))
        .unwrap()
        .clone();
    assert!(!showcase.to_string().contains("Sam Jones"), "the old caption is gone: {showcase}");
    assert_eq!(shown["media"]["caption"], "The lift in the children's wing", "{shown}");
    assert!(
        shown.to_string().contains("working_together") || shown.to_string().contains("Working together"),
        "{shown}"
    );
    assert!(app.state.store.check().unwrap().story_problems.is_empty(), "the caption edit reached the response");
}
