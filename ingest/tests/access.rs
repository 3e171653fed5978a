//! Named admins: each route refuses a role it does not allow (walked from the API document), named
//! tokens expire and are revoked at once, a signed-in session needs its CSRF token, a viewer sees
//! only their contexts, every admin action is in the audit log (and no staff words are), and staff
//! never get a cookie.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{make_token, valid_response, TestApp};
use pulse_ingest::auth::access::{Admin, Role, Via};
use serde_json::{json, Value};

async fn seeded() -> TestApp {
    let app = TestApp::new();
    let mut n = 0;
    for (context, count) in [("estates", 11), ("clinical", 4), ("corporate", 12)] {
        for _ in 0..count {
            let mut r = valid_response(n, Some(context));
            r["answers"]["story_consent"] = "yes".into();
            assert_eq!(app.post("constitution", &r).await.0, StatusCode::CREATED);
            n += 1;
        }
    }
    app
}

fn request(method: &str, uri: &str, auth: &Auth, body: &str) -> Request<Body> {
    let mut req = Request::builder().method(Method::from_bytes(method.as_bytes()).unwrap()).uri(uri);
    match auth {
        Auth::Token(t) => req = req.header("authorization", format!("Bearer {t}")),
        Auth::Session { id, csrf } => {
            req = req.header("cookie", format!("pulse_admin={id}"));
            if let Some(csrf) = csrf {
                req = req.header("x-csrf-token", csrf.as_str());
            }
        }
    }
    req.header("content-type", "application/json").body(Body::from(body.to_string())).unwrap()
}

enum Auth {
    Token(String),
    Session { id: String, csrf: Option<String> },
}

fn signed_in(app: &TestApp, role: Role, contexts: &[&str]) -> (String, String) {
    let admin = Admin {
        name: format!("A {} <{}@example.nhs.uk>", role.name(), role.name()),
        role,
        contexts: contexts.iter().map(|c| c.to_string()).collect(),
        via: Via::SignIn,
        account: Some(format!("{}-sub at https://sso.example.nhs.uk", role.name())),
    };
    app.state.sessions.start(admin, None)
}

#[tokio::test]
async fn every_admin_route_in_the_document_refuses_a_role_it_does_not_list() {
    let app = seeded().await;
    let (_, _, doc) = app.send(Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
    let mut checked = 0;
    for role in [Role::Analyst, Role::Moderator, Role::Viewer] {
        let contexts: &[&str] = if role == Role::Viewer { &["estates"] } else { &[] };
        let token = make_token(&app.state.store, &format!("walk-{}", role.name()), role, contexts, None);
        let (session, csrf) = signed_in(&app, role, contexts);
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let Some(roles) = operation.get("x-roles").and_then(Value::as_array) else { continue };
                assert_eq!(roles[0], "owner", "{method} {path}: owners may do everything");
                let allowed = roles.iter().any(|r| r == role.name());
                let uri = path
                    .replace("{id}", "constitution")
                    .replace("{wave}", "no-wave")
                    .replace("{story}", "0000000000000001")
                    .replace("{value}", "compassion")
                    .replace("{name}", "no-such-token");
                let method = method.to_uppercase();
                for auth in
                    [Auth::Token(token.clone()), Auth::Session { id: session.clone(), csrf: Some(csrf.clone()) }]
                {
                    let (status, _, body) = app.send(request(&method, &uri, &auth, "{}")).await;
                    if allowed {
                        assert!(
                            status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                            "{method} {uri} as {}: {status} {body}",
                            role.name()
                        );
                    } else {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {uri} as {}: {body}", role.name());
                        assert!(body["error"].as_str().unwrap().contains("this needs the role owner"), "{body}");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 150, "{checked} requests: the document lists the admin routes");
}

#[tokio::test]
async fn a_token_works_through_its_last_day_and_a_revoked_one_at_once_stops() {
    let app = seeded().await;
    app.set_day("2027-03-01");
    let store = &app.state.store;
    let expiring = make_token(store, "until-march", Role::Analyst, &[], Some("2027-03-31".parse().unwrap()));
    let results = "/api/v1/surveys/constitution/results";
    let get = |t: &str| app.send(request("GET", results, &Auth::Token(t.to_string()), ""));
    assert_eq!(get(&expiring).await.0, StatusCode::OK);
    app.set_day("2027-03-31");
    assert_eq!(get(&expiring).await.0, StatusCode::OK, "its last day");
    app.set_day("2027-04-01");
    assert_eq!(get(&expiring).await.0, StatusCode::UNAUTHORIZED, "the day after");

    // Owners make and revoke tokens over the API; the token is in the answer once.
    let (status, _, made) =
        app.send(app.admin_post("/api/v1/admins/tokens", r#"{"name": "nightly-export", "role": "analyst"}"#)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let token = made["token"].as_str().unwrap().to_string();
    assert_eq!(get(&token).await.0, StatusCode::OK);
    let (_, list) = app.admin_get("/api/v1/admins/tokens").await;
    assert!(!list.to_string().contains(&token) && !list.to_string().contains("hash"), "{list}");
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["nightly-export", "test-owner", "until-march"]);
    let (status, _, _) =
        app.send(app.admin("DELETE", "/api/v1/admins/tokens/nightly-export", "application/json", "")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(get(&token).await.0, StatusCode::UNAUTHORIZED, "revoked: refused on the very next request");

    // Bad tokens are refused field by field, and nothing is made.
    for (body, field) in [
        (r#"{"name": "Has Spaces", "role": "analyst"}"#, "name"),
        (r#"{"name": "lead", "role": "viewer"}"#, "contexts"),
        // No survey has a context "all": such a viewer would read nothing but notes about the rest.
        (r#"{"name": "lead", "role": "viewer", "contexts": ["all"]}"#, "contexts"),
        (r#"{"name": "lead", "role": "analyst", "contexts": ["estates"]}"#, "contexts"),
        (r#"{"name": "old", "role": "analyst", "expires": "2020-01-01"}"#, "expires"),
    ] {
        let (status, _, body) = app.send(app.admin_post("/api/v1/admins/tokens", body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["details"][0]["field"], field, "{body}");
    }
    let (_, _, body) = app
        .send(app.admin_post("/api/v1/admins/tokens", r#"{"name": "lead", "role": "viewer", "contexts": ["all"]}"#))
        .await;
    let message = body["details"][0]["message"].as_str().unwrap();
    assert!(message.contains(r#"no survey has a context "all""#) && message.contains("estates"), "{message}");
    // The same for a line of the allowlist.
    let grants = r#"{"grants": [{"group": "0b1c2d3e", "role": "viewer", "contexts": ["estate"]}]}"#;
    let (status, _, body) = app.send(app.admin("PUT", "/api/v1/admins/grants", "application/json", grants)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "grants[0].contexts", "{body}");
    let (status, _, body) =
        app.send(app.admin_post("/api/v1/admins/tokens", r#"{"name": "test-owner", "role": "owner"}"#)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _, body) =
        app.send(app.admin_post("/api/v1/admins/tokens", r#"{"name": "x", "role": "emperor"}"#)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (_, list) = app.admin_get("/api/v1/admins/tokens").await;
    assert_eq!(list.as_array().unwrap().len(), 2, "nothing was made: {list}");
}

#[tokio::test]
async fn a_session_needs_its_csrf_token_to_change_anything_and_sign_out_ends_it() {
    let app = seeded().await;
    let (id, csrf) = signed_in(&app, Role::Analyst, &[]);
    let sharing = r#"{"questions": ["awareness"], "notes": []}"#;
    let uri = "/api/v1/surveys/constitution/sharing";
    let (status, _, _) = app.send(request("GET", uri, &Auth::Session { id: id.clone(), csrf: None }, "")).await;
    assert_eq!(status, StatusCode::OK, "reading needs the cookie only");
    for csrf in [None, Some("0".repeat(64))] {
        let (status, _, body) = app.send(request("PUT", uri, &Auth::Session { id: id.clone(), csrf }, sharing)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(body["error"].as_str().unwrap().contains("CSRF"), "{body}");
    }
    let mut cross_site = request("PUT", uri, &Auth::Session { id: id.clone(), csrf: Some(csrf.clone()) }, sharing);
    cross_site.headers_mut().insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(app.send(cross_site).await.0, StatusCode::FORBIDDEN, "a request from another site is refused");
    let (_, shared) = app.admin_get(uri).await;
    assert_eq!(shared["questions"], json!([]), "nothing changed: {shared}");
    let (status, _, body) =
        app.send(request("PUT", uri, &Auth::Session { id: id.clone(), csrf: Some(csrf.clone()) }, sharing)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let logout = |csrf: Option<&str>| {
        let mut req = Request::post("/auth/logout").header("cookie", format!("pulse_admin={id}"));
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        req.body(Body::empty()).unwrap()
    };
    assert_eq!(app.send(logout(None)).await.0, StatusCode::FORBIDDEN);
    let (status, headers, body) = app.send(logout(Some(&csrf))).await;
    assert_eq!(status, StatusCode::OK);
    // No identity provider here, so nowhere else to sign out.
    assert_eq!(body, json!({"signed_out": true, "end_session": null}));
    assert!(headers["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    let (status, _, _) = app.send(request("GET", uri, &Auth::Session { id: id.clone(), csrf: None }, "")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session ended on the server, whatever the browser keeps");
    let (_, _, session) = app
        .send(Request::get("/auth/session").header("cookie", format!("pulse_admin={id}")).body(Body::empty()).unwrap())
        .await;
    assert_eq!(session["signed_in"], false);
}

#[tokio::test]
async fn a_viewer_sees_only_their_contexts_each_suppressed_and_no_total() {
    let app = seeded().await;
    let viewer = make_token(&app.state.store, "lead", Role::Viewer, &["estates", "clinical"], None);
    let auth = Auth::Token(viewer);
    let (status, _, scoped) = app.send(request("GET", "/api/v1/surveys/constitution/results", &auth, "")).await;
    assert_eq!(status, StatusCode::OK);
    let columns: Vec<&str> = scoped["columns"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(columns, ["clinical", "estates"], "the survey's order, no column for everyone or corporate");
    let contexts = scoped["contexts"].as_array().unwrap();
    let estates = contexts.iter().find(|c| c["id"] == "estates").unwrap();
    let clinical = contexts.iter().find(|c| c["id"] == "clinical").unwrap();
    assert_eq!(estates["responses"], 10, "11 responses, released at the tenth");
    assert_eq!(clinical["responses"], Value::Null, "4 responses: still hidden from the lead of that group");
    assert_eq!(scoped["responses"], 10, "the groups shown, which the lead can add up anyway");
    let text = scoped.to_string();
    assert!(!text.contains("\"all\":1") && !text.contains("\"all\":2") && !text.contains("corporate"), "{text}");
    for q in scoped["questions"].as_array().unwrap() {
        assert_eq!(q["respondents"]["all"], Value::Null, "{q}");
        for line in q["table"].as_array().unwrap() {
            assert_eq!(line["counts"].as_array().unwrap().len(), columns.len());
        }
    }
    // The downloads hold the same, and the list of surveys no total.
    let (status, _, csv) = app.send(request("GET", "/api/v1/surveys/constitution/results.csv", &auth, "")).await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(!csv.contains("corporate") && !csv.contains(",all,"), "{csv}");
    let (_, _, list) = app.send(request("GET", "/api/v1/surveys", &auth, "")).await;
    assert_eq!(list[0]["responses"], Value::Null, "{list}");
    // The values evidence pack of their own contexts: no column for everyone, nor other contexts.
    let (status, _, pack) =
        app.send(request("GET", "/api/v1/surveys/constitution/evidence/compassion", &auth, "")).await;
    assert_eq!(status, StatusCode::OK, "{pack}");
    let columns: Vec<&str> = pack["columns"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(columns, ["clinical", "estates"]);
    assert!(!pack.to_string().contains("corporate") && pack["figures"].as_array().is_some_and(|f| !f.is_empty()));
    let (status, _, _) = app.send(request("GET", "/api/v1/surveys/constitution/evidence.xlsx", &auth, "")).await;
    assert_eq!(status, StatusCode::OK);

    // The waves to choose from, with the headcounts of the lead's own groups only.
    app.set_day("2030-01-06");
    let wave = r#"{"id": "q1", "label": {"en": "Q1"}, "opens": "2030-01-06", "closes": "2030-01-31"}"#;
    assert_eq!(app.send(app.admin_post("/api/v1/surveys/constitution/waves", wave)).await.0, StatusCode::CREATED);
    let counts = r#"{"estates": 40, "clinical": 20, "corporate": 30}"#;
    let put = app.admin("PUT", "/api/v1/surveys/constitution/waves/q1/headcounts", "application/json", counts);
    assert_eq!(app.send(put).await.0, StatusCode::OK);
    let (status, _, waves) = app.send(request("GET", "/api/v1/surveys/constitution/waves", &auth, "")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(waves["waves"][0]["id"], "q1");
    assert_eq!(waves["waves"][0]["headcounts"], serde_json::json!({"clinical": 20, "estates": 40}));
    let mut contexts: Vec<&str> =
        waves["contexts"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    contexts.sort();
    assert_eq!(contexts, ["clinical", "estates"]);
    assert!(!waves.to_string().contains("corporate"), "{waves}");
    let (status, _, one) = app.send(request("GET", "/api/v1/surveys/constitution/results?wave=q1", &auth, "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!one.to_string().contains("corporate"), "{one}");
    assert!(one.get("rate").is_none() && !one.to_string().contains("headcount"), "no rate or headcount: {one}");

    // Their trend and response rates: their contexts' only, made from what they may read.
    for n in 100..112 {
        assert_eq!(app.post("constitution", &valid_response(n, Some("estates"))).await.0, StatusCode::CREATED);
    }
    app.set_day("2030-02-01");
    let (status, _, trend) = app.send(request("GET", "/api/v1/surveys/constitution/trend", &auth, "")).await;
    assert_eq!(status, StatusCode::OK, "{trend}");
    let columns: Vec<&str> = trend["columns"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(columns, ["clinical", "estates"]);
    assert!(!trend.to_string().contains("corporate") && !trend.to_string().contains("\"all\""), "{trend}");
    let estates = trend["participation"].as_array().unwrap().iter().find(|p| p["column"] == "estates").unwrap();
    let q1 = estates["waves"].as_array().unwrap().iter().find(|w| w["wave"] == "q1").unwrap();
    assert_eq!((&q1["responses"], &q1["headcount"], &q1["rate"]), (&json!(12), &json!(40), &json!(30.0)), "{estates}");
    let (status, _, csv) = app.send(request("GET", "/api/v1/surveys/constitution/trend.csv", &auth, "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!csv.as_str().unwrap().contains("corporate") && !csv.as_str().unwrap().contains(",all,"));
}

#[tokio::test]
async fn every_admin_action_is_in_the_audit_log_with_no_staff_words_and_the_log_checks() {
    let app = seeded().await;
    let (id, csrf) = signed_in(&app, Role::Moderator, &[]);
    let moderator = Auth::Session { id, csrf: Some(csrf) };
    let steps: Vec<(&str, &str, &str)> = vec![
        ("GET", "/api/v1/surveys/constitution/results?version=1", ""),
        ("GET", "/api/v1/surveys/constitution/results.csv", ""),
        ("GET", "/api/v1/surveys/constitution/results.xlsx", ""),
        (
            "POST",
            "/api/v1/surveys/constitution/waves",
            r#"{"id": "2099-q1", "label": "Spring 2099", "opens": "2099-01-04", "closes": "2099-01-29"}"#,
        ),
        ("PUT", "/api/v1/surveys/constitution/waves/2099-q1/headcounts", r#"{"estates": 40}"#),
        ("PUT", "/api/v1/surveys/constitution/sharing", r#"{"questions": ["awareness"], "notes": []}"#),
        (
            "PUT",
            "/api/v1/admins/grants",
            r#"{"grants": [{"email": "jo@example.nhs.uk", "role": "viewer", "contexts": ["estates"]}]}"#,
        ),
    ];
    for (method, uri, body) in &steps {
        let (status, _, answer) = app.send(request(method, uri, &Auth::Token(app.token.clone()), body)).await;
        assert!(status.is_success(), "{method} {uri}: {status} {answer}");
    }
    let mut def = app.state.store.survey("constitution").unwrap().definition.clone();
    def.version = 2;
    let (status, _, answer) = app
        .send(request(
            "POST",
            "/api/v1/surveys",
            &Auth::Token(app.token.clone()),
            &serde_json::to_string(&def).unwrap(),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (_, _, queue) = app.send(request("GET", "/api/v1/surveys/constitution/moderation", &moderator, "")).await;
    let story = queue["stories"][0]["id"].as_str().unwrap().to_string();
    let decide = format!("/api/v1/surveys/constitution/moderation/{story}");
    let (status, _, answer) = app
        .send(request("POST", &decide, &moderator, r#"{"decision": "approved", "text": "Edited words of thanks."}"#))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    // A refused request is not an action.
    let (status, _, _) = app.send(request("GET", "/api/v1/surveys/constitution/results", &moderator, "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, log) = app.admin_get("/api/v1/audit").await;
    assert_eq!(status, StatusCode::OK);
    let entries = log.as_array().unwrap();
    let line =
        |e: &Value| format!("{} | {} | {} | {} | {}", e["admin"], e["via"], e["action"], e["target"], e["detail"]);
    let lines: Vec<String> = entries.iter().map(line).collect();
    let has = |want: &[&str]| lines.iter().any(|l| want.iter().all(|w| l.contains(w)));
    assert!(has(&["test-owner", "token", "token created"]), "{lines:#?}");
    assert!(has(&["test-owner", "results viewed", "/api/v1/surveys/constitution/results?version=1"]), "{lines:#?}");
    assert!(has(&["download: results CSV", "results.csv"]), "{lines:#?}");
    assert!(has(&["download: results XLSX"]), "{lines:#?}");
    assert!(has(&["wave added", "/waves"]), "{lines:#?}");
    assert!(has(&["headcounts recorded", "2099-q1"]), "{lines:#?}");
    assert!(has(&["sharing changed"]), "{lines:#?}");
    assert!(
        has(&["roles changed", "allowlist", "+e-mail jo@example.nhs.uk as viewer, contexts estates"]),
        "{lines:#?}"
    );
    assert!(has(&["definition published", "constitution version 2"]), "{lines:#?}");
    assert!(has(&["A moderator <moderator@example.nhs.uk>", "sign-in", "story queue viewed"]), "{lines:#?}");
    assert!(has(&["A moderator", "story decided", &story, "approved, edited"]), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("A moderator") && l.contains("results viewed")), "refused: not recorded");
    let text = log.to_string();
    for words in ["porters", "Edited words", "stayed late"] {
        assert!(!text.contains(words), "staff words {words:?} in the audit log");
    }
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "numbered with no gaps");
    assert!(entries.iter().all(|e| e["at"].as_str().unwrap().ends_with('Z') && e["at"].as_str().unwrap().len() == 24));
    // The CSV is the same log; and the log checks out.
    let (status, headers, csv) = app.send(app.admin("GET", "/api/v1/audit.csv?since=2000-01-01", "", "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-disposition"].to_str().unwrap().contains("pulse-audit-since-2000-01-01.csv"));
    assert!(
        csv.as_str().unwrap().lines().count() > entries.len(),
        "a header and every entry, including this reading's"
    );
    let (status, _, body) = app.send(app.admin("GET", "/api/v1/audit?since=yesterday", "", "")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let report = app.state.store.check().unwrap();
    assert!(report.audit_problems.is_empty(), "{:?}", report.audit_problems);
    assert!(report.audit_entries as usize > entries.len());
}

#[tokio::test]
async fn a_removed_or_edited_audit_entry_is_found_by_check() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = std::sync::Arc::new(pulse_ingest::store::Store::open(dir.path()).unwrap());
        for n in 0..4 {
            make_token(&store, &format!("t{n}"), Role::Analyst, &[], None);
        }
        assert!(store.check().unwrap().audit_problems.is_empty());
        store.shutdown().await;
    }
    let file = dir.path().join(pulse_ingest::config::DATABASE_FILE);
    pulse_ingest::store::Store::tamper_with_audit(&file, 2);
    let store = pulse_ingest::store::Store::open(dir.path()).unwrap();
    let problems = store.check().unwrap().audit_problems;
    assert!(problems.iter().any(|p| p.contains("entry 3") && p.contains("missing")), "{problems:?}");
    store.shutdown().await;
}

#[tokio::test]
async fn staff_never_get_a_cookie() {
    let app = TestApp::with_demo(true);
    let response = valid_response(1, Some("estates"));
    let requests = vec![
        Request::get("/api/v1/surveys/constitution").body(Body::empty()).unwrap(),
        common::post_json("constitution", response.to_string()),
        Request::get("/api/v1/surveys/constitution/showcase").body(Body::empty()).unwrap(),
        Request::get("/api/v1/surveys/constitution/headlines").body(Body::empty()).unwrap(),
        Request::get("/embed/constitution").body(Body::empty()).unwrap(),
        Request::get("/widget/embed.js").body(Body::empty()).unwrap(),
        Request::get("/").body(Body::empty()).unwrap(),
        Request::get("/demo/stories").body(Body::empty()).unwrap(),
        Request::get("/healthz").body(Body::empty()).unwrap(),
    ];
    for req in requests {
        let uri = req.uri().to_string();
        let (status, headers, _) = app.send(req).await;
        assert!(status.is_success(), "{uri}: {status}");
        assert!(headers.get("set-cookie").is_none(), "{uri} set a cookie");
    }
    // Without a provider configured, sign-in says so plainly.
    let (status, _, page) = app.send(Request::get("/auth/login").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.as_str().unwrap().contains("Sign in with an admin token instead"));
}
