//! The widget's components in headless Chromium (wasm-bindgen-test): rendering every question kind,
//! validation with the shared rules, the scrub warning, conditional questions, and the shadow root.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use pulse_shared::default_survey::constitution;
use pulse_shared::{Answer, Lang, SurveyDefinition, SurveyResponse};
use pulse_widget::{shadow_container, OnSubmit, SurveyForm};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlTextAreaElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

/// A host element with the form mounted in its shadow root, and what the form submitted.
fn mount_form() -> (ShadowRoot, Arc<Mutex<Vec<SurveyResponse>>>) {
    mount_form_in(Lang::En)
}

fn mount_form_in(lang: Lang) -> (ShadowRoot, Arc<Mutex<Vec<SurveyResponse>>>) {
    mount_definition(constitution(), lang)
}

fn mount_definition(def: SurveyDefinition, lang: Lang) -> (ShadowRoot, Arc<Mutex<Vec<SurveyResponse>>>) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let container = shadow_container(&host).unwrap();
    let sent = Arc::new(Mutex::new(Vec::new()));
    let on_submit: OnSubmit = {
        let sent = sent.clone();
        Arc::new(move |r: SurveyResponse| sent.lock().unwrap().push(r))
    };
    let def = Arc::new(def);
    leptos::mount::mount_to(container, move || {
        view! { <SurveyForm definition=def.clone() context=Some("estates".to_string()) lang=lang on_submit=on_submit.clone() /> }
    })
    .forget();
    (host.shadow_root().unwrap(), sent)
}

/// Lets Leptos run its effects and re-render.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn by_id<T: JsCast>(root: &ShadowRoot, id: &str) -> T {
    root.get_element_by_id(id).unwrap_or_else(|| panic!("no #{id}")).dyn_into().unwrap()
}

fn click(root: &ShadowRoot, id: &str) {
    by_id::<HtmlElement>(root, id).click();
}

fn submit(root: &ShadowRoot) {
    let button: HtmlElement = root.query_selector("button[type=submit]").unwrap().unwrap().dyn_into().unwrap();
    button.click();
}

/// Types `text` into the textarea `id` as a person would: its value, then an `input` event that
/// bubbles up to the form.
fn type_into(root: &ShadowRoot, id: &str, text: &str) -> HtmlTextAreaElement {
    let area: HtmlTextAreaElement = by_id(root, id);
    area.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    area
}

/// Whether the question holding element `id` is shown (questions an earlier answer hides are `hidden`).
fn shown(root: &ShadowRoot, id: &str) -> bool {
    !by_id::<HtmlElement>(root, id).closest(".pulse-group").unwrap().unwrap().has_attribute("hidden")
}

fn text(root: &ShadowRoot) -> String {
    root.first_element_child().unwrap().dyn_into::<HtmlElement>().unwrap().inner_text()
}

#[wasm_bindgen_test]
async fn renders_every_question_with_a_label_for_every_control() {
    let (root, _) = mount_form();
    settle().await;
    let inputs = root.query_selector_all(".pulse-group:not([hidden]) input").unwrap();
    // 3 + 8 + 6×5 + 6 + 5 radios and checkboxes, and the story's link and caption; story_values
    // stays hidden until a story is written.
    assert_eq!(inputs.length(), 3 + 8 + 30 + 6 + 5 + 2);
    for i in 0..inputs.length() {
        let input: HtmlInputElement = inputs.item(i).unwrap().dyn_into().unwrap();
        let label = root.query_selector(&format!("label[for='{}']", input.id())).unwrap();
        assert!(label.is_some(), "input #{} has no label", input.id());
    }
    assert_eq!(
        root.query_selector_all(".pulse-group:not([hidden]) fieldset legend").unwrap().length(),
        5 + 6 + 1,
        "a legend per choice question and matrix row, and the story's link and caption"
    );
    assert!(text(&root).contains("0 of 6 questions answered"));
}

#[wasm_bindgen_test]
async fn an_empty_submit_shows_every_error_and_sends_nothing() {
    let (root, sent) = mount_form();
    settle().await;
    submit(&root);
    settle().await;
    let summary = root.query_selector(".pulse-error-summary").unwrap().expect("an error summary");
    assert_eq!(summary.query_selector_all("a").unwrap().length(), 4);
    assert_eq!(root.query_selector_all(".pulse-error-message:not([hidden])").unwrap().length(), 4);
    assert_eq!(
        by_id::<HtmlElement>(&root, "awareness-not_heard")
            .closest("fieldset")
            .unwrap()
            .unwrap()
            .get_attribute("aria-describedby")
            .as_deref(),
        Some("awareness-error")
    );
    assert!(sent.lock().unwrap().is_empty());
}

/// Answers every required question (and two places for `where_met`).
fn answer_required(root: &ShadowRoot) {
    click(root, "awareness-know_whats_in_it");
    click(root, "where_met-induction");
    click(root, "where_met-appraisal");
    for row in [
        "working_together",
        "respect_dignity",
        "commitment_to_quality",
        "compassion",
        "improving_lives",
        "everyone_counts",
    ] {
        click(root, &format!("values_lived-{row}-4"));
    }
    click(root, "focus_value-compassion");
    click(root, "shared_purpose-agree");
}

#[wasm_bindgen_test]
async fn a_complete_form_sends_a_response_that_passes_the_shared_rules() {
    let (root, sent) = mount_form();
    settle().await;
    answer_required(&root);
    settle().await;
    assert!(text(&root).contains("5 of 6 questions answered"), "{}", text(&root));
    submit(&root);
    settle().await;
    let sent = sent.lock().unwrap();
    assert_eq!(sent.len(), 1);
    let r = &sent[0];
    assert_eq!(r.context.as_deref(), Some("estates"));
    assert_eq!(*r.answers.get("awareness").unwrap(), Answer::Text("know_whats_in_it".into()));
    assert_eq!(*r.answers.get("where_met").unwrap(), Answer::List(vec!["induction".into(), "appraisal".into()]));
    assert!(pulse_shared::validate(&constitution(), r).is_empty());
    assert!(!r.answers.contains_key("story_consent"));
}

/// Types `text` into the input `id`, as [`type_into`] does for a textarea.
fn type_into_input(root: &ShadowRoot, id: &str, text: &str) {
    let input: HtmlInputElement = by_id(root, id);
    input.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn a_story_link_to_an_unlisted_host_is_refused_beside_the_link_with_the_servers_words() {
    let (root, sent) = mount_form();
    settle().await;
    answer_required(&root);
    type_into_input(&root, "story-link", "https://evil.example/photo.jpg");
    type_into_input(&root, "story-caption", "Our new garden for patients");
    settle().await;
    assert!(shown(&root, "story_values-compassion"), "a link alone is a story: its tags appear");
    submit(&root);
    settle().await;
    assert!(sent.lock().unwrap().is_empty());
    let error = by_id::<HtmlElement>(&root, "story-link-error").text_content().unwrap();
    let wanted = "Only links to www.youtube.com, youtu.be, vimeo.com can be shared here.";
    assert!(error.contains(wanted), "{error}");
    let link: HtmlInputElement = by_id(&root, "story-link");
    assert_eq!(link.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(link.get_attribute("aria-describedby").unwrap().contains("story-link-error"));
    let summary = root.query_selector(".pulse-error-summary a").unwrap().unwrap();
    assert_eq!(summary.get_attribute("href").as_deref(), Some("#story-link"));
    // Fixed, it goes as a story with its link and caption; the caption counts in the words.
    type_into_input(&root, "story-link", " https://youtu.be/abc ");
    click(&root, "story_values-compassion");
    settle().await;
    assert!(text(&root).contains("5 of 250 words"), "{}", text(&root));
    submit(&root);
    settle().await;
    let sent = sent.lock().unwrap();
    assert_eq!(sent.len(), 1, "{}", text(&root));
    assert_eq!(
        *sent[0].answers.get("story").unwrap(),
        Answer::Story {
            text: String::new(),
            link: "https://youtu.be/abc".into(),
            caption: "Our new garden for patients".into()
        }
    );
    assert!(pulse_shared::validate(&constitution(), &sent[0]).is_empty());
}

#[wasm_bindgen_test]
async fn ticking_consent_sends_yes_and_unticking_sends_nothing() {
    let (root, sent) = mount_form();
    settle().await;
    answer_required(&root);
    type_into(&root, "story-input", "We all pitched in.");
    settle().await;
    click(&root, "story_values-compassion");
    click(&root, "story_consent-yes");
    settle().await;
    submit(&root);
    settle().await;
    assert_eq!(*sent.lock().unwrap()[0].answers.get("story_consent").unwrap(), Answer::Text("yes".into()));
    click(&root, "story_consent-yes");
    settle().await;
    submit(&root);
    settle().await;
    assert!(!sent.lock().unwrap()[1].answers.contains_key("story_consent"), "unticked: no consent sent");
}

#[wasm_bindgen_test]
async fn a_story_opens_its_value_tags_and_warns_of_identifying_details() {
    let (root, _) = mount_form();
    settle().await;
    assert!(!shown(&root, "story_values-compassion"), "value tags wait for a story");
    let story = type_into(&root, "story-input", "Ring me on 07700 900123 or jo@nhs.net");
    settle().await;
    assert!(shown(&root, "story_values-compassion"), "value tags appear once there is a story");
    let consent: HtmlInputElement = by_id(&root, "story_consent-yes");
    assert!(!consent.checked(), "consent to share is never assumed");
    let label = root.query_selector("label[for='story_consent-yes']").unwrap().unwrap().text_content().unwrap();
    assert_eq!(label, "You may show my story, without my name, to other staff");
    let warning = root.query_selector(".pulse-warning").unwrap().expect("a scrub warning").text_content().unwrap();
    assert!(warning.contains("a phone number and an e-mail address"), "{warning}");
    assert!(text(&root).contains("7 of 250 words"));
    // The textarea kept its focus-worthy identity: it was not rebuilt when the tags appeared.
    assert!(by_id::<HtmlTextAreaElement>(&root, "story-input").is_same_node(Some(&story)));
}

#[wasm_bindgen_test]
async fn in_welsh_every_word_errors_and_warnings_included_is_welsh() {
    let (root, sent) = mount_form_in(Lang::Cy);
    settle().await;
    let shown = text(&root);
    for welsh in [
        "Ein gwerthoedd GIG",
        "0 o 6 cwestiwn wedi'u hateb",
        "Dydw i ddim wedi clywed amdano",
        "Bob amser",
        "Tosturi",
        "(dewisol)",
        "Anfon fy atebion",
    ] {
        assert!(shown.contains(welsh), "{welsh:?} missing from {shown}");
    }
    for english in ["Our NHS values", "questions answered", "Always", "Send my answers", "(optional)"] {
        assert!(!shown.contains(english), "{english:?} shown in the Welsh form");
    }
    submit(&root);
    settle().await;
    let summary =
        root.query_selector(".pulse-error-summary").unwrap().expect("an error summary").text_content().unwrap();
    assert!(summary.contains("Mae problem") && summary.contains("Atebwch y cwestiwn hwn."), "{summary}");
    assert!(summary.contains("Faint ydych chi'n ei wybod am Gyfansoddiad y GIG?"), "{summary}");
    assert!(sent.lock().unwrap().is_empty());

    type_into(&root, "story-input", "Ffoniwch 07700 900123 neu jo@nhs.net");
    settle().await;
    let warning = root.query_selector(".pulse-warning").unwrap().expect("a scrub warning").text_content().unwrap();
    assert!(warning.contains("yn cynnwys rhif ffôn a chyfeiriad e-bost."), "{warning}");
    assert!(text(&root).contains("5 o 250 gair"));
}

#[wasm_bindgen_test]
async fn the_privacy_promise_is_exact_and_a_disclosure_says_how_answers_are_used() {
    let mut def = constitution();
    def.privacy_url = Some("https://www.example.nhs.uk/privacy".into());
    for (lang, promise, how_used, notice) in [
        (Lang::En, "we keep the day they arrive", "How your answers are used", "Read our privacy notice"),
        (
            Lang::Cy,
            "rydym yn cadw'r diwrnod",
            "Sut y caiff eich atebion eu defnyddio",
            "Darllenwch ein hysbysiad preifatrwydd",
        ),
    ] {
        let (root, _) = mount_definition(def.clone(), lang);
        settle().await;
        assert!(text(&root).contains(promise), "{lang:?}: {}", text(&root));
        let details: web_sys::HtmlDetailsElement =
            root.query_selector("details.pulse-privacy").unwrap().expect("a native details").dyn_into().unwrap();
        assert!(!details.open(), "closed until asked for");
        let summary: HtmlElement = details.query_selector("summary").unwrap().unwrap().dyn_into().unwrap();
        assert_eq!(summary.text_content().unwrap(), how_used);
        summary.click();
        settle().await;
        assert!(details.open(), "the summary opens it");
        let points = details.query_selector_all("li").unwrap().length();
        assert_eq!(points, 5, "kept, who sees, stories, cleaning, no withdrawal");
        let link = details.query_selector("a").unwrap().expect("the privacy notice");
        assert_eq!(link.get_attribute("href").unwrap(), "https://www.example.nhs.uk/privacy");
        assert_eq!(link.text_content().unwrap(), notice);
    }
    // A survey without free text or a privacy notice says nothing of stories and links nowhere.
    let mut short = constitution();
    short.questions.retain(|q| {
        !matches!(
            q.kind,
            pulse_shared::QuestionKind::FreeText { .. }
                | pulse_shared::QuestionKind::Consent { .. }
                | pulse_shared::QuestionKind::ValueTags
        )
    });
    let (root, _) = mount_definition(short, Lang::En);
    settle().await;
    let details = root.query_selector("details.pulse-privacy").unwrap().unwrap();
    assert_eq!(details.query_selector_all("li").unwrap().length(), 3);
    assert!(details.query_selector("a").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_stylesheet_is_adopted_not_inlined() {
    let (root, _) = mount_form();
    settle().await;
    assert!(root.query_selector("style").unwrap().is_none(), "no <style> element: a strict CSP would block it");
    let sheets = js_sys::Reflect::get(&root, &"adoptedStyleSheets".into()).unwrap();
    assert_eq!(js_sys::Array::from(&sheets).length(), 1);
}

/// `wire` reads what the server's serde writes: every field of the default survey the widget uses
/// (all but the results' settings: `positive`, `protect`, `k_text`, and the question bank's ids), and a response with every
/// kind of answer and text that needs escaping.
#[wasm_bindgen_test]
fn wire_reads_the_servers_json() {
    let mut def = constitution();
    def.opens = Some("2026-01-01".parse().unwrap());
    def.allowed_origins = vec!["https://intranet.example.nhs.uk".into()];
    def.k_text = Some(12);
    def.questions[0].protect = pulse_shared::Protect::Cells;
    let json = serde_json::to_string(&def).unwrap();
    assert!(def.questions.iter().any(|q| !q.positive.is_empty()), "the default survey scores a question");
    assert!(def.questions.iter().all(|q| q.bank.is_some()), "the default survey's questions are bank items");
    // The widget never reads how results are published, nor which bank item a question is.
    def.k_text = None;
    for q in &mut def.questions {
        q.protect = Default::default();
        q.positive.clear();
        q.bank = None;
    }
    assert_eq!(pulse_widget::wire::definition(&json), Some(def));
    assert_eq!(
        pulse_widget::wire::definition(
            r#"{"id":"x","version":1,"title":"t","questions":[{"id":"a","prompt":"p","type":"dial"}]}"#
        ),
        None
    );
    assert_eq!(pulse_widget::wire::definition("not json"), None);

    let response = SurveyResponse {
        submission_id: "0123456789abcdef0123456789abcdef".parse().unwrap(),
        survey_version: 2,
        context: Some("estates \"north\"".into()),
        answers: [
            ("a".to_string(), Answer::Text("line\none \\ \u{1} é".into())),
            ("b".to_string(), Answer::List(vec!["x".into(), "y".into()])),
            ("c".to_string(), Answer::Matrix([("r".to_string(), 5)].into_iter().collect())),
        ]
        .into_iter()
        .collect(),
    };
    assert_eq!(pulse_widget::wire::response(&response.to_json()), Some(response));
}
