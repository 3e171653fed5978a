//! The survey form: every question kind, shown or hidden by earlier answers, checked with the shared
//! rules, with errors beside each field and in a summary that takes focus.
//!
//! Written for size, since every page that shows the widget downloads it. The inputs keep their own
//! state, as native inputs do, and one `input` listener on the form turns what changed into an
//! answer; a question an earlier answer hides is `hidden`, not removed, so nothing is rebuilt. What
//! does change (errors, counts, the progress) is a `Signal` of a few value types: each distinct
//! closure in a view would be compiled into the wasm as code of its own.

use std::sync::Arc;

use leptos::either::Either;
use leptos::ev::{Event, SubmitEvent};
use leptos::prelude::*;
use pulse_shared::validate::visible_questions;
use pulse_shared::{
    scrub, validate_in, word_count, Answer, Answers, FieldError, Lang, Points, Question, QuestionKind,
    SurveyDefinition, SurveyResponse,
};
use wasm_bindgen::JsCast;

use crate::delivery::new_submission_id;
use crate::text;

/// Called with a response that passed validation.
pub type OnSubmit = Arc<dyn Fn(SurveyResponse) + Send + Sync>;

/// The form's state, in one signal: the answers so far, and the field errors shown (`None` until
/// the first submit; then the errors of the answers as they are, so a fixed field loses its message
/// at once). Errors show only for the questions in `checked`: those shown at the last submit and
/// those answered since, so a question an answer reveals after a submit is not marked wrong before
/// anyone has touched it.
#[derive(Default)]
struct Form {
    answers: Answers,
    errors: Option<Vec<FieldError>>,
    checked: Vec<String>,
}

impl Form {
    fn error(&self, field: &str) -> Option<&str> {
        self.shown_errors().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// The errors of the questions checked.
    fn shown_errors(&self) -> impl Iterator<Item = &FieldError> {
        self.errors.iter().flatten().filter(|e| {
            let question = e.field.strip_prefix("answers.").map(|f| f.split('.').next().unwrap_or(f));
            question.is_none_or(|q| self.checked.iter().any(|c| c == q))
        })
    }
}

/// How many of the questions shown are answered, and how many are shown.
fn progress(def: &SurveyDefinition, answers: &Answers) -> (usize, usize) {
    let shown = visible_questions(def, answers);
    let answered = |(q, s): &(&Question, &bool)| **s && answers.get(&q.id).is_some_and(|x| !x.is_empty());
    (def.questions.iter().zip(&shown).filter(answered).count(), shown.iter().filter(|s| **s).count())
}

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

/// What one input now says, as an answer to its question `q`: `part` is the matrix row of a point,
/// or `link` or `caption` for a story's photo or video; `value` the input's value, `on` whether it
/// is ticked.
fn record(answers: &mut Answers, q: &Question, part: Option<String>, value: String, on: bool) {
    match &q.kind {
        QuestionKind::LikertMatrix { .. } => {
            let (Some(row), Ok(point)) = (part, value.parse::<u8>()) else { return };
            let entry = answers.entry(q.id.clone()).or_insert_with(|| Answer::Matrix(Points::new()));
            if let Answer::Matrix(points) = entry {
                points.insert(row, point);
            }
        }
        QuestionKind::MultipleChoice { .. } | QuestionKind::ValueTags => {
            let entry = answers.entry(q.id.clone()).or_insert_with(|| Answer::List(Vec::new()));
            if let Answer::List(list) = entry {
                list.retain(|o| *o != value);
                if on {
                    list.push(value);
                }
            }
        }
        // A consent is one checkbox whose answer is "yes" or nothing.
        QuestionKind::Consent { .. } if !on => {
            answers.remove(&q.id);
        }
        QuestionKind::FreeText { .. } => {
            let (mut text, mut link, mut caption) = answers
                .get(&q.id)
                .and_then(Answer::story)
                .map(|(t, l, c)| (t.to_string(), l.to_string(), c.to_string()))
                .unwrap_or_default();
            match part.as_deref() {
                Some("link") => link = value.trim().to_string(),
                Some("caption") => caption = value,
                _ => text = value,
            }
            let answer = if link.is_empty() && caption.is_empty() {
                Answer::Text(text)
            } else {
                Answer::Story { text, link, caption }
            };
            answers.insert(q.id.clone(), answer);
        }
        _ => {
            answers.insert(q.id.clone(), Answer::Text(value));
        }
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
    on_submit: OnSubmit,
) -> impl IntoView {
    let form = RwSignal::new(Form::default());

    // Every input's change arrives here; the input says which question (and matrix row) it answers.
    let (def, ctx) = (definition.clone(), context.clone());
    let on_input = move |ev: Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let Some(q) = input.get_attribute("data-q").and_then(|id| def.question(&id)) else { return };
        // A textarea has no `checked`: read it as a plain property, which is then simply absent.
        let on = js_sys::Reflect::get(&input, &"checked".into()).ok().and_then(|c| c.as_bool()).unwrap_or(false);
        let value = event_target_value(&ev);
        form.update(|f| {
            record(&mut f.answers, q, input.get_attribute("data-row"), value, on);
            if !f.checked.contains(&q.id) {
                f.checked.push(q.id.clone());
            }
            if f.errors.is_some() {
                f.errors = Some(validate_in(&def, &build_response(&def, &ctx, &f.answers), lang));
            }
        });
    };

    let (def, ctx) = (definition.clone(), context.clone());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let response = form.with_untracked(|f| build_response(&def, &ctx, &f.answers));
        let found = validate_in(&def, &response, lang);
        if found.is_empty() {
            on_submit(response);
            return;
        }
        form.update(|f| {
            let shown = visible_questions(&def, &f.answers);
            f.checked = def.questions.iter().zip(shown).filter(|(_, s)| *s).map(|(q, _)| q.id.clone()).collect();
            f.errors = Some(found);
        });
        // The summary takes focus once drawn, so keyboard and screen-reader users hear what to fix.
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        request_animation_frame(move || {
            let summary = target.query_selector(".pulse-error-summary").ok().flatten();
            if let Some(el) = summary.and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.focus();
            }
        });
    };

    let words = text::words(lang);
    let def = definition.clone();
    let summary = move || {
        let found: Vec<FieldError> = form.with(|f| f.shown_errors().cloned().collect());
        (!found.is_empty()).then(|| {
            let items = found
                .into_iter()
                .filter_map(|e| {
                    // `answers.story.link`: the story's link input, not its first.
                    let path = e.field.strip_prefix("answers.")?;
                    let (id, part) = path.split_once('.').map_or((path, None), |(id, part)| (id, Some(part)));
                    let q = def.question(id)?;
                    let target = part.map_or_else(|| first_input_id(q), |part| format!("{id}-{part}"));
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
                .collect_view();
            view! {
                <div class="pulse-error-summary" role="alert" tabindex="-1" aria-labelledby="pulse-error-summary-title">
                    <h2 class="pulse-error-summary__title" id="pulse-error-summary-title">{words.there_is_a_problem}</h2>
                    <ul class="pulse-error-summary__list">{items}</ul>
                </div>
            }
        })
    };

    let questions = definition
        .questions
        .iter()
        .enumerate()
        .map(|(index, q)| {
            let def = definition.clone();
            // Questions are few, so each works out what is shown rather than sharing a memo.
            let hidden = Signal::derive(move || {
                !form.with(|f| visible_questions(&def, &f.answers).get(index).copied().unwrap_or(false))
            });
            question(q, lang, hidden, form, &definition.media_hosts)
        })
        .collect_view();

    let (def, fill) = (definition.clone(), definition.clone());
    let progress_text = Signal::derive(move || {
        let (done, total) = form.with(|f| progress(&def, &f.answers));
        words.progress(done, total)
    });
    let progress_fill = Signal::derive(move || {
        let (done, total) = form.with(|f| progress(&fill, &f.answers));
        format!("pulse-progress__fill pulse-progress__fill--{}", (done * 10).checked_div(total).unwrap_or(0))
    });

    let title_id = format!("pulse-{}-title", definition.id);
    let labelled_by = title_id.clone();
    view! {
        <form class="pulse-form" novalidate on:submit=submit on:input=on_input aria-labelledby=labelled_by lang=lang.code()>
            <h2 class="pulse-title" id=title_id>{definition.title.get(lang).to_string()}</h2>
            <p class="pulse-intro">{definition.intro.get(lang).to_string()}</p>
            <p class="pulse-hint">{words.anonymous}</p>
            {privacy_disclosure(&definition, lang)}
            <div class="pulse-progress">
                <p class="pulse-progress__text">{progress_text}</p>
                <div class="pulse-progress__bar" aria-hidden="true">
                    <div class=progress_fill></div>
                </div>
            </div>
            {summary}
            {questions}
            <button type="submit" class="pulse-button">{words.submit}</button>
        </form>
    }
}

/// "How your answers are used": a native `<details>`, so it opens with the keyboard and says it is
/// expandable to screen readers without any script of ours. Stories and cleaning are mentioned only
/// when the survey asks for free text; the organisation's privacy notice only when it names one.
fn privacy_disclosure(definition: &SurveyDefinition, lang: Lang) -> impl IntoView {
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

/// One question: its prompt, hint, error and inputs; `hidden` while an earlier answer hides it.
fn question(q: &Question, lang: Lang, hidden: Signal<bool>, form: RwSignal<Form>, hosts: &[String]) -> impl IntoView {
    let words = text::words(lang);
    let field = format!("answers.{}", q.id);
    let error = Signal::derive(move || form.with(|f| f.error(&field).map(str::to_string)));
    let (hint_id, error_id) = (format!("{}-hint", q.id), format!("{}-error", q.id));
    let described_by = {
        let (hint_id, error_id, has_hint) = (hint_id.clone(), error_id.clone(), q.hint.is_some());
        move |extra: Option<String>| {
            Signal::derive(move || {
                let ids: Vec<&str> = [
                    has_hint.then_some(hint_id.as_str()),
                    error.with(Option::is_some).then_some(error_id.as_str()),
                    extra.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect();
                (!ids.is_empty()).then(|| ids.join(" "))
            })
        }
    };
    let group_class = Signal::derive(move || {
        if error.with(Option::is_some) { "pulse-group pulse-group--error" } else { "pulse-group" }.to_string()
    });
    let prompt = q.prompt.get(lang).to_string();
    let hint = q.hint.as_ref().map(|h| view! { <div class="pulse-hint" id=hint_id>{h.get(lang).to_string()}</div> });
    let error_message = view! {
        <span class="pulse-error-message" id=error_id hidden=Signal::derive(move || error.with(Option::is_none))>
            <span class="pulse-visually-hidden">{words.error_prefix}" "</span>
            {Signal::derive(move || error.get().unwrap_or_default())}
        </span>
    };
    let qid = q.id.clone();

    if let QuestionKind::FreeText { max_words, media } = q.kind {
        let input_id = format!("{qid}-input");
        let count_id = format!("{qid}-count");
        // The caption counts in the words, as the shared rules count it.
        let current = {
            let qid = qid.clone();
            move || {
                form.with(|f| {
                    f.answers.get(&qid).and_then(Answer::story).map_or(0, |(t, _, c)| word_count(t) + word_count(c))
                })
            }
        };
        let qid_for_warning = qid.clone();
        let warning = Signal::derive(move || {
            let all = form.with(|f| match f.answers.get(&qid_for_warning).and_then(Answer::story) {
                Some((t, _, c)) => [scrub(t).found, scrub(c).found].concat(),
                None => Vec::new(),
            });
            // Each kind once, in the order found.
            let mut found = Vec::new();
            for kind in all {
                if !found.contains(&kind) {
                    found.push(kind);
                }
            }
            (!found.is_empty()).then(|| words.scrub_warning(&found))
        });
        let media = media.then(|| media_fields(&qid, lang, form, hosts.join(", ")));
        let over = {
            let current = current.clone();
            Signal::derive(move || {
                if current() > max_words as usize { "pulse-count pulse-count--over" } else { "pulse-count" }.to_string()
            })
        };
        return Either::Left(view! {
            <div class=group_class hidden=hidden>
                <label class="pulse-label" for=input_id.clone()>{prompt}</label>
                {hint}
                {error_message}
                <textarea
                    class="pulse-textarea"
                    id=input_id
                    name=qid.clone()
                    data-q=qid
                    rows="6"
                    aria-describedby=described_by(Some(count_id.clone()))
                    aria-invalid=Signal::derive(move || error.with(Option::is_some).then(|| "true".to_string()))
                ></textarea>
                <p class=over id=count_id>{Signal::derive(move || words.word_count(current(), max_words))}</p>
                {media}
                // The live region is always there, so a warning appearing in it is announced.
                <div role="status">
                    <p class="pulse-warning" hidden=Signal::derive(move || warning.with(Option::is_none))>
                        {Signal::derive(move || warning.get().unwrap_or_default())}
                    </p>
                </div>
            </div>
        });
    }

    let (controls_class, controls) = match &q.kind {
        QuestionKind::LikertMatrix { rows, scale } => {
            let rows = rows
                .iter()
                .map(|row| {
                    let points = (1..=5u8)
                        .map(|point| {
                            let label = scale[usize::from(point) - 1].get(lang).to_string();
                            let (id, name) = (format!("{qid}-{}-{point}", row.id), format!("{qid}-{}", row.id));
                            control(false, id, name, &qid, Some(&row.id), point.to_string(), label)
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
            ("pulse-matrix", Either::Left(rows))
        }
        kind => {
            let checkbox = !matches!(kind, QuestionKind::SingleChoice { .. });
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
            let items = options
                .into_iter()
                .map(|(oid, label)| control(checkbox, format!("{qid}-{oid}"), qid.clone(), &qid, None, oid, label))
                .collect_view();
            (if checkbox { "pulse-checkboxes" } else { "pulse-radios" }, Either::Right(items))
        }
    };
    let optional = if q.required { "" } else { words.optional };
    // Every kind but free text is a group of controls: a fieldset whose legend is the prompt.
    Either::Right(view! {
        <div class=group_class hidden=hidden>
            <fieldset class="pulse-fieldset" aria-describedby=described_by(None)>
                <legend class="pulse-legend">{prompt}" "<span class="pulse-optional">{optional}</span></legend>
                {hint}
                {error_message}
                <div class=controls_class>{controls}</div>
            </fieldset>
        </div>
    })
}

/// A story's optional photo or video link and its caption: two labelled inputs in a group, each
/// with its own hint and error (`answers.<id>.link`, `answers.<id>.caption`).
fn media_fields(qid: &str, lang: Lang, form: RwSignal<Form>, hosts: String) -> impl IntoView {
    let words = text::words(lang);
    let input = move |part: &'static str, label: &'static str, hint: Option<String>| {
        let (id, field) = (format!("{qid}-{part}"), format!("answers.{qid}.{part}"));
        let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
        let error = Signal::derive(move || form.with(|f| f.error(&field).map(str::to_string)));
        let has_hint = hint.is_some();
        let described = {
            let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
            Signal::derive(move || {
                let ids: Vec<&str> =
                    [has_hint.then_some(hint_id.as_str()), error.with(Option::is_some).then_some(error_id.as_str())]
                        .into_iter()
                        .flatten()
                        .collect();
                (!ids.is_empty()).then(|| ids.join(" "))
            })
        };
        let class = Signal::derive(move || {
            if error.with(Option::is_some) { "pulse-part pulse-part--error" } else { "pulse-part" }.to_string()
        });
        view! {
            <div class=class>
                <label class="pulse-label pulse-label--small" for=id.clone()>{label}</label>
                {hint.map(|h| view! { <div class="pulse-hint" id=hint_id>{h}</div> })}
                <span class="pulse-error-message" id=error_id hidden=Signal::derive(move || error.with(Option::is_none))>
                    <span class="pulse-visually-hidden">{words.error_prefix}" "</span>
                    {Signal::derive(move || error.get().unwrap_or_default())}
                </span>
                <input
                    class="pulse-input"
                    type=if part == "link" { "url" } else { "text" }
                    id=id
                    name=format!("{qid}-{part}")
                    data-q=qid.to_string()
                    data-row=part
                    autocomplete="off"
                    spellcheck=if part == "link" { "false" } else { "true" }
                    aria-describedby=described
                    aria-invalid=Signal::derive(move || error.with(Option::is_some).then(|| "true".to_string()))
                />
            </div>
        }
    };
    view! {
        <fieldset class="pulse-media">
            <legend class="pulse-media__legend">{words.media_legend}" "<span class="pulse-optional">{words.optional}</span></legend>
            {input("link", words.link_label, Some(words.link_hint(&hosts)))}
            {input("caption", words.caption_label, None)}
        </fieldset>
    }
}

/// One radio button or checkbox with its label, naming the question (and matrix row) it answers for
/// the form's one `input` listener.
fn control(
    checkbox: bool,
    id: String,
    name: String,
    question: &str,
    row: Option<&str>,
    value: String,
    label: String,
) -> impl IntoView {
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
                data-q=question.to_string()
                data-row=row.map(str::to_string)
            />
            <label class=label_class for=id>{label}</label>
        </div>
    }
}
