//! The dashboard's pieces in headless Chromium (wasm-bindgen-test): the charts drawn from the API's
//! results, and the hash addresses read into pages.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use pulse_dashboard::{charts, Route};
use pulse_shared::results::QuestionResults;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn breakdown(all: Option<u64>, estates: Option<u64>) -> serde_json::Value {
    serde_json::json!({"all": all, "contexts": {"estates": estates}})
}

fn shares(all: Option<f64>, estates: Option<f64>) -> serde_json::Value {
    serde_json::json!({"all": all, "contexts": {"estates": estates}})
}

/// A choice question answered by 40 (20 in estates) and a matrix row, as the API sends them.
fn question(kind: &str) -> QuestionResults {
    let options = [("a", "Agree", 13, 32.5), ("b", "Disagree", 27, 67.5)]
        .map(|(id, label, n, share)| {
            serde_json::json!({"id": id, "label": label, "counts": breakdown(Some(n), None), "shares": shares(Some(share), None)})
        });
    let points: Vec<_> = (1..=5).map(|p| breakdown(Some(p * 2), None)).collect();
    let row_shares: Vec<_> = [10.0, 20.0, 30.0, 20.0, 20.0].iter().map(|&s| shares(Some(s), None)).collect();
    serde_json::from_value(serde_json::json!({
        "id": "q", "prompt": "How is it?", "type": kind, "respondents": breakdown(Some(40), None),
        "options": if kind == "likert_matrix" { vec![] } else { options.to_vec() },
        "rows": if kind == "likert_matrix" {
            vec![serde_json::json!({"id": "r", "label": "Row", "respondents": breakdown(Some(30), None), "points": points,
                "shares": row_shares, "positive": breakdown(Some(12), None), "score": shares(Some(40.0), None)})]
        } else { vec![] },
        "scale": if kind == "likert_matrix" { vec!["Never", "Rarely", "Sometimes", "Often", "Always"] } else { vec![] },
        "score_label": if kind == "likert_matrix" { Some("Often or always") } else { None },
        "table": [],
    }))
    .unwrap()
}

fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), view).forget();
    host
}

#[wasm_bindgen_test]
fn a_choice_question_is_a_bar_per_answer_as_wide_as_its_share_with_its_figures_in_words() {
    let q = question("single_choice");
    let host = mount(move || charts::bars(&q, "all"));
    let list = host.query_selector("ul.bars").unwrap().unwrap();
    assert_eq!(list.get_attribute("aria-label").unwrap(), "How is it?: answers");
    let widths: Vec<String> = (0..2)
        .map(|i| {
            host.query_selector_all("rect.bar__fill").unwrap().item(i).unwrap().dyn_into::<web_sys::Element>().unwrap()
        })
        .map(|rect| rect.get_attribute("width").unwrap())
        .collect();
    assert_eq!(widths, ["32.5", "67.5"]);
    let values = host.query_selector_all(".bar__value").unwrap();
    assert_eq!(values.item(0).unwrap().text_content().unwrap(), "13 (32.5%)");
    // The chart itself is hidden from screen readers: its words say the same.
    assert_eq!(host.query_selector("svg").unwrap().unwrap().get_attribute("aria-hidden").unwrap(), "true");
}

#[wasm_bindgen_test]
fn a_hidden_column_draws_empty_bars_and_no_figures() {
    let q = question("single_choice");
    let host = mount(move || charts::bars(&q, "estates"));
    assert_eq!(host.query_selector("rect.bar__fill").unwrap().unwrap().get_attribute("width").unwrap(), "0");
    assert_eq!(host.query_selector(".bar__value").unwrap().unwrap().text_content().unwrap(), "");
}

#[wasm_bindgen_test]
fn a_matrix_row_is_five_segments_centred_on_the_middle_answer() {
    let q = question("likert_matrix");
    let host = mount(move || charts::diverging(&q, "all"));
    let segments = host.query_selector_all("rect.diverging__seg").unwrap();
    assert_eq!(segments.length(), 5);
    let attr = |i: u32, name: &str| -> f64 {
        let el: web_sys::Element = segments.item(i).unwrap().dyn_into().unwrap();
        el.get_attribute(name).unwrap().parse().unwrap()
    };
    // Half-widths 5, 10, 15, 10, 10: the middle segment straddles 50.
    assert_eq!(attr(2, "x") + attr(2, "width") / 2.0, 50.0);
    assert_eq!(attr(0, "x"), 50.0 - 7.5 - 10.0 - 5.0);
    let text = host.query_selector(".diverging__row").unwrap().unwrap().text_content().unwrap();
    assert!(text.contains("Often or always: 40%"), "{text}");
    assert!(text.contains("Never 2, Rarely 4, Sometimes 6, Often 8, Always 10"), "{text}");
}

#[wasm_bindgen_test]
fn addresses_name_their_pages() {
    assert_eq!(Route::parse(""), Route::Surveys);
    assert_eq!(Route::parse("#/"), Route::Surveys);
    assert_eq!(
        Route::parse("#/surveys/constitution"),
        Route::Results { survey: "constitution".into(), selection: None }
    );
    assert_eq!(
        Route::parse("#/surveys/constitution/w:2026-q3"),
        Route::Results { survey: "constitution".into(), selection: Some("w:2026-q3".into()) }
    );
    assert_eq!(Route::parse("#/evidence/c"), Route::Evidence { survey: "c".into(), value: "compassion".into() });
    assert_eq!(Route::parse("#/audit/2026-01-02"), Route::Audit { since: Some("2026-01-02".into()) });
    assert_eq!(Route::parse("#/trend/a%20b"), Route::Trend("a b".into()));
    assert_eq!(Route::parse("#/no-such-page"), Route::Surveys);
}
