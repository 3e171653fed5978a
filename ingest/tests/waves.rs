//! Waves through the HTTP API: their windows (before, inside, after, between two), the closed
//! message, headcounts and their bad input, response rates, the trend, suppression across waves,
//! and a database made by the release before waves.

mod common;

use axum::http::StatusCode;
use common::{valid_response, TestApp};
use serde_json::{json, Value};

const WAVES: &str = "/api/v1/surveys/constitution/waves";

/// The count of `option` of `question` for `context` in a results body.
fn in_context(results: &Value, question: &str, option: &str, context: &str) -> Value {
    let q = results["questions"].as_array().unwrap().iter().find(|q| q["id"] == question).unwrap();
    let o = q["options"].as_array().unwrap().iter().find(|o| o["id"] == option).unwrap();
    o["counts"]["contexts"][context].clone()
}

async fn add_wave(app: &TestApp, id: &str, opens: &str, closes: &str) -> (StatusCode, Value) {
    let body = json!({"id": id, "label": {"en": format!("Wave {id}"), "cy": format!("Ton {id}")},
                      "opens": opens, "closes": closes});
    let (status, _, body) = app.send(app.admin_post(WAVES, &body.to_string())).await;
    (status, body)
}

/// Sends `n` responses from `context`, numbered from `first`, on the server's current day.
async fn respond(app: &TestApp, first: u32, n: u32, context: &str) {
    for i in first..first + n {
        let (status, _, body) = app.post("constitution", &valid_response(i, Some(context))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
}

#[tokio::test]
async fn responses_are_taken_only_inside_a_wave_and_the_widget_is_told_when_the_next_opens() {
    let app = TestApp::new();
    app.set_day("2030-01-01");
    assert_eq!(add_wave(&app, "q1", "2030-01-06", "2030-01-31").await.0, StatusCode::CREATED);
    assert_eq!(add_wave(&app, "q2", "2030-04-07", "2030-04-30").await.0, StatusCode::CREATED);
    let definition = || async {
        let req = axum::http::Request::get("/api/v1/surveys/constitution").body(axum::body::Body::empty()).unwrap();
        app.send(req).await.2
    };
    for (day, open, message) in [
        ("2030-01-05", false, "This survey is closed. The next one opens on 6 January 2030."),
        ("2030-01-06", true, ""),
        ("2030-01-31", true, ""),
        ("2030-02-01", false, "This survey is closed. The next one opens on 7 April 2030."),
        ("2030-05-01", false, "This survey is closed."),
    ] {
        app.set_day(day);
        let n = day.replace('-', "").parse::<u32>().unwrap();
        let (status, _, body) = app.post("constitution", &valid_response(n, Some("estates"))).await;
        if open {
            assert_eq!(status, StatusCode::CREATED, "{day}: {body}");
            assert_eq!(definition().await.get("closed"), None, "{day}");
        } else {
            assert_eq!((status, body["error"].as_str().unwrap()), (StatusCode::FORBIDDEN, message), "{day}");
            let closed = definition().await["closed"].clone();
            assert_eq!(closed["en"], message, "{day}: the definition says so too");
            assert!(closed["cy"].as_str().unwrap().starts_with("Mae'r arolwg hwn ar gau"), "{closed}");
        }
    }
    assert_eq!(app.stored("constitution"), 2, "nothing stored outside the waves");
    // Each response is counted in the wave that holds its day.
    let counts = app.state.store.tally_counts("constitution", 1).unwrap();
    let responses = |wave: &str| {
        counts.get(wave).map_or(0, |c| c.iter().filter(|((_, k), _)| k.to_string().is_empty()).map(|(_, n)| n).sum())
    };
    assert_eq!((responses("q1"), responses("q2"), responses("")), (2, 0, 0));
    let report = app.state.store.check().unwrap();
    assert!(report.mismatches.is_empty(), "check recounts each wave: {:?}", report.mismatches);
}

#[tokio::test]
async fn a_wave_that_overlaps_lies_in_the_past_or_is_malformed_is_refused_by_field() {
    let app = TestApp::new();
    app.set_day("2030-03-01");
    assert_eq!(add_wave(&app, "q1", "2030-03-01", "2030-03-31").await.0, StatusCode::CREATED);
    for (body, field) in [
        (json!({"id": "q2", "label": "Q2", "opens": "2030-03-31", "closes": "2030-04-30"}), "opens"),
        (json!({"id": "q0", "label": "Q0", "opens": "2030-01-01", "closes": "2030-02-01"}), "closes"),
        (json!({"id": "Q 3", "label": "Q3", "opens": "2030-06-01", "closes": "2030-06-30"}), "id"),
        (json!({"id": "q1", "label": "Again", "opens": "2030-07-01", "closes": "2030-07-30"}), "id"),
        (json!({"id": "q4", "label": "", "opens": "2030-08-01", "closes": "2030-08-30"}), "label"),
        (json!({"id": "q5", "label": "Q5", "opens": "2030-09-30", "closes": "2030-09-01"}), "closes"),
    ] {
        let (status, _, reply) = app.send(app.admin_post(WAVES, &body.to_string())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {reply}");
        assert!(reply["details"].as_array().unwrap().iter().any(|d| d["field"] == field), "{body}: {reply}");
    }
    let (status, _, reply) = app.send(app.admin_post(WAVES, r#"{"id": "q9", "label": "Q9", "opens": "soon"}"#)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");
    let (status, list) = app.admin_get(WAVES).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = list["waves"].as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["q1"], "nothing refused was stored");
    assert_eq!(list["waves"][0]["state"], "open");
}

#[tokio::test]
async fn headcounts_give_rates_where_counts_are_shown_and_bad_ones_are_named() {
    let app = TestApp::new();
    app.set_day("2030-01-06");
    add_wave(&app, "q1", "2030-01-06", "2030-01-31").await;
    respond(&app, 0, 30, "clinical").await;
    respond(&app, 100, 12, "estates").await;
    respond(&app, 200, 4, "corporate").await;
    let put = |content_type: &str, body: &str| app.admin("PUT", &format!("{WAVES}/q1/headcounts"), content_type, body);
    for (body, field, why) in [
        (r#"{"clinical": -5}"#, "clinical", "whole number"),
        (r#"{"clinical": "lots"}"#, "clinical", "whole number"),
        (r#"{"clinical": 2.5}"#, "clinical", "whole number"),
        (r#"{"wards": 40}"#, "wards", "not a context"),
        (r#"{}"#, "headcounts", "no headcount"),
    ] {
        let (status, _, reply) = app.send(put("application/json", body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {reply}");
        let detail = &reply["details"][0];
        assert_eq!(detail["field"], field, "{body}: {reply}");
        assert!(detail["message"].as_str().unwrap().contains(why), "{body}: {reply}");
    }
    let (status, _, reply) = app.send(put("application/json", "[1, 2]")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");
    let (status, _, _) = app.send(put("text/plain", "clinical,40")).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let unknown = app.admin("PUT", &format!("{WAVES}/q7/headcounts"), "application/json", r#"{"clinical": 40}"#);
    assert_eq!(app.send(unknown).await.0, StatusCode::NOT_FOUND);
    let (_, list) = app.admin_get(WAVES).await;
    assert_eq!(list["waves"][0]["headcounts"], json!({}), "nothing refused was stored");

    // A CSV upload (with a header line and a byte-order mark), and JSON for the rest.
    let csv = "\u{FEFF}context,headcount\r\nclinical,60\r\nestates,10\r\n";
    assert_eq!(app.send(put("text/csv", csv)).await.0, StatusCode::OK);
    assert_eq!(app.send(put("application/json", r#"{"corporate": 8}"#)).await.0, StatusCode::OK);
    // While the wave is open, its numbers of responses and rates only, marked as still open.
    let (_, open) = app.admin_get("/api/v1/surveys/constitution/results?wave=q1").await;
    assert_eq!((open["wave"]["open"].clone(), open["questions"].clone()), (json!(true), json!([])));
    assert_eq!((open["responses"].clone(), open["rate"].clone()), (json!(42), json!(53.8)));
    assert!(open["note"].as_str().unwrap().contains("still open"), "{}", open["note"]);
    let (_, all) = app.admin_get("/api/v1/surveys/constitution/results").await;
    assert_eq!(
        (all["responses"].clone(), all["questions"][0]["respondents"]["all"].clone()),
        (Value::Null, Value::Null)
    );
    app.set_day("2030-02-01");
    let (_, wave) = app.admin_get("/api/v1/surveys/constitution/results?wave=q1").await;
    assert_eq!(wave["wave"].get("open"), None, "closed: released in full");
    let context = |id: &str| wave["contexts"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(
        (context("clinical")["responses"].clone(), context("clinical")["rate"].clone()),
        (json!(30), json!(50.0))
    );
    // 12 responses against a headcount of 10: flagged, not drawn.
    assert_eq!(context("estates")["rate"], Value::Null);
    assert!(context("estates")["rate_problem"].as_str().unwrap().contains("check the headcount"));
    // Corporate's 4 are hidden, and so is its rate.
    assert_eq!(
        (context("corporate")["responses"].clone(), context("corporate")["rate"].clone()),
        (Value::Null, Value::Null)
    );
    // Everyone: the 42 shown of the 78 in the headcounts given.
    assert_eq!(
        (wave["responses"].clone(), wave["headcount"].clone(), wave["rate"].clone()),
        (json!(42), json!(78), json!(53.8))
    );
    // The downloads carry the wave on every row, and the headcount and rate.
    let (_, _, csv) = app.send(app.admin("GET", "/api/v1/surveys/constitution/results.csv?wave=q1", "", "")).await;
    let csv = csv.as_str().unwrap();
    assert!(csv.lines().skip(1).all(|l| l.starts_with("q1,Wave q1,")), "every row names its wave");
    assert!(csv.contains(",clinical,30,,,60,50,,,\r\n"), "{}", &csv[..600]);
}

#[tokio::test]
async fn no_waves_figure_can_be_worked_out_from_the_others_or_from_before_it_began() {
    let app = TestApp::new();
    app.set_day("2030-01-06");
    add_wave(&app, "q1", "2030-01-06", "2030-01-31").await;
    add_wave(&app, "q2", "2030-04-07", "2030-04-30").await;
    respond(&app, 0, 20, "clinical").await;
    respond(&app, 100, 12, "estates").await;
    app.set_day("2030-02-01");
    let before = app.results("constitution").await;
    assert_eq!(in_context(&before, "awareness", "not_heard", "estates"), 4);
    // Wave 2: four more from estates, a group too small to show.
    app.set_day("2030-04-07");
    respond(&app, 200, 20, "clinical").await;
    respond(&app, 300, 4, "estates").await;
    app.set_day("2030-05-01");
    let after = app.results("constitution").await;
    let (_, q2) = app.admin_get("/api/v1/surveys/constitution/results?wave=q2").await;
    let estates = |r: &Value| {
        r["contexts"].as_array().unwrap().iter().find(|c| c["id"] == "estates").unwrap()["responses"].clone()
    };
    assert_eq!(estates(&q2), Value::Null, "4 in estates in wave 2 are hidden");
    assert_eq!(estates(&after), json!(12), "all waves add up only the groups shown: 12, never 16");
    assert_eq!(after["responses"], 52, "20 + 12 + 20");
    assert_eq!(
        in_context(&after, "awareness", "not_heard", "estates"),
        in_context(&before, "awareness", "not_heard", "estates"),
        "the all-waves figure fetched before the wave and after it says nothing of the 4"
    );
    let note = &after["questions"][0]["notes"]["estates"];
    assert_eq!(
        note,
        &json!(["leaves out the waves where fewer than 10 people in Estates and facilities answered this"]),
        "one line per group"
    );
    // The trend hides the point too, and says nothing of a change there.
    let (status, trend) = app.admin_get("/api/v1/surveys/constitution/trend").await;
    assert_eq!(status, StatusCode::OK);
    let awareness = trend["questions"].as_array().unwrap().iter().find(|q| q["id"] == "awareness").unwrap();
    let line = &awareness["lines"][0];
    let series =
        |column: &str| line["series"].as_array().unwrap().iter().find(|s| s["column"] == column).unwrap().clone();
    let estates = series("estates");
    assert!(estates["points"][0]["value"].is_number());
    assert_eq!(estates["points"][1]["value"], Value::Null);
    assert!(estates["points"][1]["hidden"].as_str().unwrap().contains("fewer than 10"));
    assert_eq!(estates["points"][1].get("change"), None);
    let clinical = series("clinical");
    assert_eq!(clinical["points"][1]["change"]["since"], "q1");
    assert!(["up", "down", "no_clear_change"].contains(&clinical["points"][1]["change"]["direction"].as_str().unwrap()));
    // The same answers in both waves: no clear change.
    assert_eq!(clinical["points"][1]["change"]["direction"], "no_clear_change");
    assert!(clinical["summary"].as_str().unwrap().contains("no clear change from"), "{}", clinical["summary"]);
    // In Welsh: the waves' names, the summaries and the reasons, with the same figures.
    let (_, welsh) = app.admin_get("/api/v1/surveys/constitution/trend?lang=cy").await;
    assert_eq!(welsh["waves"][1]["label"], "Ton q2");
    let line = &welsh["questions"].as_array().unwrap().iter().find(|q| q["id"] == "awareness").unwrap()["lines"][0];
    let series = |column: &str| line["series"].as_array().unwrap().iter().find(|s| s["column"] == column).unwrap();
    let summary = series("clinical")["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("Gwasanaethau clinigol: ") && summary.contains(" yn nhon Ton q2, dim newid clir o "),
        "{summary}"
    );
    assert_eq!(
        series("estates")["points"][1]["hidden"],
        "atebodd llai na 10 o bobl yng ngrŵp Ystadau a chyfleusterau hyn"
    );
    assert_eq!(series("clinical")["points"], clinical["points"], "the same figures");
    let (_, after_cy) = app.admin_get("/api/v1/surveys/constitution/results?lang=cy").await;
    assert_eq!(
        after_cy["questions"][0]["notes"]["estates"],
        json!(["yn hepgor y tonnau lle atebodd llai na 10 o bobl yng ngrŵp Ystadau a chyfleusterau hyn"])
    );
    let (_, q2_cy) = app.admin_get("/api/v1/surveys/constitution/results?wave=q2&lang=cy").await;
    assert_eq!(q2_cy["wave"]["label"], "Ton q2");
    let (_, _, trend_csv) = app.send(app.admin("GET", "/api/v1/surveys/constitution/trend.csv", "", "")).await;
    assert!(trend_csv.as_str().unwrap().contains("awareness,"), "the trend downloads as CSV");
}

#[tokio::test]
async fn a_database_from_before_waves_opens_with_its_responses_in_no_wave_and_can_adopt_a_first_wave() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(pulse_ingest::config::DATABASE_FILE);
    {
        let store = pulse_ingest::store::Store::open(dir.path()).unwrap();
        pulse_ingest::pages::demo::seed(&store).await.unwrap();
        store.shutdown().await;
    }
    let results_of = |store: &pulse_ingest::store::Store| {
        let publication = store.publication("constitution").unwrap().unwrap();
        serde_json::to_value(&publication.combined).unwrap()
    };
    // As the release before waves left it: schema 3, counters without a wave, no wave tables. It
    // showed its live counters: those become the first release, and nothing waits.
    pulse_ingest::store::testing::downgrade_to_schema_3(&file);
    let store = pulse_ingest::store::Store::open(dir.path()).unwrap();
    let expected = results_of(&store);
    assert_eq!(expected["responses"], 120, "every demo response, as the release before showed them");
    let report = store.check().unwrap();
    assert!(report.mismatches.is_empty() && report.release_problems.is_empty(), "{report:?}");
    // A first wave that adopts them all, once it has closed: every response moves with it, none is
    // left in no wave, and it shows exactly what was shown.
    let today = pulse_ingest::public::responses::today();
    let day = move |d: i64| pulse_shared::Date::from_days_since_epoch(today.days_since_epoch() + d);
    let wave = pulse_shared::Wave { id: "baseline".into(), label: "Baseline".into(), opens: day(-1), closes: today };
    let new =
        |adopt, today| pulse_ingest::store::NewWave { survey: "constitution".into(), wave: wave.clone(), today, adopt };
    // Without adopt, a wave may not take in days that hold responses without a wave.
    assert!(matches!(store.add_wave(new(false, today)).await, Err(pulse_ingest::store::StoreError::Refused(_))));
    // While it could still take responses, adopting would add them to figures already shown.
    match store.add_wave(new(true, today)).await {
        Err(pulse_ingest::store::StoreError::Refused(e)) => assert_eq!(e[0].field, "adopt", "{e:?}"),
        other => panic!("{other:?}"),
    }
    store.set_clock(std::sync::Arc::new(move || day(1)));
    store.add_wave(new(true, day(1))).await.unwrap();
    let publication = store.publication("constitution").unwrap().unwrap();
    assert_eq!(publication.waves.len(), 1, "no responses are left before waves");
    assert_eq!(publication.waves[0].responses, publication.combined.responses);
    let figures = |results: &Value| {
        let questions = results["questions"].as_array().unwrap().iter();
        questions.map(|q| (q["respondents"].clone(), q["options"].clone(), q["rows"].clone())).collect::<Vec<_>>()
    };
    assert_eq!(figures(&serde_json::to_value(&publication.combined).unwrap()), figures(&expected));
    let report = store.check().unwrap();
    assert!(report.mismatches.is_empty(), "check derives the adopted wave from the days");
    assert!(report.release_problems.is_empty(), "{:?}", report.release_problems);
    store.shutdown().await;
}

#[test]
fn the_command_line_adds_and_lists_waves_and_records_headcounts_as_the_guide_says() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let pulse = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pulse"))
            .args(args)
            .arg("--data")
            .arg(data)
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr))
    };
    let today = pulse_ingest::public::responses::today().days_since_epoch();
    let day = |d: i64| pulse_shared::Date::from_days_since_epoch(today + d).to_string();
    let (opens, closes) = (day(3), day(20));
    let add =
        ["wave", "add", "constitution", "--id", "2027-q1", "--label", "Spring 2027", "--label-cy", "Gwanwyn 2027"];
    let (ok, said) = pulse(&[&add[..], &["--opens", &opens, "--closes", &closes]].concat());
    assert!(ok, "{said}");
    let (ok, said) = pulse(&[&add[..], &["--opens", &day(10), "--closes", &day(30)]].concat());
    assert!(!ok && said.contains("overlaps wave \"2027-q1\""), "{said}");
    let (ok, said) = pulse(&["wave", "headcounts", "constitution", "2027-q1", "estates=420", "clinical=1800"]);
    assert!(ok, "{said}");
    let (ok, said) = pulse(&["wave", "headcounts", "constitution", "2027-q1", "estates=-4"]);
    assert!(!ok && said.contains("estates: must be a whole number"), "{said}");
    let csv = dir.path().join("headcounts.csv");
    std::fs::write(&csv, "context,headcount\ncorporate,90\n").unwrap();
    let (ok, said) = pulse(&["wave", "headcounts", "constitution", "2027-q1", "--file", csv.to_str().unwrap()]);
    assert!(ok, "{said}");
    let (ok, said) = pulse(&["wave", "list", "constitution"]);
    assert!(ok, "{said}");
    assert!(said.contains(&format!("2027-q1          {opens} {closes} upcoming  Spring 2027")), "{said}");
    assert!(said.contains("clinical=1800 corporate=90 estates=420"), "{said}");
}

#[tokio::test]
async fn a_wave_is_renamed_closed_early_or_deleted_before_it_opens_never_losing_a_response_and_each_is_audited() {
    let app = TestApp::new();
    app.set_day("2030-03-01");
    assert_eq!(add_wave(&app, "spring", "2030-03-01", "2030-03-31").await.0, StatusCode::CREATED);
    assert_eq!(add_wave(&app, "summer", "2030-06-01", "2030-06-30").await.0, StatusCode::CREATED);
    let patch =
        |wave: &str, body: Value| app.admin("PATCH", &format!("{WAVES}/{wave}"), "application/json", &body.to_string());
    // The widget is told which wave is open, so its "already answered" note lasts for that wave only.
    let definition = || async {
        let req = axum::http::Request::get("/api/v1/surveys/constitution").body(axum::body::Body::empty()).unwrap();
        app.send(req).await.2
    };
    assert_eq!(definition().await["wave"], "spring");

    app.set_day("2030-03-10");
    respond(&app, 1, 3, "estates").await;
    // Renamed, in both languages.
    let (status, _, body) =
        app.send(patch("spring", json!({"label": {"en": "Spring 2030", "cy": "Gwanwyn 2030"}}))).await;
    assert_eq!((status, body["label"]["cy"].as_str()), (StatusCode::OK, Some("Gwanwyn 2030")), "{body}");
    // Closing before a day a response arrived in it would move that response out: refused.
    let (status, _, body) = app.send(patch("spring", json!({"closes": "2030-03-09"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "closes");
    assert!(body["details"][0]["message"].as_str().unwrap().contains("arrived on 2030-03-10"), "{body}");
    // Closing on the last day a response arrived ends it from tomorrow.
    let (status, _, body) = app.send(patch("spring", json!({"closes": "2030-03-10"}))).await;
    assert_eq!((status, body["closes"].as_str()), (StatusCode::OK, Some("2030-03-10")), "{body}");
    app.set_day("2030-03-11");
    assert_eq!(app.post("constitution", &valid_response(9, Some("estates"))).await.0, StatusCode::FORBIDDEN);
    assert_eq!(definition().await.get("wave"), None, "between waves the definition names none");
    assert_eq!(app.stored("constitution"), 3, "every response still there");
    let counts = app.state.store.tally_counts("constitution", 1).unwrap();
    assert!(counts.contains_key("spring"), "and still counted in its wave");
    // Bad corrections are named.
    for (wave, body, status) in [
        ("spring", json!({}), StatusCode::UNPROCESSABLE_ENTITY),
        ("spring", json!({"label": ""}), StatusCode::UNPROCESSABLE_ENTITY),
        ("summer", json!({"closes": "2030-07-31"}), StatusCode::UNPROCESSABLE_ENTITY),
        ("spring", json!({"closes": "soon"}), StatusCode::BAD_REQUEST),
        ("spring", json!({"opens": "2030-01-01"}), StatusCode::BAD_REQUEST),
        ("autumn", json!({"label": "x"}), StatusCode::NOT_FOUND),
    ] {
        let (got, _, body) = app.send(patch(wave, body.clone())).await;
        assert_eq!(got, status, "{wave} {body}");
        assert!(body["error"].is_string(), "{body}");
    }
    // Only a wave that has not opened can be deleted, and its headcounts go with it.
    let delete = |wave: &str| app.admin("DELETE", &format!("{WAVES}/{wave}"), "application/json", "");
    let (status, _, body) = app.send(delete("spring")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["details"][0]["message"].as_str().unwrap().contains("has not opened"), "{body}");
    let headcounts = app.admin("PUT", &format!("{WAVES}/summer/headcounts"), "application/json", r#"{"estates": 40}"#);
    assert_eq!(app.send(headcounts).await.0, StatusCode::OK);
    assert_eq!(app.send(delete("summer")).await.0, StatusCode::NO_CONTENT);
    let (_, list) = app.admin_get(WAVES).await;
    let ids: Vec<&str> = list["waves"].as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["spring"]);
    assert!(app.state.store.headcounts("constitution").unwrap().iter().all(|h| h.wave != "summer"));
    assert_eq!(app.send(delete("summer")).await.0, StatusCode::NOT_FOUND);
    // A new wave may take the deleted one's id and window.
    assert_eq!(add_wave(&app, "summer", "2030-06-01", "2030-06-30").await.0, StatusCode::CREATED);
    // Each change is in the audit log.
    let (_, audit) = app.admin_get("/api/v1/audit").await;
    let text = audit.to_string();
    assert!(text.contains("wave corrected") && text.contains("closes 2030-03-10"), "{text}");
    assert!(text.contains("wave deleted") && text.contains("constitution wave summer"), "{text}");
}

#[test]
fn the_command_line_renames_closes_and_deletes_waves_and_audits_each() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let pulse = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pulse"))
            .args(args)
            .arg("--data")
            .arg(data)
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr))
    };
    let today = pulse_ingest::public::responses::today().days_since_epoch();
    let day = |d: i64| pulse_shared::Date::from_days_since_epoch(today + d).to_string();
    let add = ["wave", "add", "constitution", "--id", "next", "--label", "Next", "--label-cy", "Nesaf"];
    assert!(pulse(&[&add[..], &["--opens", &day(3), "--closes", &day(20)]].concat()).0);
    let (ok, said) = pulse(&["wave", "rename", "constitution", "next", "--label", "Spring", "--label-cy", "Gwanwyn"]);
    assert!(ok && said.contains("\"Spring\""), "{said}");
    let (ok, said) = pulse(&["wave", "close", "constitution", "next", "--on", &day(30)]);
    assert!(!ok && said.contains("close early, not late"), "{said}");
    let (ok, said) = pulse(&["wave", "close", "constitution", "next", "--on", &day(10)]);
    assert!(ok && said.contains(&day(10)), "{said}");
    let (ok, said) = pulse(&["wave", "delete", "constitution", "next"]);
    assert!(ok, "{said}");
    let (_, said) = pulse(&["wave", "list", "constitution"]);
    assert!(said.contains("has no waves"), "{said}");
    let (ok, said) = pulse(&["audit"]);
    assert!(ok && said.contains("wave corrected") && said.contains("wave deleted"), "{said}");
}
