//! One draft in the editor: every part of the definition, English and Welsh side by side, with
//! `SurveyDefinition::check`'s messages beside their fields as the admin types; saved on the server
//! a moment after each change; previewed with the real widget; published.
//!
//! Text fields write into the definition as they are typed and are not drawn again; a change of
//! shape (a question added, moved, removed or given another kind, an id changed) draws the form
//! again from the definition.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pulse_shared::bank;
use pulse_shared::draft::{
    contexts_from_names, list_columns, names_in_list, unique_slug, Changes, Draft, DraftPublish, DraftSave, DraftState,
};
use pulse_shared::{Choice, DefinitionError, Lang, Protect, Question, QuestionKind, ShowIf, SurveyDefinition, Text};
use wasm_bindgen::JsCast;

use super::title;
use crate::api::{self, Fail};
use crate::shell::App;

/// Where a piece of text is in the definition.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TextAt {
    Title,
    Intro,
    Context(usize),
    Prompt(usize),
    Hint(usize),
    Choice(usize, usize),
    Scale(usize, usize),
    Consent(usize),
}

impl TextAt {
    fn in_def(self, d: &mut SurveyDefinition) -> Option<&mut Text> {
        match self {
            TextAt::Title => Some(&mut d.title),
            TextAt::Intro => Some(&mut d.intro),
            TextAt::Context(i) => d.contexts.get_mut(i).map(|c| &mut c.label),
            TextAt::Prompt(q) => d.questions.get_mut(q).map(|q| &mut q.prompt),
            TextAt::Hint(q) => d.questions.get_mut(q).map(|q| q.hint.get_or_insert_with(Text::default)),
            TextAt::Choice(q, o) => d
                .questions
                .get_mut(q)
                .and_then(|q| choices(&mut q.kind))
                .and_then(|c| c.get_mut(o))
                .map(|c| &mut c.label),
            TextAt::Scale(q, p) => match d.questions.get_mut(q).map(|q| &mut q.kind) {
                Some(QuestionKind::LikertMatrix { scale, .. }) => scale.get_mut(p),
                _ => None,
            },
            TextAt::Consent(q) => match d.questions.get_mut(q).map(|q| &mut q.kind) {
                Some(QuestionKind::Consent { label, .. }) => Some(label),
                _ => None,
            },
        }
    }
}

/// A question's options, or a matrix's rows.
fn choices(kind: &mut QuestionKind) -> Option<&mut Vec<Choice>> {
    match kind {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => Some(options),
        QuestionKind::LikertMatrix { rows, .. } => Some(rows),
        _ => None,
    }
}

/// The kinds of question, as the editor names them.
const KINDS: [(&str, &str, &str); 6] = [
    ("single_choice", "One answer from a list", "Un ateb o restr"),
    ("multiple_choice", "Any answers from a list", "Unrhyw atebion o restr"),
    ("likert_matrix", "Statements on a 5-point scale", "Datganiadau ar raddfa 5 pwynt"),
    ("free_text", "Free text", "Testun rhydd"),
    ("value_tags", "Tags of the six NHS values", "Tagiau o chwe gwerth y GIG"),
    ("consent", "Consent to share a free-text answer", "Caniatâd i rannu ateb testun rhydd"),
];

/// A question of `kind` in place of `old`, keeping its options where both take a list.
fn with_kind(old: &QuestionKind, kind: &str, def: &SurveyDefinition) -> QuestionKind {
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

/// Whether the draft differs from what the server has.
#[derive(Debug, Clone, PartialEq)]
enum Saving {
    Saved,
    Unsaved,
    Saving,
    /// Another admin saved first: the server's sentence.
    Conflict(String),
    Failed(String),
}

/// Everything the editor's parts share.
#[derive(Clone, Copy)]
struct Ed {
    l: Lang,
    def: RwSignal<SurveyDefinition>,
    /// Drawn again when this changes.
    shape: RwSignal<u32>,
    revision: RwSignal<u64>,
    saving: RwSignal<Saving>,
    saved_by: RwSignal<String>,
    problems: Memo<Vec<DefinitionError>>,
    published: RwSignal<Option<SurveyDefinition>>,
    based_on: StoredValue<Option<u32>>,
    headcounts: StoredValue<Vec<(String, u64)>>,
    notice: RwSignal<Option<String>>,
    /// A counter of edits: a save waits until no edit came for a moment.
    edits: StoredValue<u32>,
}

impl Ed {
    fn id(self) -> String {
        self.def.with_untracked(|d| d.id.clone())
    }

    /// Changes the definition without drawing the form again, and saves soon.
    fn edit(self, f: impl FnOnce(&mut SurveyDefinition)) {
        self.def.update(f);
        self.changed();
    }

    /// Changes the definition's shape: the form is drawn again, and the focus goes back to the
    /// field that had it (fields are named by their place, so it is there again).
    fn reshape(self, f: impl FnOnce(&mut SurveyDefinition)) {
        let focused = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .map(|el| el.id())
            .filter(|id| !id.is_empty());
        self.edit(f);
        self.shape.update(|n| *n += 1);
        if let Some(id) = focused {
            focus_later(id);
        }
    }

    /// Once its English words are written, a question or option that still has the id it was
    /// added with takes one made from them; published ones keep theirs.
    fn name_from(self, at: TextAt, words: String) {
        if words.trim().is_empty() {
            return;
        }
        // After the focus has moved on (`change` comes before it), so it is put back where it went.
        let later = wasm_bindgen::closure::Closure::once_into_js(move || self.name_now(at, &words));
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 0);
    }

    fn name_now(self, at: TextAt, words: &str) {
        let placeholder = |id: &str, stem: &str| {
            id.strip_prefix(stem).is_some_and(|rest| rest.trim_start_matches('_').bytes().all(|b| b.is_ascii_digit()))
        };
        let (q, o) = match at {
            TextAt::Prompt(q) => (q, None),
            TextAt::Choice(q, o) => (q, Some(o)),
            _ => return,
        };
        let Some(question) = self.def.with_untracked(|d| d.questions.get(q).cloned()) else { return };
        if self.is_published(&question.id) {
            return;
        }
        match o {
            None if placeholder(&question.id, "question") => self.reshape(|d| {
                let taken: Vec<String> = d.questions.iter().map(|q| q.id.clone()).collect();
                let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
                let id = unique_slug(words, &taken);
                rename_question(d, q, &id);
            }),
            Some(o) => {
                let mut kind = question.kind.clone();
                let Some(options) = choices(&mut kind) else { return };
                if options.get(o).is_none_or(|c| !placeholder(&c.id, "option")) {
                    return;
                }
                let taken: Vec<&str> = options.iter().map(|c| c.id.as_str()).collect();
                let id = unique_slug(words, &taken);
                self.reshape(|d| {
                    if let Some(cs) = choices(&mut d.questions[q].kind) {
                        cs[o].id = id;
                    }
                });
            }
            None => {}
        }
    }

    fn changed(self) {
        if matches!(self.saving.get_untracked(), Saving::Conflict(_)) {
            return;
        }
        self.saving.set(Saving::Unsaved);
        let mine = self.edits.get_value() + 1;
        self.edits.set_value(mine);
        let later = wasm_bindgen::closure::Closure::once_into_js(move || {
            if self.edits.get_value() == mine {
                spawn_local(async move {
                    let _ = self.save(false).await;
                });
            }
        });
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 1500);
    }

    /// Saves the draft on top of the revision it started from (over another admin's, when `over`).
    async fn save(self, over: bool) -> Result<(), Fail> {
        if self.saving.get_untracked() == Saving::Saved && !over {
            return Ok(());
        }
        let revision = self.revision.get_untracked();
        let definition = self.def.get_untracked();
        let path = format!("/api/v1/drafts/{}", api::enc(&definition.id));
        let save = DraftSave { revision, based_on: self.based_on.get_value(), definition };
        let edits_before = self.edits.get_value();
        self.saving.set(Saving::Saving);
        match api::send::<_, Draft>("PUT", &path, &save).await {
            Ok(draft) => {
                self.revision.set(draft.revision);
                self.saved_by.set(format!("{} {}", draft.saved_by, draft.saved_at));
                let typed_since = self.edits.get_value() != edits_before;
                self.saving.set(if typed_since { Saving::Unsaved } else { Saving::Saved });
                Ok(())
            }
            Err(Fail::Refused { message, details }) if message.contains("after you opened") => {
                self.saving.set(Saving::Conflict(message.clone()));
                Err(Fail::Refused { message, details })
            }
            Err(fail) => {
                self.saving.set(Saving::Failed(fail.message()));
                Err(fail)
            }
        }
    }

    /// Takes the server's version of the draft in place of this one.
    async fn reload(self) {
        let path = format!("/api/v1/drafts/{}", api::enc(&self.id()));
        if let Ok(state) = api::get::<DraftState>(&path).await {
            self.revision.set(state.draft.revision);
            self.saved_by.set(format!("{} {}", state.draft.saved_by, state.draft.saved_at));
            self.def.set(state.draft.definition);
            self.saving.set(Saving::Saved);
            self.shape.update(|n| *n += 1);
        }
    }

    /// Check's messages for `field` exactly, or for it and everything under it.
    fn messages(self, field: String, under: bool) -> impl IntoView {
        move || {
            let mine: Vec<String> = self.problems.with(|p| {
                p.iter()
                    .filter(|e| e.field == field || (under && e.field.starts_with(&format!("{field}."))))
                    .map(|e| e.message.clone())
                    .collect()
            });
            (!mine.is_empty()).then(|| {
                view! { <ul class="field-errors">{mine.into_iter().map(|m| view! { <li class="error-message">{m}</li> }).collect_view()}</ul> }
            })
        }
    }

    fn is_published(self, question: &str) -> bool {
        self.published.with_untracked(|p| p.as_ref().is_some_and(|p| p.question(question).is_some()))
    }
}

/// The anchor of a check message's field, for the summary's links.
fn anchor(field: &str) -> String {
    let mut parts = field.split('.');
    match (parts.next(), parts.next()) {
        (Some("questions"), Some(id)) => format!("#f-q-{id}"),
        (Some("contexts"), _) => "#f-contexts".into(),
        (Some(first), _) => format!("#f-{first}"),
        _ => "#main".into(),
    }
}

pub fn view(app: App, l: Lang, state: DraftState) -> impl IntoView {
    let def = RwSignal::new(state.draft.definition.clone());
    let problems = Memo::new(move |_| {
        let mut d = def.get();
        // The version is set when it is published; the rest is checked as the server will.
        d.version = d.version.max(1);
        d.check()
    });
    let ed = Ed {
        l,
        def,
        shape: RwSignal::new(0),
        revision: RwSignal::new(state.draft.revision),
        saving: RwSignal::new(Saving::Saved),
        saved_by: RwSignal::new(format!("{} {}", state.draft.saved_by, state.draft.saved_at)),
        problems,
        published: RwSignal::new(state.published.clone()),
        based_on: StoredValue::new(state.draft.based_on),
        headcounts: StoredValue::new(state.headcounts.clone()),
        notice: RwSignal::new(None),
        edits: StoredValue::new(0),
    };
    let heading = state.draft.definition.title.get(l).to_string();
    let heading = format!(
        "{}: {}",
        l.pick("Edit survey", "Golygu arolwg"),
        if heading.is_empty() { state.draft.definition.id.clone() } else { heading }
    );
    let status = move || match ed.saving.get() {
        Saving::Saved if ed.revision.get() == 0 => {
            l.pick("Published version, no changes yet.", "Fersiwn gyhoeddedig, dim newidiadau eto.").to_string()
        }
        Saving::Saved => {
            format!("{} {} ({})", l.pick("Draft saved", "Drafft wedi'i gadw"), ed.revision.get(), ed.saved_by.get())
        }
        Saving::Unsaved => l.pick("Changes not saved yet…", "Newidiadau heb eu cadw eto…").to_string(),
        Saving::Saving => l.pick("Saving…", "Yn cadw…").to_string(),
        Saving::Conflict(_) => l
            .pick("Not saved: another admin saved this draft.", "Heb ei gadw: cadwodd gweinyddwr arall y drafft hwn.")
            .to_string(),
        Saving::Failed(why) => format!("{} {why}", l.pick("Not saved:", "Heb ei gadw:")),
    };
    let conflict = move || match ed.saving.get() {
        Saving::Conflict(why) => Some(view! {
            <div class="error-summary" role="alert" tabindex="-1" data-focus="">
                <h2>{l.pick("Another admin saved this draft", "Mae gweinyddwr arall wedi cadw'r drafft hwn")}</h2>
                <p>{why}</p>
                <p>
                    <button type="button" class="button button--secondary" on:click=move |_| spawn_local(ed.reload())>
                        {l.pick("Load their version", "Llwytho eu fersiwn nhw")}</button>" "
                    <button type="button" class="button button--secondary" on:click=move |_| spawn_local(async move {
                        // Over theirs: on top of the revision the server has now.
                        let path = format!("/api/v1/drafts/{}", api::enc(&ed.id()));
                        if let Ok(state) = api::get::<DraftState>(&path).await {
                            ed.revision.set(state.draft.revision);
                            ed.saving.set(Saving::Unsaved);
                            let _ = ed.save(true).await;
                        }
                    })>{l.pick("Save mine over it", "Cadw fy un i drosto")}</button>
                </p>
            </div>
        }),
        _ => None,
    };
    let summary = move || {
        let all = ed.problems.get();
        (!all.is_empty()).then(|| {
            let count = all.len();
            view! {
                <div class="error-summary" id="check-summary">
                    <h2>{format!("{count} {}", if count == 1 { l.pick("thing to fix before publishing", "peth i'w gywiro cyn cyhoeddi") } else { l.pick("things to fix before publishing", "o bethau i'w cywiro cyn cyhoeddi") })}</h2>
                    <ul>{all.into_iter().map(|e| view! { <li><a href=anchor(&e.field)>{format!("{}: {}", e.field, e.message)}</a></li> }).collect_view()}</ul>
                </div>
            }
        })
    };
    let _ = app;
    view! {
        <p><a href="#/">{l.pick("All surveys and drafts", "Pob arolwg a drafft")}</a></p>
        {title(&heading)}
        <p class="hint" role="status" id="save-status">{status}</p>
        {discard(ed)}
        {conflict}
        {move || ed.notice.get().map(|n| view! { <div class="card notice" role="status">{n}</div> })}
        <div aria-live="polite">{summary}</div>
        // Keyed by the shape: each change of shape makes new elements, rather than patching the
        // old ones, whose inputs hold what was typed and would keep it.
        <For each=move || [ed.shape.get()] key=|n| *n children=move |_| form(ed) />
        {super::embed::preview(ed.l, ed.def)}
        {publish_part(ed)}
        {files(ed)}
        {super::embed::snippets(ed.l, ed.def, ed.published, move |origin| {
            ed.reshape(|d| if !d.allowed_origins.contains(&origin) { d.allowed_origins.push(origin) });
        })}
    }
}

/// Discarding the draft, once asked twice; the published survey, if any, stays as it is.
fn discard(ed: Ed) -> impl IntoView {
    let l = ed.l;
    let asked = RwSignal::new(false);
    let go = move |_| {
        spawn_local(async move {
            let path = format!("/api/v1/drafts/{}?revision={}", api::enc(&ed.id()), ed.revision.get_untracked());
            match api::send_only("DELETE", &path, api::Body::Empty).await {
                Ok(()) => crate::shell::go("#/"),
                Err(fail) => {
                    ed.notice.set(Some(format!("{} {}", l.pick("Not discarded:", "Heb ei daflu:"), fail.message())))
                }
            }
        });
    };
    move || {
        (ed.revision.get() > 0).then(|| {
            if asked.get() {
                leptos::either::Either::Left(view! {
                    <p role="alert">{l.pick("Discard every change in this draft? The published survey, if any, stays as it is.",
                        "Taflu pob newid yn y drafft hwn? Mae'r arolwg cyhoeddedig, os oes un, yn aros fel y mae.")}" "
                        <button type="button" class="button button--secondary" id="discard-yes" on:click=go>{l.pick("Discard the draft", "Taflu'r drafft")}</button>" "
                        <button type="button" class="button button--secondary" on:click=move |_| asked.set(false)>{l.pick("Keep it", "Ei gadw")}</button>
                    </p>
                })
            } else {
                leptos::either::Either::Right(view! {
                    <p><button type="button" class="link-button" id="discard" on:click=move |_| { asked.set(true); focus_later("discard-yes".into()); }>
                        {l.pick("Discard this draft", "Taflu'r drafft hwn")}</button></p>
                })
            }
        })
    }
}

/// The whole form, drawn from the definition as it is now.
fn form(ed: Ed) -> impl IntoView {
    let l = ed.l;
    let d = ed.def.get_untracked();
    let questions = (0..d.questions.len()).map(|i| question(ed, &d, i)).collect_view();
    let bank_items = bank::items();
    let add_kind = RwSignal::new("single_choice".to_string());
    let add_bank = RwSignal::new(bank_items.first().map(|i| i.id().to_string()).unwrap_or_default());
    view! {
        <section class="card" aria-labelledby="survey-part">
            <h2 id="survey-part">{l.pick("The survey", "Yr arolwg")}</h2>
            <p>{format!("{} {}", l.pick("Id:", "Dynodydd:"), d.id)}</p>
            {text_pair(ed, "f-title", "title", l.pick("Title", "Teitl"), TextAt::Title, false)}
            {text_pair(ed, "f-intro", "intro", l.pick("Introduction", "Cyflwyniad"), TextAt::Intro, true)}
            {welsh_note(ed)}
            <div id="f-k">
                <label class="label" for="k">{l.pick("Smallest group shown (k)", "Y grŵp lleiaf a ddangosir (k)")}</label>
                <p class="hint">{l.pick("Groups with fewer answers are hidden. At least 5; 10 is usual.", "Mae grwpiau gyda llai o atebion wedi'u cuddio. O leiaf 5; 10 sy'n arferol.")}</p>
                <input class="input input--short" id="k" type="number" min="5" value=d.k.to_string()
                    on:input=move |e| { let v = event_target_value(&e); ed.edit(|d| d.k = v.trim().parse().unwrap_or(0)); } />
                {ed.messages("k".into(), false)}
            </div>
            <div id="f-k_text">
                <label class="label" for="k-text">{l.pick("Responses before stories are listed (optional)", "Ymatebion cyn rhestru straeon (dewisol)")}</label>
                <input class="input input--short" id="k-text" type="number" value=d.k_text.map(|k| k.to_string()).unwrap_or_default()
                    on:input=move |e| { let v = event_target_value(&e); ed.edit(|d| d.k_text = v.trim().parse().ok()); } />
                {ed.messages("k_text".into(), false)}
            </div>
            <div id="f-opens">
                <label class="label" for="opens">{l.pick("Opens on (optional)", "Yn agor ar (dewisol)")}</label>
                <input class="input input--short" id="opens" type="date" value=d.opens.map(|d| d.to_string()).unwrap_or_default()
                    on:input=move |e| { let v = event_target_value(&e); ed.edit(|d| d.opens = v.parse().ok()); } />
            </div>
            <div id="f-closes">
                <label class="label" for="closes">{l.pick("Closes after (optional)", "Yn cau ar ôl (dewisol)")}</label>
                <input class="input input--short" id="closes" type="date" value=d.closes.map(|d| d.to_string()).unwrap_or_default()
                    on:input=move |e| { let v = event_target_value(&e); ed.edit(|d| d.closes = v.parse().ok()); } />
                {ed.messages("closes".into(), false)}
            </div>
            {lines(ed, "f-allowed_origins", "allowed_origins", l.pick("Intranet addresses that may show the survey, one per line", "Cyfeiriadau mewnrwyd a gaiff ddangos yr arolwg, un i bob llinell"),
                l.pick("Like https://intranet.example.nhs.uk", "Fel https://intranet.example.nhs.uk"), d.allowed_origins.clone(), |d, v| d.allowed_origins = v)}
            <div id="f-privacy_url">
                <label class="label" for="privacy">{l.pick("Your privacy notice (optional)", "Eich hysbysiad preifatrwydd (dewisol)")}</label>
                <input class="input" id="privacy" type="url" value=d.privacy_url.clone().unwrap_or_default()
                    on:input=move |e| { let v = event_target_value(&e); ed.edit(|d| d.privacy_url = Some(v.trim().to_string()).filter(|v| !v.is_empty())); } />
                {ed.messages("privacy_url".into(), false)}
            </div>
            {lines(ed, "f-media_hosts", "media_hosts", l.pick("Hosts a story's photo or video link may point to, one per line", "Gwesteiwyr y caiff dolen llun neu fideo stori bwyntio atynt, un i bob llinell"),
                l.pick("Like trust.sharepoint.com", "Fel trust.sharepoint.com"), d.media_hosts.clone(), |d, v| d.media_hosts = v)}
        </section>
        {contexts(ed, &d)}
        <section aria-labelledby="questions-part">
            <h2 id="questions-part">{l.pick("Questions", "Cwestiynau")}</h2>
            {ed.messages("questions".into(), false)}
            <ol class="plain questions-edit">{questions}</ol>
            <div class="card">
                <label class="label" for="add-kind">{l.pick("Add a question of your own", "Ychwanegu cwestiwn eich hun")}</label>
                <select class="input" id="add-kind" on:change=move |e| add_kind.set(event_target_value(&e))>
                    {KINDS.iter().map(|(id, en, cy)| view! { <option value=*id>{l.pick(*en, *cy)}</option> }).collect_view()}
                </select>" "
                <button type="button" class="button button--secondary" id="add-question" on:click=move |_| {
                    let kind = add_kind.get_untracked();
                    ed.reshape(|d| {
                        let taken: Vec<&str> = d.questions.iter().map(|q| q.id.as_str()).collect();
                        let id = unique_slug("question", &taken);
                        let kind = with_kind(&QuestionKind::SingleChoice { options: Vec::new() }, &kind, d);
                        d.questions.push(Question { id, prompt: Text::default(), hint: None, required: false, show_if: None,
                            protect: Protect::Groups, positive: Vec::new(), bank: None, kind });
                    });
                    focus_later(format!("q-{}-prompt-en", ed.def.with_untracked(|d| d.questions.len() - 1)));
                }>{l.pick("Add question", "Ychwanegu cwestiwn")}</button>
                <label class="label" for="add-bank">{l.pick("Or add one from the question bank", "Neu ychwanegu un o'r banc cwestiynau")}</label>
                <select class="input" id="add-bank" on:change=move |e| add_bank.set(event_target_value(&e))>
                    {bank_items.iter().map(|i| view! { <option value=i.id().to_string()>{format!("{} — {}", i.question.prompt.get(l), i.source.describe(l))}</option> }).collect_view()}
                </select>" "
                <button type="button" class="button button--secondary" id="add-from-bank" on:click=move |_| {
                    let Some(item) = bank::item(&add_bank.get_untracked()) else { return };
                    ed.reshape(|d| {
                        let mut q = item.question.clone();
                        let taken: Vec<&str> = d.questions.iter().map(|q| q.id.as_str()).collect();
                        q.id = unique_slug(&q.id, &taken);
                        d.questions.push(q);
                    });
                }>{l.pick("Add from the bank", "Ychwanegu o'r banc")}</button>
            </div>
        </section>
    }
}

/// Which of the moved item's buttons keeps the focus after a move from `from` to `to` of `count`:
/// the one pressed, unless the item is now at the end it moved towards, where that button is off.
fn keep_focus(from: usize, to: usize, count: usize) -> &'static str {
    match (to < from, to == 0, to + 1 == count) {
        (true, false, _) => "up",
        (true, true, _) => "down",
        (false, _, false) => "down",
        (false, _, true) => "up",
    }
}

/// Focuses the element `id` once the form has been drawn again.
fn focus_later(id: String) {
    let later = wasm_bindgen::closure::Closure::once_into_js(move || {
        let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id));
        if let Some(el) = el.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
    let _ = web_sys::window().expect("a window").request_animation_frame(later.unchecked_ref());
}

/// A piece of text in English and Welsh side by side, with its Welsh marked when missing.
fn text_pair(ed: Ed, dom: &str, field: &str, label: &str, at: TextAt, long: bool) -> impl IntoView {
    let l = ed.l;
    let now = ed.def.with_untracked(|d| {
        let mut d = d.clone();
        at.in_def(&mut d).cloned().unwrap_or_default()
    });
    let missing = Memo::new(move |_| {
        ed.def.with(|d| {
            let mut d = d.clone();
            let text = at.in_def(&mut d).cloned().unwrap_or_default();
            let welsh_survey = d.texts().iter().any(|(_, t)| t.cy.as_deref().is_some_and(|c| !c.trim().is_empty()));
            welsh_survey && text.cy.as_deref().is_none_or(|c| c.trim().is_empty())
        })
    });
    let input = move |lang: Lang, value: String| {
        let id = format!("{dom}-{}", lang.code());
        let write = move |e: leptos::ev::Event| {
            let v = event_target_value(&e);
            ed.edit(|d| {
                if let Some(t) = at.in_def(d) {
                    match lang {
                        Lang::En => t.en = v,
                        Lang::Cy => t.cy = Some(v).filter(|v| !v.is_empty()),
                    }
                }
            });
        };
        let name = format!("{label} ({})", lang.name_in(l));
        let marked = move || {
            (lang == Lang::Cy && missing.get())
                .then(|| view! { <strong class="tag tag--missing">{l.pick("Welsh missing", "Dim Cymraeg")}</strong> })
        };
        let box_ = if long {
            leptos::either::Either::Left(
                view! { <textarea class="input textarea" id=id.clone() rows="3" lang=lang.code() on:input=write>{value}</textarea> },
            )
        } else {
            leptos::either::Either::Right(
                view! { <input class="input" type="text" id=id.clone() lang=lang.code() value=value on:input=write
                on:change=move |e| if lang == Lang::En { ed.name_from(at, event_target_value(&e)) } /> },
            )
        };
        view! {
            <div class="pair__one">
                <label class="label" for=id>{name}" "{marked}</label>
                {box_}
            </div>
        }
    };
    let dom_id = dom.to_string();
    view! {
        <div class="pair" id=dom_id>
            {input(Lang::En, now.en.clone())}
            {input(Lang::Cy, now.cy.clone().unwrap_or_default())}
        </div>
        {ed.messages(field.to_string(), true)}
    }
}

/// How many texts lack their Welsh, and the rule that offers the survey in Welsh.
fn welsh_note(ed: Ed) -> impl IntoView {
    let l = ed.l;
    move || {
        let (missing, total) = ed.def.with(|d| {
            let texts = d.texts();
            let missing = texts.iter().filter(|(_, t)| t.cy.as_deref().is_none_or(|c| c.trim().is_empty())).count();
            (missing, texts.len())
        });
        let text = if missing == 0 {
            l.pick(
                "Every text has its Welsh: staff can read the survey in Welsh.",
                "Mae gan bob testun ei Gymraeg: gall staff ddarllen yr arolwg yn Gymraeg.",
            )
            .to_string()
        } else if missing == total {
            l.pick(
                "English only. Add Welsh to every text to offer the survey in Welsh.",
                "Saesneg yn unig. Ychwanegwch Gymraeg i bob testun i gynnig yr arolwg yn Gymraeg.",
            )
            .to_string()
        } else {
            format!("{missing} {}", l.pick("texts still need their Welsh: the survey is offered in Welsh only when every text has it.",
                "o destunau sydd angen eu Cymraeg o hyd: cynigir yr arolwg yn Gymraeg dim ond pan fydd gan bob testun ei Gymraeg."))
        };
        view! { <p class="hint" id="welsh-note">{text}</p> }
    }
}

/// A list written one item per line.
fn lines(
    ed: Ed,
    dom: &'static str,
    field: &'static str,
    label: &'static str,
    hint: &'static str,
    now: Vec<String>,
    set: fn(&mut SurveyDefinition, Vec<String>),
) -> impl IntoView {
    let id = format!("{dom}-box");
    view! {
        <div id=dom>
            <label class="label" for=id.clone()>{label}</label>
            <p class="hint">{hint}</p>
            <textarea class="input textarea" id=id rows="3" on:input=move |e| {
                let v: Vec<String> = event_target_value(&e).lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
                ed.edit(|d| set(d, v));
            }>{now.join("\n")}</textarea>
            {ed.messages(field.to_string(), false)}
        </div>
    }
}

/// The contexts, and a list of names to add as contexts.
fn contexts(ed: Ed, d: &SurveyDefinition) -> impl IntoView {
    let l = ed.l;
    let pasted = RwSignal::new(String::new());
    let column = RwSignal::new(None::<usize>);
    let rows = d
        .contexts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let heads = ed.headcounts.with_value(|h| h.iter().find(|(id, _)| *id == c.id).map(|(_, n)| *n));
            view! {
                <li class="card">
                    <p><strong>{format!("{} {}", l.pick("Id:", "Dynodydd:"), c.id)}</strong>
                        {heads.map(|n| format!(" · {} {n}", l.pick("headcount", "cyfrif pennau")))}</p>
                    {text_pair(ed, &format!("ctx-{i}"), &format!("contexts.{}", c.id), l.pick("Name", "Enw"), TextAt::Context(i), false)}
                    <button type="button" class="button button--secondary" on:click=move |_| ed.reshape(|d| { d.contexts.remove(i); })>
                        {format!("{} {}", l.pick("Remove", "Dileu"), c.label.get(l))}</button>
                </li>
            }
        })
        .collect_view();
    let columns = move || list_columns(&pasted.get());
    view! {
        <section aria-labelledby="contexts-part" id="f-contexts">
            <h2 id="contexts-part">{l.pick("Contexts (directorates or teams)", "Cyd-destunau (cyfarwyddiaethau neu dimau)")}</h2>
            <p class="hint">{l.pick("Each page that embeds the survey may name one, and results are shown by them.",
                "Gall pob tudalen sy'n mewnosod yr arolwg enwi un, a dangosir canlyniadau yn ôl y rhain.")}</p>
            {ed.messages("contexts".into(), false)}
            <ul class="plain">{rows}</ul>
            <div class="card">
                <label class="label" for="paste-contexts">{l.pick("Paste names to add, one per line, or a CSV file from ESR", "Gludo enwau i'w hychwanegu, un i bob llinell, neu ffeil CSV o ESR")}</label>
                <textarea class="input textarea" id="paste-contexts" rows="4" on:input=move |e| pasted.set(event_target_value(&e))></textarea>
                <label class="label" for="upload-contexts">{l.pick("Or upload a file", "Neu lwytho ffeil i fyny")}</label>
                <input class="input" type="file" id="upload-contexts" accept=".csv,.txt,text/csv,text/plain" on:change=move |e| {
                    read_file(&e, move |text| {
                        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("paste-contexts")) {
                            if let Ok(area) = el.dyn_into::<web_sys::HtmlTextAreaElement>() { area.set_value(&text); }
                        }
                        pasted.set(text);
                    });
                } />
                {move || {
                    let cols = columns();
                    (!cols.is_empty()).then(|| view! {
                        <label class="label" for="context-column">{l.pick("Column of names", "Colofn yr enwau")}</label>
                        <select class="input input--short" id="context-column" on:change=move |e| column.set(event_target_value(&e).parse().ok())>
                            <option value="">{l.pick("Choose for me", "Dewis i mi")}</option>
                            {cols.into_iter().enumerate().map(|(i, c)| view! { <option value=i.to_string()>{c}</option> }).collect_view()}
                        </select>
                    })
                }}
                {move || {
                    let names = names_in_list(&pasted.get(), column.get());
                    let new = ed.def.with(|d| contexts_from_names(&names, &d.contexts));
                    (!new.is_empty()).then(|| view! {
                        <p class="hint" id="contexts-preview">{format!("{} {}", l.pick("Will add:", "Bydd yn ychwanegu:"),
                            new.iter().map(|c| format!("{} ({})", c.label.en, c.id)).collect::<Vec<_>>().join(", "))}</p>
                    })
                }}
                <button type="button" class="button button--secondary" id="add-contexts" on:click=move |_| {
                    let names = names_in_list(&pasted.get_untracked(), column.get_untracked());
                    ed.reshape(|d| { let new = contexts_from_names(&names, &d.contexts); d.contexts.extend(new); });
                }>{l.pick("Add these contexts", "Ychwanegu'r cyd-destunau hyn")}</button>
            </div>
        </section>
    }
}

/// Reads the file an `<input type=file>` was given, as text.
fn read_file(e: &leptos::ev::Event, then: impl FnOnce(String) + 'static) {
    let input: web_sys::HtmlInputElement = e.target().expect("a target").unchecked_into();
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
            then(text.as_string().unwrap_or_default());
        }
    });
}

/// One question: its kind, words, options, condition and place.
fn question(ed: Ed, d: &SurveyDefinition, i: usize) -> impl IntoView {
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
fn rename_question(d: &mut SurveyDefinition, i: usize, to: &str) {
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
fn kind_parts(ed: Ed, q: &Question, i: usize, earlier: &[Question]) -> impl IntoView {
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
fn choice_list(
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
fn condition(ed: Ed, q: &Question, i: usize, earlier: &[Question]) -> impl IntoView {
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
            ed.reshape(|d| d.questions[i].show_if = (!v.is_empty()).then(|| ShowIf { question: v, equals: None }));
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

/// What publishing changes for results, and the button that publishes.
fn publish_part(ed: Ed) -> impl IntoView {
    let l = ed.l;
    let changes = Memo::new(move |_| {
        ed.def.with(|d| ed.published.with(|p| ed.headcounts.with_value(|h| Changes::of(d, p.as_ref(), h))))
    });
    let label = |ids: &[String]| ids.join(", ");
    let list = move || {
        let c = changes.get();
        let mut items: Vec<String> = Vec::new();
        if !c.counted_apart.is_empty() {
            items.push(format!(
                "{} {}",
                l.pick(
                    "Counted apart from older versions (their kind, options, condition or requirement changed):",
                    "Wedi'u cyfrif ar wahân i fersiynau hŷn (newidiodd eu math, opsiynau, amod neu ofyniad):"
                ),
                label(&c.counted_apart)
            ));
        }
        if !c.new_questions.is_empty() {
            items.push(format!("{} {}", l.pick("New questions:", "Cwestiynau newydd:"), label(&c.new_questions)));
        }
        if !c.dropped_questions.is_empty() {
            items.push(format!(
                "{} {}",
                l.pick(
                    "No longer asked (their results so far stay):",
                    "Ddim yn cael eu gofyn mwyach (mae eu canlyniadau hyd yma'n aros):"
                ),
                label(&c.dropped_questions)
            ));
        }
        if !c.new_contexts.is_empty() {
            items.push(format!("{} {}", l.pick("New contexts:", "Cyd-destunau newydd:"), label(&c.new_contexts)));
        }
        if !c.dropped_contexts.is_empty() {
            items.push(format!(
                "{} {}",
                l.pick("Contexts gone:", "Cyd-destunau wedi mynd:"),
                label(&c.dropped_contexts)
            ));
        }
        for (context, n) in &c.too_small {
            items.push(format!(
                "{context}: {} {n}, {}",
                l.pick("headcount", "cyfrif pennau"),
                l.pick(
                    "fewer than k, so its results can never be shown on their own.",
                    "llai na k, felly ni ellir byth ddangos ei ganlyniadau ar eu pen eu hunain."
                )
            ));
        }
        if items.is_empty() {
            items.push(l.pick("Nothing changes for results.", "Does dim yn newid i'r canlyniadau.").to_string());
        }
        items.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()
    };
    let blocked = move || !ed.problems.with(Vec::is_empty) || matches!(ed.saving.get(), Saving::Conflict(_));
    let publish = move |_| {
        spawn_local(async move {
            if ed.save(false).await.is_err() {
                return;
            }
            let path = format!("/api/v1/drafts/{}/publish", api::enc(&ed.id()));
            let body = DraftPublish { revision: ed.revision.get_untracked() };
            match api::send::<_, pulse_shared::admin::SurveySummary>("POST", &path, &body).await {
                Ok(summary) => {
                    ed.notice.set(Some(format!(
                        "{} {}.",
                        l.pick("Published as version", "Wedi'i gyhoeddi fel fersiwn"),
                        summary.version
                    )));
                    ed.reload().await;
                    ed.based_on.set_value(Some(summary.version));
                    let published = ed.def.get_untracked();
                    ed.published.set(Some(published));
                    ed.shape.update(|n| *n += 1);
                    crate::shell::focus_first(&[".notice"]);
                }
                Err(fail) => {
                    let details = match &fail {
                        Fail::Refused { details, .. } => details.join("; "),
                        _ => String::new(),
                    };
                    ed.notice.set(Some(format!(
                        "{} {} {details}",
                        l.pick("Not published:", "Heb ei gyhoeddi:"),
                        fail.message()
                    )));
                    crate::shell::focus_first(&[".notice"]);
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="publish-part">
            <h2 id="publish-part">{move || format!("{} {}", l.pick("Publish as version", "Cyhoeddi fel fersiwn"), changes.get().version)}</h2>
            <h3>{l.pick("What changes for results", "Beth sy'n newid i'r canlyniadau")}</h3>
            <ul id="changes">{list}</ul>
            <p class="hint" hidden=move || !blocked()>{l.pick("Fix the things listed at the top before publishing.", "Cywirwch y pethau a restrir ar y brig cyn cyhoeddi.")}</p>
            <button type="button" class="button" id="publish" disabled=blocked on:click=publish>
                {l.pick("Publish", "Cyhoeddi")}</button>
        </section>
    }
}

/// The definition as a file: downloaded as JSON or TOML, or replaced by an uploaded one.
fn files(ed: Ed) -> impl IntoView {
    let l = ed.l;
    let problem = RwSignal::new(None::<String>);
    let download = move |toml: bool| {
        let d = ed.def.get_untracked();
        let (text, kind, ext) = if toml {
            (toml::to_string_pretty(&d).unwrap_or_default(), "application/toml", "toml")
        } else {
            (serde_json::to_string_pretty(&d).unwrap_or_default(), "application/json", "json")
        };
        crate::api::save_text(&text, kind, &format!("{}.{ext}", d.id));
    };
    view! {
        <section class="card" aria-labelledby="files-part">
            <h2 id="files-part">{l.pick("As a file", "Fel ffeil")}</h2>
            <p class="hint">{l.pick("The same format the pulse command imports.", "Yr un fformat ag y mae'r gorchymyn pulse yn ei fewnforio.")}</p>
            <p>
                <button type="button" class="button button--secondary" on:click=move |_| download(false)>{l.pick("Download as JSON", "Lawrlwytho fel JSON")}</button>" "
                <button type="button" class="button button--secondary" on:click=move |_| download(true)>{l.pick("Download as TOML", "Lawrlwytho fel TOML")}</button>
            </p>
            <label class="label" for="upload-definition">{l.pick("Replace the draft with a file (JSON or TOML)", "Disodli'r drafft gyda ffeil (JSON neu TOML)")}</label>
            <input class="input" type="file" id="upload-definition" accept=".json,.toml,application/json,application/toml" on:change=move |e| {
                read_file(&e, move |text| {
                    let parsed: Result<SurveyDefinition, String> = serde_json::from_str(&text)
                        .map_err(|e| e.to_string())
                        .or_else(|_| toml::from_str(&text).map_err(|e| e.to_string()));
                    match parsed {
                        Ok(def) if def.id == ed.id() => { problem.set(None); ed.reshape(|d| *d = def); }
                        Ok(def) => problem.set(Some(format!("{} {:?}", l.pick("That file is for another survey:", "Mae'r ffeil honno ar gyfer arolwg arall:"), def.id))),
                        Err(why) => problem.set(Some(format!("{} {why}", l.pick("That file is not a survey definition:", "Nid diffiniad arolwg yw'r ffeil honno:")))),
                    }
                });
            } />
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        </section>
    }
}
