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
use pulse_shared::draft::{unique_slug, Draft, DraftSave, DraftState};
use pulse_shared::{DefinitionError, Lang, Protect, Question, QuestionKind, SurveyDefinition, Text};
use wasm_bindgen::JsCast;

use super::questions::{choices, question, rename_question, with_kind, KINDS};
use super::title;
use crate::api::{self, Fail};
use crate::shell::App;

/// Where a piece of text is in the definition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum TextAt {
    Title,
    Intro,
    Context(usize),
    Division(usize),
    Prompt(usize),
    Hint(usize),
    Choice(usize, usize),
    Scale(usize, usize),
    Consent(usize),
}

impl TextAt {
    /// The text, to read: nothing is cloned or added (a missing hint reads as `None`).
    fn get(self, d: &SurveyDefinition) -> Option<&Text> {
        let kind = |q: usize| d.questions.get(q).map(|q| &q.kind);
        match self {
            TextAt::Title => Some(&d.title),
            TextAt::Intro => Some(&d.intro),
            TextAt::Context(i) => d.contexts.get(i).map(|c| &c.label),
            TextAt::Division(i) => d.divisions.get(i).map(|c| &c.label),
            TextAt::Prompt(q) => d.questions.get(q).map(|q| &q.prompt),
            TextAt::Hint(q) => d.questions.get(q).and_then(|q| q.hint.as_ref()),
            TextAt::Choice(q, o) => match kind(q) {
                Some(QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. }) => {
                    options.get(o).map(|c| &c.label)
                }
                Some(QuestionKind::LikertMatrix { rows, .. }) => rows.get(o).map(|c| &c.label),
                _ => None,
            },
            TextAt::Scale(q, p) => match kind(q) {
                Some(QuestionKind::LikertMatrix { scale, .. }) => scale.get(p),
                _ => None,
            },
            TextAt::Consent(q) => match kind(q) {
                Some(QuestionKind::Consent { label, .. }) => Some(label),
                _ => None,
            },
        }
    }

    /// The text, to change (a missing hint is added).
    fn in_def(self, d: &mut SurveyDefinition) -> Option<&mut Text> {
        match self {
            TextAt::Title => Some(&mut d.title),
            TextAt::Intro => Some(&mut d.intro),
            TextAt::Context(i) => d.contexts.get_mut(i).map(|c| &mut c.label),
            TextAt::Division(i) => d.divisions.get_mut(i).map(|c| &mut c.label),
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

/// Whether the draft differs from what the server has.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Saving {
    Saved,
    Unsaved,
    InFlight,
    /// Another admin saved first: the server's sentence.
    Conflict(String),
    Failed(String),
}

/// Everything the editor's parts share.
#[derive(Clone, Copy)]
pub(super) struct Ed {
    pub(super) l: Lang,
    pub(super) def: RwSignal<SurveyDefinition>,
    /// Drawn again when this changes.
    pub(super) shape: RwSignal<u32>,
    pub(super) revision: RwSignal<u64>,
    pub(super) saving: RwSignal<Saving>,
    pub(super) saved_by: RwSignal<String>,
    pub(super) problems: Memo<Vec<DefinitionError>>,
    /// Whether any text has its Welsh: only then is a missing one marked. Worked out once per
    /// change, not once per field.
    pub(super) welsh: Memo<bool>,
    pub(super) published: RwSignal<Option<SurveyDefinition>>,
    pub(super) based_on: StoredValue<Option<u32>>,
    pub(super) headcounts: StoredValue<Vec<(String, u64)>>,
    pub(super) notice: RwSignal<Option<String>>,
    /// A counter of edits: a save waits until no edit came for a moment.
    pub(super) edits: StoredValue<u32>,
}

impl Ed {
    pub(super) fn id(self) -> String {
        self.def.with_untracked(|d| d.id.clone())
    }

    /// Changes the definition without drawing the form again, and saves soon.
    pub(super) fn edit(self, f: impl FnOnce(&mut SurveyDefinition)) {
        self.def.update(f);
        self.changed();
    }

    /// Changes the definition's shape: the form is drawn again, and the focus goes back to the
    /// field that had it (fields are named by their place, so it is there again).
    pub(super) fn reshape(self, f: impl FnOnce(&mut SurveyDefinition)) {
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
    pub(super) fn name_from(self, at: TextAt, words: String) {
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
    pub(super) async fn save(self, over: bool) -> Result<(), Fail> {
        if self.saving.get_untracked() == Saving::Saved && !over {
            return Ok(());
        }
        let revision = self.revision.get_untracked();
        let definition = self.def.get_untracked();
        let path = format!("/api/v1/drafts/{}", api::enc(&definition.id));
        let save = DraftSave { revision, based_on: self.based_on.get_value(), definition };
        let edits_before = self.edits.get_value();
        self.saving.set(Saving::InFlight);
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
    pub(super) async fn reload(self) {
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
    pub(super) fn messages(self, field: String, under: bool) -> impl IntoView {
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

    pub(super) fn is_published(self, question: &str) -> bool {
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
    let welsh = Memo::new(move |_| {
        def.with(|d| d.texts().iter().any(|(_, t)| t.cy.as_deref().is_some_and(|c| !c.trim().is_empty())))
    });
    let ed = Ed {
        l,
        def,
        welsh,
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
        Saving::InFlight => l.pick("Saving…", "Yn cadw…").to_string(),
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
        {super::publish::discard(ed)}
        {conflict}
        {move || ed.notice.get().map(|n| view! { <div class="card notice" role="status">{n}</div> })}
        <div aria-live="polite">{summary}</div>
        // Keyed by the shape: each change of shape makes new elements, rather than patching the
        // old ones, whose inputs hold what was typed and would keep it.
        <For each=move || [ed.shape.get()] key=|n| *n children=move |_| form(ed) />
        {super::embed::preview(ed.l, ed.def)}
        {super::publish::publish_part(ed)}
        {super::publish::files(ed)}
        {super::embed::snippets(ed.l, ed.def, ed.published, move |origin| {
            ed.reshape(|d| if !d.allowed_origins.contains(&origin) { d.allowed_origins.push(origin) });
        })}
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
        {super::contexts::contexts(ed, &d)}
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
pub(super) fn keep_focus(from: usize, to: usize, count: usize) -> &'static str {
    match (to < from, to == 0, to + 1 == count) {
        (true, false, _) => "up",
        (true, true, _) => "down",
        (false, _, false) => "down",
        (false, _, true) => "up",
    }
}

/// Focuses the element `id` once the form has been drawn again.
pub(super) fn focus_later(id: String) {
    let later = wasm_bindgen::closure::Closure::once_into_js(move || {
        let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id));
        if let Some(el) = el.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
    let _ = web_sys::window().expect("a window").request_animation_frame(later.unchecked_ref());
}

/// A piece of text in English and Welsh side by side, with its Welsh marked when missing.
pub(super) fn text_pair(ed: Ed, dom: &str, field: &str, label: &str, at: TextAt, long: bool) -> impl IntoView {
    let l = ed.l;
    let now = ed.def.with_untracked(|d| at.get(d).cloned().unwrap_or_default());
    let missing = Memo::new(move |_| {
        ed.welsh.get() && ed.def.with(|d| at.get(d).and_then(|t| t.cy.as_deref()).is_none_or(|c| c.trim().is_empty()))
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

/// Reads the file an `<input type=file>` was given, as text.
pub(super) fn read_file(e: &leptos::ev::Event, then: impl FnOnce(String) + 'static) {
    let input: web_sys::HtmlInputElement = e.target().expect("a target").unchecked_into();
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
            then(text.as_string().unwrap_or_default());
        }
    });
}
