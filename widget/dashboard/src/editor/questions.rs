//! The questions in the editor: each one's kind, words, options or statements, scale, limits,
//! condition, protection and place, and its link to the question bank.

use leptos::prelude::*;
use pulse_shared::bank;
use pulse_shared::draft::unique_slug;
use pulse_shared::{Choice, Protect, Question, QuestionKind, ShowIf, SurveyDefinition, Text};

use super::form::{focus_later, keep_focus, text_pair, Ed, TextAt};

/// A question's options, or a matrix's rows.
pub(super) fn choices(kind: &mut QuestionKind) -> Option<&mut Vec<Choice>> {
    match kind {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => Some(options),
        QuestionKind::LikertMatrix { rows, .. } => Some(rows),
        _ => None,
    }
}

/// The kinds of question, as the editor names them.
pub(super) const KINDS: [(&str, &str, &str); 6] = [
    ("single_choice", "One answer from a list", "Un ateb o restr"),
    ("multiple_choice", "Any answers from a list", "Unrhyw atebion o restr"),
    ("likert_matrix", "Statements on a 5-point scale", "Datganiadau ar raddfa 5 pwynt"),
    ("free_text", "Free text", "Testun rhydd"),
    ("value_tags", "Tags of the six NHS values", "Tagiau o chwe gwerth y GIG"),
    ("consent", "Consent to share a free-text answer", "Caniatâd i rannu ateb testun rhydd"),
];

/// A question of `kind` in place of `old`, keeping its options where both take a list.
pub(super) fn with_kind(old: &QuestionKind, kind: &str, def: &SurveyDefinition) -> QuestionKind {
    let options = match old {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => options.clone(),
        QuestionKind::LikertMatrix { rows, .. } => rows.clone(),
        _ => Vec::new(),
    };
    match kind {
        "multiple_choice" => QuestionKind::MultipleChoice { options, max: None },
        "likert_matrix" => {
            let scale = match &bank::engagement()[1].kind {
                QuestionKind::LikertMatrix { scale, .. } => scale.clone(),
                _ => Default::default(),
            };
            QuestionKind::LikertMatrix { rows: options, scale }
        }
        "free_text" => QuestionKind::FreeText { max_words: 250, media: false },
        "value_tags" => QuestionKind::ValueTags,
        "consent" => {
            let of =
                def.questions.iter().find(|q| matches!(q.kind, QuestionKind::FreeText { .. })).map(|q| q.id.clone());
            QuestionKind::Consent { of: of.unwrap_or_default(), label: Text::default() }
        }
        _ => QuestionKind::SingleChoice { options },
    }
}

/// One question: its kind, words, options, condition and place.
pub(super) fn question(ed: Ed, d: &SurveyDefinition, i: usize) -> impl IntoView {
    let l = ed.l;
    let q = d.questions[i].clone();
    let field = format!("questions.{}", q.id);
    let published = ed.is_published(&q.id);
    let count = d.questions.len();
    let earlier: Vec<Question> = d.questions[..i].to_vec();
    let bank_line = q.bank.clone().map(|b| {
        let source = bank::item(&b).map(|i| i.source.describe(l)).unwrap_or_default();
        view! {
            <div class="bank">
                <p><strong class="tag">{l.pick("Question bank", "Banc cwestiynau")}</strong>" "{format!("{b} · {source}")}</p>
                <p class="hint">{l.pick("Keep the English wording as it is, so results can be compared; a changed wording is no longer the bank's question.",
                    "Cadwch y geiriad Saesneg fel y mae, er mwyn gallu cymharu canlyniadau; nid cwestiwn y banc yw geiriad wedi'i newid mwyach.")}</p>
                <button type="button" class="button button--secondary" on:click={let b = b.clone(); move |_| {
                    let Some(item) = bank::item(&b) else { return };
                    ed.reshape(|d| { let q = &mut d.questions[i]; q.prompt = item.question.prompt.clone(); q.hint = item.question.hint.clone(); q.kind = item.question.kind.clone(); q.positive = item.question.positive.clone(); });
                }}>{l.pick("Restore the bank's wording", "Adfer geiriad y banc")}</button>" "
                <button type="button" class="button button--secondary" on:click=move |_| ed.reshape(|d| d.questions[i].bank = None)>
                    {l.pick("Make it our own question", "Ei wneud yn gwestiwn ein hunain")}</button>
            </div>
        }
    });
    let kind_select = format!("q-{i}-kind");
    let id_input = format!("q-{i}-id");
    let current_kind = q.kind.name();
    let moved = move |to: usize| {
        ed.reshape(|d| {
            let q = d.questions.remove(i);
            d.questions.insert(to, q);
        });
        focus_later(format!("q-{to}-{}", keep_focus(i, to, count)));
    };
    let label = format!("{} {}: {}", l.pick("Question", "Cwestiwn"), i + 1, q.prompt.get(l));
    view! {
        <li class="card question-edit" id=format!("f-q-{}", q.id)>
            <fieldset class="fieldset">
                <legend><h3>{label.clone()}</h3></legend>
                {ed.messages(field.clone(), false)}
                {bank_line}
                <label class="label" for=id_input.clone()>{l.pick("Id", "Dynodydd")}</label>
                <p class="hint">{if published { l.pick("Published: the id stays, so results add up across versions.", "Wedi'i gyhoeddi: mae'r dynodydd yn aros, fel bod canlyniadau'n adio ar draws fersiynau.") }
                    else { l.pick("Made from the question; change it before you publish.", "Wedi'i wneud o'r cwestiwn; newidiwch ef cyn cyhoeddi.") }}</p>
                <input class="input input--short" id=id_input type="text" value=q.id.clone() readonly=published
                    on:change=move |e| { let v = event_target_value(&e); ed.reshape(|d| rename_question(d, i, v.trim())); } />
                <label class="label" for=kind_select.clone()>{l.pick("Kind", "Math")}</label>
                <select class="input" id=kind_select on:change=move |e| { let k = event_target_value(&e); ed.reshape(|d| { let new = with_kind(&d.questions[i].kind, &k, d); d.questions[i].kind = new; d.questions[i].positive.clear(); }); }>
                    {KINDS.iter().map(|(id, en, cy)| view! { <option value=*id selected=*id == current_kind>{l.pick(*en, *cy)}</option> }).collect_view()}
                </select>
                {text_pair(ed, &format!("q-{i}-prompt"), &format!("{field}.prompt"), l.pick("Question", "Cwestiwn"), TextAt::Prompt(i), false)}
                {text_pair(ed, &format!("q-{i}-hint"), &format!("{field}.hint"), l.pick("Hint (optional)", "Awgrym (dewisol)"), TextAt::Hint(i), false)}
                <p>
                    <input type="checkbox" class="checkbox" id=format!("q-{i}-required") checked=q.required
                        on:change=move |e| { let on = event_target_checked(&e); ed.edit(|d| d.questions[i].required = on); } />" "
                    <label for=format!("q-{i}-required")>{l.pick("An answer is required", "Mae angen ateb")}</label>
                </p>
                {kind_parts(ed, &q, i, &earlier)}
                {condition(ed, &q, i, &earlier)}
                <label class="label" for=format!("q-{i}-protect")>{l.pick("Protection", "Diogelwch")}</label>
                <select class="input" id=format!("q-{i}-protect") on:change=move |e| { let v = event_target_value(&e); ed.edit(|d| d.questions[i].protect = if v == "cells" { Protect::Cells } else { Protect::Groups }); }>
                    <option value="groups" selected=q.protect == Protect::Groups>{l.pick("Hide groups under k", "Cuddio grwpiau o dan k")}</option>
                    <option value="cells" selected=q.protect == Protect::Cells>{l.pick("Also hide a group where any answer has fewer than k", "Hefyd cuddio grŵp lle mae gan unrhyw ateb lai na k")}</option>
                </select>
                <p class="actions">
                    <button type="button" class="button button--secondary" id=format!("q-{i}-up") disabled=i == 0
                        on:click=move |_| moved(i - 1)>{l.pick("Move up", "Symud i fyny")}<span class="visually-hidden">{format!(": {label}")}</span></button>" "
                    <button type="button" class="button button--secondary" id=format!("q-{i}-down") disabled=i + 1 == count
                        on:click=move |_| moved(i + 1)>{l.pick("Move down", "Symud i lawr")}<span class="visually-hidden">{format!(": {label}")}</span></button>" "
                    <button type="button" class="button button--secondary" id=format!("q-{i}-remove")
                        on:click=move |_| ed.reshape(|d| { d.questions.remove(i); })>{l.pick("Remove", "Dileu")}<span class="visually-hidden">{format!(": {label}")}</span></button>
                </p>
            </fieldset>
        </li>
    }
}

/// Gives question `i` the id `to`, and the conditions and consents that name it too.
pub(super) fn rename_question(d: &mut SurveyDefinition, i: usize, to: &str) {
    let from = d.questions[i].id.clone();
    d.questions[i].id = to.to_string();
    for q in &mut d.questions {
        if let Some(c) = q.show_if.as_mut().filter(|c| c.question == from) {
            c.question = to.to_string();
        }
        if let QuestionKind::Consent { of, .. } = &mut q.kind {
            if *of == from {
                *of = to.to_string();
            }
        }
    }
}

/// What only some kinds have: options or rows, a scale, limits, the text a consent is for.
pub(super) fn kind_parts(ed: Ed, q: &Question, i: usize, earlier: &[Question]) -> impl IntoView {
    let l = ed.l;
    match &q.kind {
        QuestionKind::SingleChoice { options } => {
            leptos::either::EitherOf5::A(choice_list(ed, i, options, true, &q.positive, l.pick("Options", "Opsiynau")))
        }
        QuestionKind::MultipleChoice { options, max } => leptos::either::EitherOf5::B(view! {
            {choice_list(ed, i, options, false, &[], l.pick("Options", "Opsiynau"))}
            <label class="label" for=format!("q-{i}-max")>{l.pick("Most answers one person may choose (optional)", "Y nifer fwyaf o atebion y caiff un person eu dewis (dewisol)")}</label>
            <input class="input input--short" type="number" id=format!("q-{i}-max") value=max.map(|m| m.to_string()).unwrap_or_default()
                on:input=move |e| { let v = event_target_value(&e); ed.edit(|d| if let QuestionKind::MultipleChoice { max, .. } = &mut d.questions[i].kind { *max = v.trim().parse().ok(); }); } />
        }),
        QuestionKind::LikertMatrix { rows, .. } => leptos::either::EitherOf5::C(view! {
            {choice_list(ed, i, rows, false, &[], l.pick("Statements", "Datganiadau"))}
            <fieldset class="fieldset">
                <legend><h4>{l.pick("Scale, from 1 to 5", "Graddfa, o 1 i 5")}</h4></legend>
                {(0..5).map(|p| text_pair(ed, &format!("q-{i}-scale-{p}"), &format!("questions.{}.scale.{}", q.id, p + 1),
                    &format!("{} {}", l.pick("Point", "Pwynt"), p + 1), TextAt::Scale(i, p), false)).collect_view()}
            </fieldset>
        }),
        QuestionKind::FreeText { max_words, media } => leptos::either::EitherOf5::D(view! {
            <label class="label" for=format!("q-{i}-words")>{l.pick("Most words", "Y nifer fwyaf o eiriau")}</label>
            <input class="input input--short" type="number" id=format!("q-{i}-words") value=max_words.to_string()
                on:input=move |e| { let v = event_target_value(&e); ed.edit(|d| if let QuestionKind::FreeText { max_words, .. } = &mut d.questions[i].kind { *max_words = v.trim().parse().unwrap_or(0); }); } />
            <p>
                <input type="checkbox" class="checkbox" id=format!("q-{i}-media") checked=*media
                    on:change=move |e| { let on = event_target_checked(&e); ed.edit(|d| if let QuestionKind::FreeText { media, .. } = &mut d.questions[i].kind { *media = on; }); } />" "
                <label for=format!("q-{i}-media")>{l.pick("May carry a photo or video link with a caption", "Caiff gynnwys dolen llun neu fideo gyda chapsiwn")}</label>
            </p>
        }),
        QuestionKind::Consent { of, .. } => {
            let texts: Vec<String> = earlier
                .iter()
                .filter(|p| matches!(p.kind, QuestionKind::FreeText { .. }))
                .map(|p| p.id.clone())
                .collect();
            let of = of.clone();
            leptos::either::EitherOf5::E(view! {
                <label class="label" for=format!("q-{i}-of")>{l.pick("Consent to share the answer to", "Caniatâd i rannu'r ateb i")}</label>
                <select class="input input--short" id=format!("q-{i}-of") on:change=move |e| { let v = event_target_value(&e); ed.edit(|d| if let QuestionKind::Consent { of, .. } = &mut d.questions[i].kind { *of = v; }); }>
                    <option value="">{l.pick("Choose a free-text question", "Dewiswch gwestiwn testun rhydd")}</option>
                    {texts.into_iter().map(|t| view! { <option value=t.clone() selected=t == of>{t.clone()}</option> }).collect_view()}
                </select>
                {text_pair(ed, &format!("q-{i}-consent"), &format!("questions.{}.label", q.id), l.pick("Tick box's words", "Geiriau'r blwch ticio"), TextAt::Consent(i), false)}
            })
        }
        QuestionKind::ValueTags => leptos::either::EitherOf5::A(choice_list(ed, i, &[], false, &[], "")),
    }
}

/// A question's options (or a matrix's statements): each with its id, words and place.
pub(super) fn choice_list(
    ed: Ed,
    i: usize,
    options: &[Choice],
    scored: bool,
    positive: &[String],
    heading: &str,
) -> impl IntoView {
    let l = ed.l;
    if heading.is_empty() {
        return None;
    }
    let count = options.len();
    let items = options
        .iter()
        .enumerate()
        .map(|(o, c)| {
            let id_box = format!("q-{i}-o-{o}-id");
            let id = c.id.clone();
            let positive_box = format!("q-{i}-o-{o}-positive");
            let is_positive = positive.contains(&c.id);
            let name = c.label.get(l).to_string();
            view! {
                <li class="choice-edit">
                    {text_pair(ed, &format!("q-{i}-o-{o}"), "", &format!("{} {}", l.pick("Option", "Opsiwn"), o + 1), TextAt::Choice(i, o), false)}
                    <label class="label" for=id_box.clone()>{l.pick("Its id", "Ei ddynodydd")}</label>
                    <input class="input input--short" type="text" id=id_box value=c.id.clone()
                        on:change=move |e| { let v = event_target_value(&e); ed.reshape(|d| if let Some(cs) = choices(&mut d.questions[i].kind) { cs[o].id = v.trim().to_string(); }); } />
                    {scored.then(|| view! {
                        <p>
                            <input type="checkbox" class="checkbox" id=positive_box.clone() checked=is_positive on:change={let id = id.clone(); move |e| {
                                let on = event_target_checked(&e);
                                let id = id.clone();
                                ed.edit(|d| { let p = &mut d.questions[i].positive; p.retain(|x| *x != id); if on { p.push(id); } });
                            }} />" "
                            <label for=positive_box>{l.pick("Counts as positive in the score", "Yn cyfrif yn gadarnhaol yn y sgôr")}</label>
                        </p>
                    })}
                    <p class="actions">
                        <button type="button" class="button button--secondary" disabled=o == 0 id=format!("q-{i}-o-{o}-up")
                            on:click=move |_| { ed.reshape(|d| if let Some(cs) = choices(&mut d.questions[i].kind) { cs.swap(o, o - 1); }); focus_later(format!("q-{i}-o-{}-{}", o - 1, keep_focus(o, o - 1, count))); }>
                            {l.pick("Move up", "Symud i fyny")}<span class="visually-hidden">{format!(": {name}")}</span></button>" "
                        <button type="button" class="button button--secondary" disabled=o + 1 == count id=format!("q-{i}-o-{o}-down")
                            on:click=move |_| { ed.reshape(|d| if let Some(cs) = choices(&mut d.questions[i].kind) { cs.swap(o, o + 1); }); focus_later(format!("q-{i}-o-{}-{}", o + 1, keep_focus(o, o + 1, count))); }>
                            {l.pick("Move down", "Symud i lawr")}<span class="visually-hidden">{format!(": {name}")}</span></button>" "
                        <button type="button" class="button button--secondary"
                            on:click=move |_| ed.reshape(|d| if let Some(cs) = choices(&mut d.questions[i].kind) { cs.remove(o); })>
                            {l.pick("Remove", "Dileu")}<span class="visually-hidden">{format!(": {name}")}</span></button>
                    </p>
                </li>
            }
        })
        .collect_view();
    let heading = heading.to_string();
    Some(view! {
        <fieldset class="fieldset">
            <legend><h4>{heading}</h4></legend>
            <ol class="plain">{items}</ol>
            <button type="button" class="button button--secondary" id=format!("q-{i}-add-option") on:click=move |_| {
                ed.reshape(|d| if let Some(cs) = choices(&mut d.questions[i].kind) {
                    let taken: Vec<&str> = cs.iter().map(|c| c.id.as_str()).collect();
                    let id = unique_slug(&format!("option {}", taken.len() + 1), &taken);
                    cs.push(Choice { id, label: Text::default() });
                });
                focus_later(format!("q-{i}-o-{}-en", count));
            }>{l.pick("Add an option", "Ychwanegu opsiwn")}</button>
        </fieldset>
    })
}

/// When the question is shown: always, or after an earlier answer.
pub(super) fn condition(ed: Ed, q: &Question, i: usize, earlier: &[Question]) -> impl IntoView {
    let l = ed.l;
    let on = q.show_if.clone();
    let after = on.as_ref().and_then(|c| earlier.iter().find(|p| p.id == c.question)).cloned();
    let values: Vec<String> =
        after.as_ref().map(|p| p.kind.option_ids().into_iter().map(String::from).collect()).unwrap_or_default();
    let equals = on.as_ref().and_then(|c| c.equals.clone()).unwrap_or_default();
    let asked = on.as_ref().map(|c| c.question.clone()).unwrap_or_default();
    view! {
        <label class="label" for=format!("q-{i}-if")>{l.pick("Show it", "Ei ddangos")}</label>
        <select class="input" id=format!("q-{i}-if") on:change=move |e| {
            let v = event_target_value(&e);
            ed.reshape(|d| d.questions[i].show_if = (!v.is_empty()).then_some(ShowIf { question: v, equals: None }));
        }>
            <option value="">{l.pick("Always", "Bob amser")}</option>
            {earlier.iter().map(|p| view! { <option value=p.id.clone() selected=p.id == asked>{format!("{} {}", l.pick("After an answer to", "Ar ôl ateb i"), p.prompt.get(l))}</option> }).collect_view()}
        </select>
        {after.map(|_| view! {
            <label class="label" for=format!("q-{i}-equals")>{l.pick("That answer is", "Yr ateb hwnnw yw")}</label>
            <select class="input input--short" id=format!("q-{i}-equals") on:change=move |e| {
                let v = event_target_value(&e);
                ed.edit(|d| if let Some(c) = d.questions[i].show_if.as_mut() { c.equals = Some(v).filter(|v| !v.is_empty()); });
            }>
                <option value="">{l.pick("Any answer", "Unrhyw ateb")}</option>
                {values.into_iter().map(|v| view! { <option value=v.clone() selected=v == equals>{v.clone()}</option> }).collect_view()}
            </select>
        })}
    }
}
