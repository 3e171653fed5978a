//! The HTTP API through `app()`: submissions, results, idempotency, bad input, auth and CORS.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use pulse_shared::default_survey::constitution;
use serde_json::{json, Value};
use tower::ServiceExt;

#[tokio::test]
async fn submissions_show_in_results_once_there_are_k() {
    let app = TestApp::new();
    for n in 0..9 {
        let (status, _, body) = app.post("constitution", &valid_response(n, Some("estates"))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["submission_id"], submission_id(n));
        assert_eq!(body["survey"], "constitution");
    }
    let results = app.results("constitution").await;
    assert_eq!(results["responses"], Value::Null, "9 responses is below k = 10");
    assert_eq!(results["questions"], json!([]));

    for n in 9..12 {
        assert_eq!(app.post("constitution", &valid_response(n, Some("estates"))).await.0, StatusCode::CREATED);
    }
    // The tenth response released the group as it then was; the two after it wait for eight more.
    let results = app.results("constitution").await;
    assert_eq!(results["responses"], 10);
    // n % 3 picks the awareness answer: 4, 3, 3 across 0..10. A group of 10 shows every answer.
    assert_eq!(option_count(&results, "awareness", "not_heard"), 4);
    assert_eq!(option_count(&results, "awareness", "know_whats_in_it"), 3);
    assert_eq!(option_count(&results, "focus_value", "compassion"), 10);
    assert_eq!(option_count(&results, "shared_purpose", "agree"), 10);
    assert_eq!(option_count(&results, "story_values", "compassion"), 10);
    for n in 12..20 {
        assert_eq!(app.post("constitution", &valid_response(n, Some("estates"))).await.0, StatusCode::CREATED);
    }
    let results = app.results("constitution").await;
    assert_eq!(results["responses"], 20, "ten more since the first release: the next one");
    assert_eq!(option_count(&results, "awareness", "not_heard"), 7);
    assert_eq!(app.stored("constitution"), 20);
}

/// The attack a curious admin (or anyone reading the headlines) would try: fetch, let one more
/// person answer, fetch again. Without waves, every output moves only in steps of k people.
#[tokio::test]
async fn one_more_response_changes_no_output_until_k_more_have_come() {
    let app = TestApp::new();
    for n in 0..10 {
        app.post("constitution", &valid_response(n, Some("estates"))).await;
    }
    let before = every_output(&app).await;
    for n in 10..19 {
        // A different answer each time: were any of them shown, the outputs would differ.
        app.post("constitution", &valid_response(n, Some("estates"))).await;
        assert_eq!(every_output(&app).await, before, "after response {n}");
    }
    app.post("constitution", &valid_response(19, Some("estates"))).await;
    assert_ne!(every_output(&app).await, before, "the tenth since the release releases all ten");
}

/// Everything an admin (and the public headlines) can fetch of the default survey.
async fn every_output(app: &TestApp) -> Vec<(StatusCode, Value)> {
    let mut outputs = Vec::new();
    for path in [
        "/api/v1/surveys",
        "/api/v1/surveys/constitution/results",
        "/api/v1/surveys/constitution/results?version=1",
        "/api/v1/surveys/constitution/results.csv",
        "/api/v1/surveys/constitution/stories",
        "/api/v1/surveys/constitution/stories.csv",
        "/api/v1/surveys/constitution/moderation",
        "/api/v1/surveys/constitution/trend",
        "/api/v1/surveys/constitution/evidence/compassion",
    ] {
        outputs.push(app.admin_get(path).await);
    }
    let headlines = Request::get("/api/v1/surveys/constitution/headlines?context=estates").body(Body::empty()).unwrap();
    let (status, _, body) = app.send(headlines).await;
    outputs.push((status, body));
    outputs
}

#[tokio::test]
async fn a_resubmission_is_stored_once_with_the_same_receipt() {
    let app = TestApp::new();
    let response = valid_response(1, None);
    let (first, _, receipt) = app.post("constitution", &response).await;
    let (second, _, again) = app.post("constitution", &response).await;
    assert_eq!((first, second), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(receipt, again);
    assert_eq!(app.stored("constitution"), 1);

    // Nine more distinct responses: the tallies count the first one once, not twice, so the tenth
    // distinct one (and not the ninth) is the first release.
    for n in 2..10 {
        app.post("constitution", &valid_response(n, None)).await;
    }
    assert_eq!(app.results("constitution").await["responses"], Value::Null);
    app.post("constitution", &valid_response(10, None)).await;
    assert_eq!(app.results("constitution").await["responses"], 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_resubmissions_are_stored_once() {
    let app = TestApp::new();
    let body = valid_response(5, None).to_string();
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let router = app.router.clone();
            let req = post_json("constitution", body.clone());
            tokio::spawn(async move { tower::ServiceExt::oneshot(router, req).await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 15, "{statuses:?}");
    assert_eq!(app.stored("constitution"), 1);
}

/// What every error body must look like.
fn assert_error_shape(body: &Value, case: &str) {
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{case}: no error message in {body}");
    assert!(body["details"].is_array(), "{case}: no details array in {body}");
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_nothing_is_stored() {
    let app = TestApp::new();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = valid_response(7, Some("estates"));
        f(&mut v);
        v.to_string()
    };
    let cases: Vec<(&str, Request<Body>, StatusCode, Option<&str>)> = vec![
        ("malformed JSON", post_json("constitution", "{\"submission_id\": ".into()), StatusCode::BAD_REQUEST, None),
        ("not JSON at all", post_json("constitution", "hello".into()), StatusCode::BAD_REQUEST, None),
        (
            "wrong content type",
            Request::post("/api/v1/surveys/constitution/responses")
                .header("content-type", "text/plain")
                .body(Body::from(valid_response(7, None).to_string()))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
        ),
        (
            "no content type",
            Request::post("/api/v1/surveys/constitution/responses")
                .body(Body::from(valid_response(7, None).to_string()))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
        ),
        ("unknown survey", post_json("nope", valid_response(7, None).to_string()), StatusCode::NOT_FOUND, None),
        (
            "body over 16 KiB",
            post_json("constitution", with(&|v| v["answers"]["story"] = Value::String("a".repeat(17 * 1024)))),
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
        ),
        (
            "unknown top-level field",
            post_json("constitution", with(&|v| v["ip"] = "203.0.113.9".into())),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "bad submission id",
            post_json("constitution", with(&|v| v["submission_id"] = "xyz".into())),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "answers not an object",
            post_json("constitution", with(&|v| v["answers"] = json!([1, 2]))),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "huge version number",
            post_json("constitution", with(&|v| v["survey_version"] = json!(1e40))),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "wrong version",
            post_json("constitution", with(&|v| v["survey_version"] = 2.into())),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("wrong_version"),
        ),
        (
            "unknown context",
            post_json("constitution", with(&|v| v["context"] = "mars".into())),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("unknown_context"),
        ),
        (
            "unknown option",
            post_json("constitution", with(&|v| v["answers"]["awareness"] = "maybe".into())),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("unknown_option"),
        ),
        (
            "unknown question",
            post_json("constitution", with(&|v| v["answers"]["age"] = "42".into())),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("unknown_question"),
        ),
        (
            "missing required",
            post_json(
                "constitution",
                with(&|v| {
                    v["answers"].as_object_mut().unwrap().remove("focus_value");
                }),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("missing_required"),
        ),
        (
            "hidden question answered",
            post_json(
                "constitution",
                with(&|v| {
                    v["answers"].as_object_mut().unwrap().remove("story");
                }),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("hidden_question"),
        ),
        (
            "story over 250 words",
            post_json("constitution", with(&|v| v["answers"]["story"] = Value::String("word ".repeat(251)))),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("too_many_words"),
        ),
        (
            "scale point out of range",
            post_json("constitution", with(&|v| v["answers"]["values_lived"]["compassion"] = 6.into())),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("scale_out_of_range"),
        ),
    ];
    for (case, req, want, code) in cases {
        let (status, headers, body) = app.send(req).await;
        assert_eq!(status, want, "{case}: {body}");
        assert_eq!(headers["content-type"], "application/json", "{case}");
        assert_error_shape(&body, case);
        if let Some(code) = code {
            let codes: Vec<&str> =
                body["details"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
            assert!(codes.contains(&code), "{case}: expected {code} in {body}");
        }
        assert_eq!(app.stored("constitution"), 0, "{case}: something was stored");
    }
    // And a valid response still goes through afterwards.
    assert_eq!(app.post("constitution", &valid_response(7, None)).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn a_closed_survey_refuses_responses() {
    let app = TestApp::new();
    let mut def = constitution();
    def.version = 2;
    def.closes = Some("2020-01-31".parse().unwrap());
    app.state.store.publish(def).await.unwrap();
    let mut response = valid_response(3, None);
    response["survey_version"] = 2.into();
    let (status, _, body) = app.post("constitution", &response).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "This survey closed on 31 January 2020.");
    assert_eq!(app.stored("constitution"), 0);
}

#[tokio::test]
async fn results_need_a_valid_admin_token() {
    let app = TestApp::new();
    for n in 0..10 {
        app.post("constitution", &valid_response(n, None)).await;
    }
    let get = |auth: Option<String>| {
        let mut req = Request::get("/api/v1/surveys/constitution/results");
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        req.body(Body::empty()).unwrap()
    };
    for (case, auth) in [
        ("no header", None),
        ("wrong token", Some("Bearer pulse_0000".to_string())),
        ("token without Bearer", Some(app.token.clone())),
        ("basic auth", Some("Basic YWRtaW46YWRtaW4=".to_string())),
        ("almost the token", Some(format!("Bearer {}", &app.token[..app.token.len() - 1]))),
    ] {
        let (status, headers, body) = app.send(get(auth)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{case}");
        assert_eq!(headers["www-authenticate"], "Bearer", "{case}");
        assert_error_shape(&body, case);
        assert!(body.get("questions").is_none() && body.get("responses").is_none(), "{case}: leaked {body}");
    }
    let (status, _, body) = app.send(get(Some(format!("Bearer {}", app.token)))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["responses"], 10);

    let (status, _, body) = app
        .send(
            Request::get("/api/v1/surveys/constitution/results?version=abc")
                .header("authorization", format!("Bearer {}", app.token))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body, "bad version query");
}

#[tokio::test]
async fn the_definition_is_served_with_an_etag() {
    let app = TestApp::new();
    let (status, headers, body) =
        app.send(Request::get("/api/v1/surveys/constitution").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["id"], "constitution");
    assert_eq!(body["k"], 10);
    let etag = headers["etag"].to_str().unwrap().to_string();
    let (status, _, _) = app
        .send(Request::get("/api/v1/surveys/constitution").header("if-none-match", &etag).body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    let (status, _, body) = app.send(Request::get("/api/v1/surveys/nope").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_shape(&body, "unknown survey");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_json() {
    let app = TestApp::new();
    let (status, _, body) = app.send(Request::get("/wp-admin").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_shape(&body, "unknown route");
    assert_eq!(body["error"], "no route for /wp-admin", "the error says what was missing");
    let (status, _, body) =
        app.send(Request::delete("/api/v1/surveys/constitution").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_shape(&body, "wrong method");
    let (status, _, body) = app.send(Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "ok"})));
}

const INTRANET: &str = "https://intranet.example.nhs.uk";

async fn app_with_allowed_origin() -> TestApp {
    let app = TestApp::new();
    let mut def = constitution();
    def.version = 2;
    def.allowed_origins = vec![INTRANET.to_string()];
    app.state.store.publish(def).await.unwrap();
    app
}

fn v2_response(n: u32) -> Value {
    let mut r = valid_response(n, None);
    r["survey_version"] = 2.into();
    r
}

#[tokio::test]
async fn cors_admits_only_the_surveys_origins() {
    let app = app_with_allowed_origin().await;
    let preflight = |origin: &str| {
        Request::options("/api/v1/surveys/constitution/responses")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let (status, headers, _) = app.send(preflight(INTRANET)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(headers["access-control-allow-origin"], INTRANET);
    assert!(headers["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    assert_eq!(headers["access-control-allow-headers"], "content-type");

    let (status, headers, body) = app.send(preflight("https://evil.example.com")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(headers.get("access-control-allow-origin").is_none());
    assert_error_shape(&body, "preflight from another origin");

    let post_from = |origin: &str, n: u32| {
        Request::post("/api/v1/surveys/constitution/responses")
            .header("origin", origin)
            .header("host", "pulse.example.nhs.uk")
            .header("content-type", "application/json")
            .body(Body::from(v2_response(n).to_string()))
            .unwrap()
    };
    let (status, _, _) = app.send(post_from("https://evil.example.com", 1)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.stored("constitution"), 0, "a refused origin stores nothing");

    let (status, headers, _) = app.send(post_from(INTRANET, 2)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(headers["access-control-allow-origin"], INTRANET);
    assert_eq!(headers["vary"], "Origin");

    // The server's own pages (same origin) are always allowed.
    let (status, _, _) = app.send(post_from("https://pulse.example.nhs.uk", 3)).await;
    assert_eq!(status, StatusCode::CREATED);

    // Errors carry the CORS headers too, so the widget can read what was wrong.
    let mut bad = v2_response(4);
    bad["answers"]["awareness"] = "maybe".into();
    let req = Request::post("/api/v1/surveys/constitution/responses")
        .header("origin", INTRANET)
        .header("content-type", "application/json")
        .body(Body::from(bad.to_string()))
        .unwrap();
    let (status, headers, _) = app.send(req).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(headers["access-control-allow-origin"], INTRANET);

    // The definition is readable from the survey's origins and not from others.
    let get_from = |origin: &str| {
        Request::get("/api/v1/surveys/constitution").header("origin", origin).body(Body::empty()).unwrap()
    };
    let (status, headers, _) = app.send(get_from(INTRANET)).await;
    assert_eq!((status, headers["access-control-allow-origin"].to_str().unwrap()), (StatusCode::OK, INTRANET));
    let (status, _, _) = app.send(get_from("https://evil.example.com")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.stored("constitution"), 2);
}

#[tokio::test]
async fn nothing_about_the_request_is_stored_and_free_text_is_scrubbed() {
    let app = TestApp::new();
    let mut response = valid_response(9, Some("estates"));
    response["answers"]["story"] =
        "Ring Sam on 07700 900123 or sam.jones@nhs.net, NHS number 943 476 5919, LS1 4AP.".into();
    let req = Request::post("/api/v1/surveys/constitution/responses")
        .header("content-type", "application/json")
        .header("x-forwarded-for", "203.0.113.9")
        .header("x-real-ip", "198.51.100.23")
        .header("user-agent", "Mozilla/5.0 (Windows NT 10.0; TrustLaptop-4471)")
        .header("cookie", "session=c00kie-4471")
        .body(Body::from(response.to_string()))
        .unwrap();
    let (status, _, receipt) = app.send(req).await;
    assert_eq!(status, StatusCode::CREATED);
    let today = pulse_ingest::public::responses::today().to_string();
    assert_eq!(receipt["received_on"], today.as_str());

    let stored = app.state.store.responses("constitution").unwrap();
    assert_eq!(stored.len(), 1);
    let story = match stored[0].answers.get("story").unwrap() {
        pulse_shared::Answer::Text(t) => t.clone(),
        other => panic!("story stored as {other:?}"),
    };
    assert_eq!(
        story,
        "Ring Sam on [phone number removed] or [email removed], NHS number [NHS number removed], [postcode removed]."
    );
    assert_eq!(stored[0].received_on.to_string(), today, "the day only");

    // Shut the writer so every page is on disk, then search the file itself.
    app.state.store.shutdown().await;
    let bytes = app.database_bytes();
    let on_disk = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    for secret in [
        "203.0.113.9",
        "198.51.100.23",
        "Mozilla",
        "TrustLaptop",
        "c00kie",
        "07700 900123",
        "sam.jones",
        "943 476 5919",
        "LS1 4AP",
    ] {
        assert!(!on_disk(secret), "{secret:?} is in the database file");
    }
    assert!(on_disk("[email removed]"), "the scrubbed story is stored (sanity check of the search)");
}

#[tokio::test]
async fn a_resend_after_the_survey_changed_or_closed_still_gets_its_receipt() {
    let app = TestApp::new();
    let response = valid_response(11, None);
    let (status, _, receipt) = app.post("constitution", &response).await;
    assert_eq!(status, StatusCode::CREATED);
    let mut def = constitution();
    def.version = 2;
    def.closes = Some("2020-01-31".parse().unwrap());
    app.state.store.publish(def).await.unwrap();
    // The widget retries the version-1 answers it saved: they are stored, so it hears 200, not 403/422.
    let (status, _, again) = app.post("constitution", &response).await;
    assert_eq!((status, again), (StatusCode::OK, receipt));
    let mut other = valid_response(12, None);
    other["survey_version"] = 2.into();
    assert_eq!(app.post("constitution", &other).await.0, StatusCode::FORBIDDEN, "a new response to a closed survey");
    assert_eq!(app.stored("constitution"), 1);
}

#[tokio::test]
async fn a_definition_is_published_as_toml_as_the_guide_writes_it_and_bad_toml_is_named() {
    let app = TestApp::new();
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../ADMIN.md")).unwrap();
    let toml = guide.split("```toml\n").nth(1).unwrap().split("```").next().unwrap();
    let publish = |kind: &str, body: &str| app.admin("POST", "/api/v1/surveys", kind, body);
    let (status, _, body) = app.send(publish("application/toml", toml)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    assert!(app.state.store.survey(&id).is_some());
    let (status, _, body) = app.send(publish("application/toml; charset=utf-8", "id = ")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "the request body is not valid TOML for this endpoint");
    assert!(body["details"][0].as_str().unwrap().contains("line 1"), "{body}");
    let (status, _, body) = app.send(publish("text/plain", toml)).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(body["error"], "send the body as application/json or application/toml");
}

#[tokio::test]
async fn json_worth_compressing_goes_out_compressed_and_says_so() {
    let app = TestApp::new();
    let get = |encoding: &str| {
        Request::get("/api/v1/surveys/constitution").header("accept-encoding", encoding).body(Body::empty()).unwrap()
    };
    let response = app.router.clone().oneshot(get("br, gzip")).await.unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
    assert!(response.headers().get_all("vary").iter().any(|v| v.to_str().unwrap().contains("accept-encoding")));
    let compressed = response.into_body().collect().await.unwrap().to_bytes();
    let mut plain = Vec::new();
    brotli_decompress(&compressed, &mut plain);
    let def: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(def["id"], "constitution");
    assert!(compressed.len() * 2 < plain.len(), "{} of {} bytes", compressed.len(), plain.len());
    // Without Accept-Encoding, and for answers too small to gain, it goes as it is.
    let response = app.router.clone().oneshot(get("identity")).await.unwrap();
    assert!(response.headers().get("content-encoding").is_none());
    let small = Request::get("/healthz").header("accept-encoding", "br").body(Body::empty()).unwrap();
    assert!(app.router.clone().oneshot(small).await.unwrap().headers().get("content-encoding").is_none());
}

/// Brotli-decompresses with the command-line tool the benchmark uses, so the test needs no
/// decoder of its own.
fn brotli_decompress(input: &[u8], out: &mut Vec<u8>) {
    use std::io::Write;
    let mut child = std::process::Command::new("brotli")
        .args(["-d", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("brotli (tests/tools.sh installs it)");
    child.stdin.take().unwrap().write_all(input).unwrap();
    out.extend(child.wait_with_output().unwrap().stdout);
}

#[tokio::test]
async fn a_page_on_an_origin_not_allowed_can_read_why_and_which_flag_allows_it() {
    let app = app_with_allowed_origin().await;
    let req = Request::get("/api/v1/surveys/constitution")
        .header("origin", "https://other.example.nhs.uk")
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = app.send(req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Readable by the page, so the widget can tell its editor in the console.
    assert_eq!(headers["access-control-allow-origin"], "https://other.example.nhs.uk");
    let why = body["error"].as_str().unwrap();
    assert!(
        why.contains("https://other.example.nhs.uk")
            && why.contains("allowed_origins")
            && why.contains("--embed-origin"),
        "{why}"
    );
}
