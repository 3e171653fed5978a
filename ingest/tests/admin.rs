//! Admin results end to end through `app()`: suppression identical in JSON, CSV and XLSX, CSV
//! injection neutralised, stories, publishing versions, and every admin route closed without a token.

mod common;

use std::collections::HashMap;
use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use calamine::{Data, Reader, Xlsx};
use common::*;
use http_body_util::BodyExt;
use pulse_shared::default_survey::constitution;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn get_bytes(app: &TestApp, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let req = Request::get(path).header("authorization", format!("Bearer {}", app.token)).body(Body::empty()).unwrap();
    let response = app.router.clone().oneshot(req).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// Parses our CSV (quoted fields, CRLF) into rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = vec![];
    let (mut row, mut field, mut quoted, mut chars) = (vec![], String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

fn xlsx_rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("Results").unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// 3 responses in estates (below k), 15 in clinical (released at the tenth), 12 in corporate (likewise).
async fn seeded() -> TestApp {
    let app = TestApp::new();
    let mut n = 0;
    for (context, count) in [("estates", 3), ("clinical", 15), ("corporate", 12)] {
        for _ in 0..count {
            let mut r = valid_response(n, Some(context));
            if context == "estates" {
                r["answers"]["shared_purpose"] = "strongly_disagree".into();
            }
            assert_eq!(app.post("constitution", &r).await.0, StatusCode::CREATED);
            n += 1;
        }
    }
    app
}

#[tokio::test]
async fn suppression_is_the_same_in_json_csv_and_xlsx_and_cannot_be_undone_from_totals() {
    let app = seeded().await;
    let results = app.results("constitution").await;
    assert_eq!(results["responses"], 20, "All staff adds up the groups released and shown: 10 + 10");
    let estates = results["contexts"].as_array().unwrap().iter().find(|c| c["id"] == "estates").unwrap();
    assert_eq!(estates["responses"], Value::Null, "a context of 3 is hidden");

    let (status, headers, csv) = get_bytes(&app, "/api/v1/surveys/constitution/results.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert!(headers["content-disposition"].to_str().unwrap().contains("constitution-v1-results.csv"));
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 byte-order mark, so Excel reads Welsh letters");
    let csv = parse_csv(&String::from_utf8(csv).unwrap());
    let (status, _, xlsx) = get_bytes(&app, "/api/v1/surveys/constitution/results.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    let xlsx = xlsx_rows(xlsx);
    assert_eq!(
        csv[0],
        [
            "wave",
            "wave_label",
            "question_id",
            "question",
            "row_id",
            "row",
            "option_id",
            "option",
            "context",
            "count",
            "share_percent",
            "hidden_reason",
            "headcount",
            "response_rate_percent",
            "score_0_to_10",
            "score_low_95",
            "score_high_95"
        ]
    );
    // The XLSX is made for people: labels first, ids last, a hidden count blank with "hidden" in a
    // column of its own. Read back into the CSV's columns, it holds the same cells.
    use pulse_ingest::export::{HEADER, RESULTS_SHEET};
    assert_eq!(xlsx[0], RESULTS_SHEET.map(|(h, _)| h.to_string()));
    let back: Vec<Vec<String>> = xlsx[1..]
        .iter()
        .map(|r| {
            let mut row = vec![String::new(); HEADER.len()];
            for (c, (heading, i)) in RESULTS_SHEET.iter().enumerate() {
                match *heading {
                    "Context" => {}
                    "Hidden" if r[c].is_empty() => {}
                    _ => row[*i] = r[c].clone(),
                }
            }
            row
        })
        .collect();
    assert!(xlsx[1..].iter().all(|r| r[5].is_empty() || r[5].parse::<f64>().is_ok()), "counts are numbers");
    assert_eq!(csv[1..], back, "the CSV and the XLSX hold the same cells");
    // Every row names its wave (here all of them together); the figures follow.
    assert!(csv[1..].iter().all(|r| (r[0].as_str(), r[1].as_str()) == ("all", "All waves")));
    let csv: Vec<Vec<String>> = csv.iter().map(|r| r[2..].to_vec()).collect();

    // Every figure in the downloads matches the JSON, hidden where the JSON is null.
    let mut from_json: HashMap<(String, String, String, String), String> = HashMap::new();
    let label = |v: &Value| v.as_u64().map_or_else(|| "hidden".to_string(), |n| n.to_string());
    for q in results["questions"].as_array().unwrap() {
        let qid = q["id"].as_str().unwrap().to_string();
        for o in q["options"].as_array().into_iter().flatten() {
            let oid = o["id"].as_str().unwrap().to_string();
            from_json.insert((qid.clone(), String::new(), oid.clone(), "all".into()), label(&o["counts"]["all"]));
            for (ctx, n) in o["counts"]["contexts"].as_object().unwrap() {
                from_json.insert((qid.clone(), String::new(), oid.clone(), ctx.clone()), label(n));
            }
        }
    }
    let mut checked = 0;
    for row in &csv[1..] {
        if let Some(want) = from_json.get(&(row[0].clone(), row[2].clone(), row[4].clone(), row[6].clone())) {
            assert_eq!(&row[7], want, "{row:?}");
            checked += 1;
        }
    }
    assert!(checked > 100, "compared {checked} figures");

    // Every total adds up only the contexts shown, so a hidden context is in no figure at all.
    let mut groups: HashMap<(String, String, String), Vec<&Vec<String>>> = HashMap::new();
    for row in csv[1..].iter().filter(|r| !r[0].is_empty()) {
        groups.entry((row[0].clone(), row[2].clone(), row[4].clone() + &row[5])).or_default().push(row);
    }
    for (key, rows) in groups {
        let all = rows.iter().find(|r| r[6] == "all").unwrap();
        // Stories are counted for everyone only, never by context.
        if all[7] == "hidden" || rows.iter().all(|r| r[6] == "all" || r[7] == "hidden") {
            continue;
        }
        let shown: u64 = rows.iter().filter(|r| r[6] != "all").filter_map(|r| r[7].parse::<u64>().ok()).sum();
        assert_eq!(all[7].parse::<u64>().unwrap(), shown, "{key:?}: All staff is the sum of the contexts shown");
    }
    // Estates' three strongly-disagree answers appear nowhere: hidden for estates, with the reason,
    // and counted in no total.
    let sd: Vec<&Vec<String>> =
        csv.iter().filter(|r| r[0] == "shared_purpose" && r[4] == "strongly_disagree").collect();
    assert!(sd.iter().all(|r| r[7] == "hidden" || r[7] == "0"), "{sd:?}");
    let estates = sd.iter().find(|r| r[6] == "estates").unwrap();
    assert_eq!(
        (estates[7].as_str(), estates[9].as_str()),
        ("hidden", "fewer than 10 people in Estates and facilities answered this")
    );
    // A shown count is a number with its share; a hidden one says "hidden", never "fewer than".
    assert!(csv.iter().all(|r| !r[7].starts_with("fewer")));
    let clinical = sd.iter().find(|r| r[6] == "clinical").unwrap();
    assert_eq!((clinical[7].as_str(), clinical[8].as_str(), clinical[9].as_str()), ("0", "0", ""));
}

#[tokio::test]
async fn fewer_than_k_responses_downloads_nothing_but_the_header() {
    let app = TestApp::new();
    for n in 0..4 {
        app.post("constitution", &valid_response(n, Some("estates"))).await;
    }
    let (_, _, csv) = get_bytes(&app, "/api/v1/surveys/constitution/results.csv").await;
    assert_eq!(parse_csv(&String::from_utf8(csv).unwrap()).len(), 1);
    let (_, _, xlsx) = get_bytes(&app, "/api/v1/surveys/constitution/results.xlsx").await;
    assert_eq!(xlsx_rows(xlsx).len(), 1);
}

#[tokio::test]
async fn csv_cells_that_look_like_formulas_are_neutralised() {
    let app = TestApp::new();
    let mut def = constitution();
    def.version = 2;
    def.questions[0].prompt = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
    if let pulse_shared::QuestionKind::SingleChoice { options } = &mut def.questions[0].kind {
        options[0].label = "+SUM(1,1)".into();
        options[1].label = "-1".into();
        options[2].label = "@cmd".into();
    }
    def.questions[1].prompt = "  =1+1 Nhŷ".into();
    app.state.store.publish(def).await.unwrap();
    for n in 0..10 {
        let mut r = valid_response(n, None);
        r["survey_version"] = 2.into();
        assert_eq!(app.post("constitution", &r).await.0, StatusCode::CREATED);
    }
    let (_, _, csv) = get_bytes(&app, "/api/v1/surveys/constitution/results.csv").await;
    let text = String::from_utf8(csv).unwrap();
    for row in parse_csv(&text) {
        for cell in row {
            let first = cell.trim_start_matches([' ', '\t', '\r', '\n']);
            assert!(
                !first.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']),
                "a cell runs as a formula: {cell:?}"
            );
        }
    }
    assert!(text.contains("'=HYPERLINK"), "the text is kept, made inert");
    assert!(text.contains("'+SUM(1,1)") && text.contains(",'-1,") && text.contains("'@cmd"));
    assert!(text.contains("'  =1+1 Nhŷ"), "a formula after blanks is neutralised too");
    // The XLSX keeps the text as text cells.
    let (_, _, xlsx) = get_bytes(&app, "/api/v1/surveys/constitution/results.xlsx").await;
    assert!(xlsx_rows(xlsx).iter().any(|r| r[1].starts_with("=HYPERLINK")));
}

#[tokio::test]
async fn stories_show_text_and_values_only_once_there_are_k_responses() {
    let app = TestApp::new();
    let story = |n: u32| {
        let mut r = valid_response(n, Some("estates"));
        r["answers"]["story"] = format!("Story number {n}; email me at someone{n}@nhs.net").into();
        r
    };
    for n in 0..9 {
        app.post("constitution", &story(n)).await;
    }
    let (status, _, body) = get_bytes(&app, "/api/v1/surveys/constitution/stories").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap(), json!([]), "below k: no stories");
    app.post("constitution", &story(9)).await;
    let (_, _, body) = get_bytes(&app, "/api/v1/surveys/constitution/stories").await;
    let stories: Vec<Value> = serde_json::from_slice(&body).unwrap();
    assert_eq!(stories.len(), 10);
    for s in &stories {
        let keys: Vec<&String> = s.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["question", "text", "value_names", "values"], "nothing but the story and its tags");
        assert_eq!(s["value_names"], json!(["Compassion", "Working together for patients"]));
        assert!(s["text"].as_str().unwrap().ends_with("email me at [email removed]"));
        assert_eq!(s["values"], json!(["compassion", "working_together"]));
    }
    let (_, headers, csv) = get_bytes(&app, "/api/v1/surveys/constitution/stories.csv").await;
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let rows = parse_csv(String::from_utf8(csv).unwrap().trim_start_matches('\u{feff}'));
    assert_eq!(rows[0], ["question_id", "story", "values", "link", "caption"]);
    assert_eq!(rows.len(), 11);
}

#[tokio::test]
async fn admins_publish_new_versions_and_old_pages_still_count() {
    let app = TestApp::new();
    let publish = |body: String, auth: bool| {
        let mut req = Request::post("/api/v1/surveys").header("content-type", "application/json");
        if auth {
            req = req.header("authorization", format!("Bearer {}", app.token));
        }
        app.send(req.body(Body::from(body)).unwrap())
    };
    let mut v2 = constitution();
    v2.version = 2;
    v2.title = pulse_shared::Text::both("Our NHS values 2027", "Ein gwerthoedd GIG 2027");
    let (status, _, body) = publish(serde_json::to_string(&v2).unwrap(), false).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, _, body) = publish(serde_json::to_string(&v2).unwrap(), true).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["versions"], json!([1, 2]));
    let (status, _, body) = publish(serde_json::to_string(&v2).unwrap(), true).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let mut bad = v2.clone();
    bad.version = 3;
    bad.k = 2;
    bad.id = "Bad Id".into();
    let (status, _, body) = publish(serde_json::to_string(&bad).unwrap(), true).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"k") && fields.contains(&"id"), "{body}");

    // A page still showing version 1 submits version 1: accepted, and counted in version 1.
    for n in 0..10 {
        assert_eq!(app.post("constitution", &valid_response(n, None)).await.0, StatusCode::CREATED);
    }
    let (_, _, v1) = get_bytes(&app, "/api/v1/surveys/constitution/results?version=1").await;
    assert_eq!(serde_json::from_slice::<Value>(&v1).unwrap()["responses"], 10);
    let (_, _, v2) = get_bytes(&app, "/api/v1/surveys/constitution/results?version=2").await;
    let v2: Value = serde_json::from_slice(&v2).unwrap();
    assert_eq!(
        (v2["version"].clone(), v2["responses"].clone()),
        (json!(2), Value::Null),
        "no responses to version 2 yet"
    );
    // By default, all versions combined, under the current definition.
    let combined = app.results("constitution").await;
    assert_eq!(combined["versions"], json!([1, 2]));
    assert_eq!(combined["title"], "Our NHS values 2027");
    assert_eq!(combined["responses"], 10);
    let (_, headers, _) = get_bytes(&app, "/api/v1/surveys/constitution/results.csv").await;
    assert!(headers["content-disposition"].to_str().unwrap().contains("constitution-all-versions-results.csv"));
    let (status, _, _) = get_bytes(&app, "/api/v1/surveys/constitution/results?version=7").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, _, list) = get_bytes(&app, "/api/v1/surveys").await;
    let list: Value = serde_json::from_slice(&list).unwrap();
    assert_eq!(list[0]["id"], "constitution");
    assert_eq!(list[0]["title"], "Our NHS values 2027");
    assert_eq!(list[0]["responses"], 10);
}

#[tokio::test]
async fn every_admin_route_needs_a_token_and_says_nothing_without_one() {
    let app = seeded().await;
    for path in [
        "/api/v1/surveys",
        "/api/v1/surveys/constitution/results",
        "/api/v1/surveys/constitution/results.csv",
        "/api/v1/surveys/constitution/results.xlsx",
        "/api/v1/surveys/constitution/stories",
        "/api/v1/surveys/constitution/stories.csv",
    ] {
        for auth in [None, Some("Bearer wrong")] {
            let mut req = Request::get(path);
            if let Some(a) = auth {
                req = req.header("authorization", a);
            }
            let (status, headers, body) = app.send(req.body(Body::empty()).unwrap()).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path} {auth:?}");
            assert_eq!(headers["content-type"], "application/json", "{path}");
            assert_eq!(body, json!({"error": "sign in, or send a valid admin token", "details": []}), "{path}");
        }
        let (status, headers, _) = get_bytes(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers["cache-control"], "no-store", "{path}");
        assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
    }
    let (status, headers, _) = app.send(Request::get("/admin").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
}

const REFERENCES: &str = "/api/v1/surveys/constitution/references";

fn national(item: &str, value: f64) -> Value {
    json!({"item": item, "value": value, "source": " NHS Staff Survey, national average ", "year": 2025})
}

#[tokio::test]
async fn reference_figures_are_kept_and_set_beside_the_heatmap_apart_from_its_own() {
    let app = TestApp::new();
    for i in 0..12 {
        let (status, _, body) = app.post("constitution", &valid_response(i, Some("clinical"))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    assert_eq!(app.admin_get(REFERENCES).await, (StatusCode::OK, json!({"references": []})), "none until recorded");
    let body = json!({"references": [national("shared_purpose", 68.5), national("values_lived.compassion", 80.0)]});
    let (status, _, kept) = app.send(app.admin("PUT", REFERENCES, "application/json", &body.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{kept}");
    let (_, read) = app.admin_get(REFERENCES).await;
    assert_eq!(read, kept);
    assert_eq!(read["references"][0]["source"], "NHS Staff Survey, national average", "kept as meant, trimmed");
    // A directorate lead reads them too: they are published figures, not the survey's.
    let viewer = make_token(&app.state.store, "lead", pulse_shared::Role::Viewer, &["clinical"], None);
    let req = Request::get(REFERENCES).header("authorization", format!("Bearer {viewer}")).body(Body::empty()).unwrap();
    assert_eq!(app.send(req).await.0, StatusCode::OK);

    // The workbook's heatmap sheet: the organisation's figures as before, and the references
    // beneath, each row named as one.
    let (status, _, bytes) = get_bytes(&app, "/api/v1/surveys/constitution/results.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Heatmap").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let title = rows.iter().position(|r| {
        r[0] == Data::String("Reference figures: published elsewhere, for comparison; not this organisation's".into())
    });
    let title = title.expect("a block of its own");
    let reference = &rows[title + 2];
    assert_eq!(reference[0], Data::String("Reference: NHS Staff Survey, national average (2025)".into()));
    let column = |label: &str| rows[title + 1].iter().position(|c| c.to_string().starts_with(label)).unwrap();
    assert_eq!(reference[column("I understand how my work contributes")], Data::Float(68.5));
    assert_eq!(reference[column("Compassion:")], Data::Float(80.0));
    assert!(
        rows[..title].iter().all(|r| !r[0].to_string().starts_with("Reference")),
        "never among the organisation's rows"
    );
}

#[tokio::test]
async fn reference_figures_refuse_bad_input_naming_each_and_store_nothing() {
    let app = TestApp::new();
    let mut late = national("shared_purpose", 60.0);
    late["year"] = json!(2200);
    let mut nameless = national("shared_purpose", 60.0);
    nameless["source"] = json!("  ");
    for (body, field) in [
        (json!({"references": [national("awareness", 50.0)]}), "references[0].item"),
        (json!({"references": [national("nowhere", 50.0)]}), "references[0].item"),
        (json!({"references": [national("shared_purpose", 101.0)]}), "references[0].value"),
        (json!({"references": [national("shared_purpose", -3.0)]}), "references[0].value"),
        (json!({"references": [late]}), "references[0].year"),
        (json!({"references": [nameless]}), "references[0].source"),
        (
            json!({"references": [national("shared_purpose", 60.0), national("shared_purpose", 61.0)]}),
            "references[1].item",
        ),
    ] {
        let (status, _, answer) = app.send(app.admin("PUT", REFERENCES, "application/json", &body.to_string())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert!(answer["details"].as_array().unwrap().iter().any(|d| d["field"] == field), "{body}: {answer}");
    }
    for body in [
        json!({"references": [national("shared_purpose", 60.0)], "colour": "blue"}).to_string(),
        json!({"references": [{"item": "shared_purpose", "value": "high", "source": "x", "year": 2025}]}).to_string(),
        json!({"references": [{"item": "shared_purpose", "value": 50, "source": "x", "year": 70000}]}).to_string(),
        "{\"references\": [".to_string(),
    ] {
        let (status, _, answer) = app.send(app.admin("PUT", REFERENCES, "application/json", &body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(answer["error"].is_string(), "a JSON body saying what is wrong: {answer}");
    }
    assert_eq!(app.admin_get(REFERENCES).await, (StatusCode::OK, json!({"references": []})), "nothing was kept");
    // Only an analyst or owner changes them; without a token, nothing.
    let viewer = make_token(&app.state.store, "lead", pulse_shared::Role::Viewer, &["clinical"], None);
    let body = json!({"references": [national("shared_purpose", 60.0)]}).to_string();
    let req = |auth: Option<&str>| {
        let mut req = Request::put(REFERENCES).header("content-type", "application/json");
        if let Some(token) = auth {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        req.body(Body::from(body.clone())).unwrap()
    };
    assert_eq!(app.send(req(Some(&viewer))).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.send(req(None)).await.0, StatusCode::UNAUTHORIZED);
    let (status, answer) = app.admin_get("/api/v1/surveys/nowhere/references").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
}
