//! The survey form: every question kind, shown or hidden by earlier answers, checked with the shared
//! rules, with errors beside each field and in a summary that takes focus.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use pulse_shared::validate::visible_questions;
use pulse_shared::{
    scrub, validate_in, word_count, Answer, FieldError, Lang, Question, QuestionKind, SurveyDefinition, SurveyResponse,
};
use wasm_bindgen::JsCast;

use crate::delivery::new_submission_id;
use crate::text;

type Answers = BTreeMap<String, Answer>;

/// The id of the element a question's error should take the reader to: its first input.
fn first_input_id(q: &Question) -> String {
    match &q.kind {
        QuestionKind::FreeText { .. } => format!("{}-input", q.id),
        QuestionKind::LikertMatrix { rows, .. } => format!("{}-{}-1", q.id, rows.first().map_or("", |r| r.id.as_str())),
        kind => format!("{}-{}", q.id, kind.option_ids().first().copied().unwrap_or("")),
    }
}

/// The response the form would send now: answers to hidden questions are left out.
fn build_response(def: &SurveyDefinition, context: &Option<String>, answers: &Answers) -> SurveyResponse {
    let shown = visible_questions(def, answers);
    // Inserted one by one: collecting into a map sorts first, and each sort is code in the wasm.
    let mut kept = Answers::new();
    for (q, _) in def.questions.iter().zip(shown).filter(|(_, shown)| *shown) {
        if let Some(a) = answers.get(&q.id).filter(|a| !a.is_empty()) {
            kept.insert(q.id.clone(), a.clone());
        }
    }
    SurveyResponse {
        submission_id: new_submission_id(),
        survey_version: def.version,
        context: context.clone(),
        answers: kept,
    }
}

/// Moves focus to the element with `id` in the same shadow root as `from`.
fn focus_by_id(from: &web_sys::EventTarget, id: &str) {
    let Some(node) = from.dyn_ref::<web_sys::Node>() else { return };
    let root = node.get_root_node();
    let target = if let Some(shadow) = root.dyn_ref::<web_sys::ShadowRoot>() {
        shadow.get_element_by_id(id)
    } else {
        root.dyn_ref::<web_sys::Document>().and_then(|d| d.get_element_by_id(id))
    };
    if let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// The whole form for one survey.
#[component]
pub fn SurveyForm(
    /// The survey to render.
    definition: Arc<SurveyDefinition>,
    /// The context tag the host page attached, sent with the response.
    context: Option<String>,
    /// The language to show the survey in (one the survey has).
    lang: Lang,
    /// Called with a response that passed validation.
    on_submit: Callback<SurveyResponse>,
) -> impl IntoView {
    let answers = RwSignal::new(Answers::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let tried = RwSignal::new(false);
    let summary_ref = NodeRef::<leptos::html::Div>::new();

    let def = definition.clone();
    let visible = Memo::new(move |_| answers.with(|a| visible_questions(&def, a)));

    // Once a submit has failed, errors follow the answers, so a fixed field loses its message at once.
    let (def, ctx) = (definition.clone(), context.clone());
    Effect::new(move |_| {
        let current = answers.with(|a| validate_in(&def, &build_response(&def, &ctx, a), lang));
        if tried.get() {
            errors.set(current);
        }
    });

    let def = definition.clone();
    let progress = Memo::new(move |_| {
        let shown = visible.get();
        answers.with(|a| {
            let total = shown.iter().filter(|s| **s).count();
            let done = def
                .questions
                .iter()
                .zip(&shown)
                .filter(|(q, s)| **s && a.get(&q.id).is_some_and(|x| !x.is_empty()))
                .count();
            (done, total)
        })
    });

    let (def, ctx) = (definition.clone(), context.clone());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let response = answers.with(|a| build_response(&def, &ctx, a));
        let found = validate_in(&def, &response, lang);
        if found.is_empty() {
            on_submit.run(response);
        } else {
            errors.set(found);
            request_animation_frame(move || {
                if let Some(el) = summary_ref.get_untracked() {
                    let _ = el.focus();
                }
            });
        }
    };

    let def = definition.clone();
    let summary_items = move || {
        errors
            .get()
            .into_iter()
            .filter_map(|e| {
                let q = e.field.strip_prefix("answers.").and_then(|id| def.question(id))?.clone();
                let target = first_input_id(&q);
                let label = format!("{} {}", q.prompt.get(lang), e.message);
                Some(view! {
                    <li>
                        <a
                            href=format!("#{target}")
                            on:click=move |ev| {
                                ev.prevent_default();
                                if let Some(t) = ev.target() {
                                    focus_by_id(&t, &target);
                                }
                            }
                        >
                            {label}
                        </a>
                    </li>
                })
            })
            .collect_view()
    };

    let questions = definition
        .questions
        .iter()
        .enumerate()
        .map(|(index, q)| view! { <QuestionField question=q.clone() index=index lang=lang visible=visible answers=answers errors=errors /> })
        .collect_view();

    let words = text::words(lang);
    let title_id = format!("pulse-{}-title", definition.id);
    let labelled_by = title_id.clone();
    view! {
        <form class="pulse-form" novalidate on:submit=submit aria-labelledby=labelled_by>
            <h2 class="pulse-title" id=title_id>{definition.title.get(lang).to_string()}</h2>
            <p class="pulse-intro">{definition.intro.get(lang).to_string()}</p>
            <p class="pulse-hint">{words.anonymous}</p>
            <PrivacyDisclosure definition=definition.clone() lang=lang />
            <div class="pulse-progress">
                <p class="pulse-progress__text">{move || { let (d, t) = progress.get(); words.progress(d, t) }}</p>
                <div class="pulse-progress__bar" aria-hidden="true">
                    <div class=move || { let (d, t) = progress.get(); format!("pulse-progress__fill pulse-progress__fill--{}", (d * 10).checked_div(t).unwrap_or(0)) }></div>
                </div>
            </div>
            <Show when=move || errors.with(|e| !e.is_empty())>
                <div class="pulse-error-summary" role="alert" tabindex="-1" node_ref=summary_ref aria-labelledby="pulse-error-summary-title">
                    <h2 class="pulse-error-summary__title" id="pulse-error-summary-title">{words.there_is_a_problem}</h2>
                    <ul class="pulse-error-summary__list">{summary_items.clone()}</ul>
                </div>
            </Show>
            {questions}
            <button type="submit" class="pulse-button">{words.submit}</button>
        </form>
    }
}

/// "How your answers are used": a native `<details>`, so it opens with the keyboard and says it is
/// expandable to screen readers without any script of ours. Stories and cleaning are mentioned only
/// when the survey asks for free text; the organisation's privacy notice only when it names one.
#[component]
fn PrivacyDisclosure(
    /// The survey, for its threshold, its questions and its privacy notice.
    definition: Arc<SurveyDefinition>,
    /// The language to say it in.
    lang: Lang,
) -> impl IntoView {
    let words = text::words(lang);
    let free_text = definition.questions.iter().any(|q| matches!(q.kind, QuestionKind::FreeText { .. }));
    let consent = definition.questions.iter().any(|q| matches!(q.kind, QuestionKind::Consent { .. }));
    view! {
        <details class="pulse-privacy">
            <summary>{words.how_used}</summary>
            <ul>
                <li>{words.kept}</li>
                <li>{words.who_sees(definition.k)}</li>
                {consent.then(|| view! { <li>{words.stories_seen}</li> })}
                {free_text.then(|| view! { <li>{words.cleaned}</li> })}
                <li>{words.no_withdrawal}</li>
            </ul>
            {definition.privacy_url.clone().map(|url| view! { <p><a href=url>{words.privacy_notice}</a></p> })}
        </details>
    }
}

/// One question: its prompt, hint, error and inputs; absent while an earlier answer hides it.
#[component]
fn QuestionField(
    /// The question to render.
    question: Question,
    /// Its position, to read its visibility.
    index: usize,
    /// The language to show it in.
    lang: Lang,
    /// Which questions are shown.
    visible: Memo<Vec<bool>>,
    /// The answers so far.
    answers: RwSignal<Answers>,
    /// The current field errors.
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    // Each question follows its own visibility only, so typing elsewhere never rebuilds it.
    let shown = Memo::new(move |_| visible.with(|v| v.get(index).copied().unwrap_or(false)));
    let q = Arc::new(question);
    move || shown.get().then(|| question_body(q.clone(), lang, answers, errors))
}

fn question_body(
    q: Arc<Question>,
    lang: Lang,
    answers: RwSignal<Answers>,
    errors: RwSignal<Vec<FieldError>>,
) -> AnyView {
    let words = text::words(lang);
    let field = format!("answers.{}", q.id);
    let error = Memo::new(move |_| errors.with(|es| es.iter().find(|e| e.field == field).map(|e| e.message.clone())));
    let hint_id = format!("{}-hint", q.id);
    let error_id = format!("{}-error", q.id);
    let described_by = {
        let (hint_id, error_id, has_hint) = (hint_id.clone(), error_id.clone(), q.hint.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let group_class = move || {
        if error.with(Option::is_some) {
            "pulse-group pulse-group--error"
        } else {
            "pulse-group"
        }
    };
    let optional = if q.required { "" } else { words.optional };
    let prompt = q.prompt.get(lang).to_string();
    let hint =
        q.hint.as_ref().map(|h| view! { <div class="pulse-hint" id=hint_id.clone()>{h.get(lang).to_string()}</div> });
    let error_message = move || {
        error.get().map(|m| {
            view! {
                <span class="pulse-error-message" id=error_id.clone()>
                    <span class="pulse-visually-hidden">{words.error_prefix}" "</span>
                    {m}
                </span>
            }
        })
    };

    let (controls_class, controls) = match &q.kind {
        QuestionKind::FreeText { max_words } => {
            let (id, max) = (q.id.clone(), *max_words);
            let input_id = format!("{id}-input");
            let current = {
                let id = id.clone();
                Memo::new(move |_| {
                    answers.with(|a| match a.get(&id) {
                        Some(Answer::Text(t)) => t.clone(),
                        _ => String::new(),
                    })
                })
            };
            let warning = move || {
                let mut found = current.with(|t| scrub(t).found);
                found.dedup();
                (!found.is_empty())
                    .then(|| view! { <p class="pulse-warning" role="status">{words.scrub_warning(&found)}</p> })
            };
            let count_class = move || {
                if current.with(|t| word_count(t)) > max as usize {
                    "pulse-count pulse-count--over"
                } else {
                    "pulse-count"
                }
            };
            let count_id = format!("{id}-count");
            return view! {
                <div class=group_class>
                    <label class="pulse-label" for=input_id.clone()>{prompt}</label>
                    {hint}
                    {error_message}
                    <textarea
                        class="pulse-textarea"
                        id=input_id
                        name=id.clone()
                        rows="6"
                        aria-describedby=move || {
                            let base = described_by().unwrap_or_default();
                            format!("{base} {}", count_id.clone()).trim().to_string()
                        }
                        aria-invalid=move || error.with(Option::is_some).then_some("true")
                        prop:value=move || current.get()
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            answers.update(|a| {
                                a.insert(id.clone(), Answer::Text(value));
                            });
                        }
                    ></textarea>
                    <p class=count_class id=format!("{}-count", q.id)>{move || words.word_count(current.with(|t| word_count(t)), max)}</p>
                    {warning}
                </div>
            }
            .into_any();
        }
        QuestionKind::LikertMatrix { rows, scale } => {
            let rows_view = rows
                .iter()
                .map(|row| {
                    let (qid, rid) = (q.id.clone(), row.id.clone());
                    let points = (1..=5u8)
                        .map(|point| {
                            let (qid, rid) = (qid.clone(), rid.clone());
                            let checked = {
                                let (qid, rid) = (qid.clone(), rid.clone());
                                move || answers.with(|a| matches!(a.get(&qid), Some(Answer::Matrix(m)) if m.get(&rid) == Some(&point)))
                            };
                            let id = format!("{qid}-{rid}-{point}");
                            let name = format!("{qid}-{rid}");
                            let label = scale[usize::from(point) - 1].get(lang).to_string();
                            control(false, id, name, point.to_string(), label, Arc::new(checked), Arc::new(move |_| {
                                answers.update(|a| {
                                    let entry = a.entry(qid.clone()).or_insert_with(|| Answer::Matrix(BTreeMap::new()));
                                    if !matches!(entry, Answer::Matrix(_)) {
                                        *entry = Answer::Matrix(BTreeMap::new());
                                    }
                                    if let Answer::Matrix(m) = entry {
                                        m.insert(rid.clone(), point);
                                    }
                                });
                            }))
                        })
                        .collect_view();
                    view! {
                        <fieldset class="pulse-matrix__row">
                            <legend class="pulse-matrix__legend">{row.label.get(lang).to_string()}</legend>
                            <div class="pulse-radios pulse-radios--inline">{points}</div>
                        </fieldset>
                    }
                })
                .collect_view();
            ("pulse-matrix", rows_view.into_any())
        }
        kind => {
            let multiple = !matches!(kind, QuestionKind::SingleChoice { .. });
            // A consent is one checkbox whose answer is "yes" or nothing.
            let consent = matches!(kind, QuestionKind::Consent { .. });
            let options: Vec<(String, String)> = match kind {
                QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                    options.iter().map(|o| (o.id.clone(), o.label.get(lang).to_string())).collect()
                }
                QuestionKind::Consent { label, .. } => {
                    vec![(pulse_shared::CONSENT_YES.to_string(), label.get(lang).to_string())]
                }
                _ => pulse_shared::NhsValue::ALL
                    .iter()
                    .map(|v| (v.id().to_string(), v.label_in(lang).to_string()))
                    .collect(),
            };
            let kind_class = if multiple { "pulse-checkboxes" } else { "pulse-radios" };
            let items = options
                .into_iter()
                .map(|(oid, label)| {
                    let qid = q.id.clone();
                    let checked = {
                        let (qid, oid) = (qid.clone(), oid.clone());
                        move || answers.with(|a| a.get(&qid).is_some_and(|x| x.has(&oid)))
                    };
                    let change = {
                        let (qid, oid) = (qid.clone(), oid.clone());
                        move |on: bool| {
                            answers.update(|a| {
                                if consent && !on {
                                    a.remove(&qid);
                                    return;
                                }
                                if !multiple || consent {
                                    a.insert(qid.clone(), Answer::Text(oid.clone()));
                                    return;
                                }
                                let entry = a.entry(qid.clone()).or_insert_with(|| Answer::List(Vec::new()));
                                if !matches!(entry, Answer::List(_)) {
                                    *entry = Answer::List(Vec::new());
                                }
                                if let Answer::List(list) = entry {
                                    list.retain(|o| o != &oid);
                                    if on {
                                        list.push(oid.clone());
                                    }
                                }
                            });
                        }
                    };
                    control(multiple, format!("{qid}-{oid}"), qid, oid, label, Arc::new(checked), Arc::new(change))
                })
                .collect_view();
            (kind_class, items.into_any())
        }
    };
    // Every kind but free text is a group of controls: a fieldset whose legend is the prompt.
    view! {
        <div class=group_class>
            <fieldset class="pulse-fieldset" aria-describedby=described_by>
                <legend class="pulse-legend">{prompt}" "<span class="pulse-optional">{optional}</span></legend>
                {hint}
                {error_message}
                <div class=controls_class>{controls}</div>
            </fieldset>
        </div>
    }
    .into_any()
}

/// One radio button or checkbox with its label. Every choice, value tag and matrix point goes through
/// this one non-generic function, so the wasm holds the control's view code once rather than once per
/// kind of question.
fn control(
    checkbox: bool,
    id: String,
    name: String,
    value: String,
    label: String,
    checked: Arc<dyn Fn() -> bool + Send + Sync>,
    change: Arc<dyn Fn(bool) + Send + Sync>,
) -> AnyView {
    let (item, input, label_class, input_type) = if checkbox {
        ("pulse-checkboxes__item", "pulse-checkboxes__input", "pulse-checkboxes__label", "checkbox")
    } else {
        ("pulse-radios__item", "pulse-radios__input", "pulse-radios__label", "radio")
    };
    view! {
        <div class=item>
            <input
                class=input
                type=input_type
                id=id.clone()
                name=name
                value=value
                prop:checked=move || checked()
                on:change=move |ev| change(event_target_checked(&ev))
            />
            <label class=label_class for=id>{label}</label>
        </div>
    }
    .into_any()
}
