//! The survey editor at `/admin/editor`, built from this crate with the `editor` feature into an
//! app of its own, so the dashboard's first view does not carry it. An analyst or owner starts a
//! survey from a template (the NHS Staff Survey's engagement questions among them) or opens a
//! published one, edits every part of its definition in English and Welsh side by side, sees
//! `SurveyDefinition::check` beside each field as they type, previews it with the real survey
//! widget, reads what publishing changes for results, publishes, and copies the snippets that embed
//! it. Drafts are saved on the server as the admin types.
//!
//! Addresses: `#/` lists drafts and surveys, `#/new` starts one, `#/edit/{id}` edits one.

mod contexts;
mod embed;
mod form;
mod publish;
mod questions;
mod start;

use leptos::prelude::*;
use leptos::task::spawn_local;
use pulse_shared::admin::SurveySummary;
use pulse_shared::bank::Template;
use pulse_shared::draft::{slug, DraftSave, DraftState, DraftSummary};
use pulse_shared::{Lang, Role};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::api::{self, Fail};
use crate::shell::{self, element, App};

thread_local! {
    /// What takes the page drawn now off the page.
    static SHOWN: std::cell::RefCell<Option<Box<dyn std::any::Any>>> = const { std::cell::RefCell::new(None) };
}

/// Starts the editor on its page: the shared header, then the page the address names.
pub fn start() {
    let lang = RwSignal::new(crate::words::initial_lang());
    crate::words::remember(lang.get_untracked());
    let app = App { lang, me: RwSignal::new(None), offered: RwSignal::new(false) };
    let service = ["Survey editor", "Golygydd arolygon"];
    leptos::mount::mount_to(element("header"), move || shell::header(app, route, service)).forget();
    let on_hash = Closure::<dyn Fn()>::new(move || route(app));
    web_sys::window()
        .expect("a window")
        .add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref())
        .expect("hashchange can be listened to");
    on_hash.forget();
    route(app);
}

fn show<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) {
    drop(SHOWN.with(|shown| shown.borrow_mut().take()));
    let handle = leptos::mount::mount_to(element("app"), view);
    SHOWN.with(|shown| *shown.borrow_mut() = Some(Box::new(handle)));
    shell::focus_first(&[".error-summary[data-focus]", "h1"]);
}

/// Draws the page the address names.
pub fn route(app: App) {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let parts: Vec<String> = hash
        .split('/')
        .map(|p| js_sys::decode_uri_component(p).ok().map(String::from).unwrap_or_else(|| p.to_string()))
        .collect();
    spawn_local(async move {
        let l = app.l();
        match app.who_am_i().await {
            Ok(true) if app.may(&[Role::Analyst]) => {}
            Ok(true) => {
                return show(move || {
                    message(
                        l,
                        l.pick(
                            "Only analysts and owners can edit surveys.",
                            "Dim ond dadansoddwyr a pherchnogion all olygu arolygon.",
                        ),
                    )
                })
            }
            Ok(false) | Err(Fail::Unauthorised) => return show(move || signed_out(l)),
            Err(fail) => return show(move || message(l, &fail.message())),
        }
        match (parts.get(1).map(String::as_str), parts.get(2)) {
            (Some("new"), _) => show(move || start::view(app, l)),
            (Some("edit"), Some(id)) => match api::get::<DraftState>(&format!("/api/v1/drafts/{}", api::enc(id))).await
            {
                Ok(state) => show(move || form::view(app, l, state)),
                Err(fail) => show(move || message(l, &fail.message())),
            },
            _ => {
                let drafts = api::get::<Vec<DraftSummary>>("/api/v1/drafts").await;
                let surveys = api::get::<Vec<SurveySummary>>("/api/v1/surveys").await;
                match (drafts, surveys) {
                    (Ok(d), Ok(s)) => show(move || list(l, d, s)),
                    (Err(fail), _) | (_, Err(fail)) => show(move || message(l, &fail.message())),
                }
            }
        }
    });
}

fn title(text: &str) -> impl IntoView {
    crate::words::set_title(text);
    view! { <h1>{text.to_string()}</h1> }
}

fn message(l: Lang, text: &str) -> impl IntoView {
    view! {
        {title(l.pick("Survey editor", "Golygydd arolygon"))}
        <div class="card"><p>{text.to_string()}</p></div>
        <p><a href="/admin">{l.pick("Go to the dashboard", "Mynd i'r dangosfwrdd")}</a></p>
    }
}

fn signed_out(l: Lang) -> impl IntoView {
    view! {
        {title(l.pick("Survey editor", "Golygydd arolygon"))}
        <div class="card">
            <p>{l.pick("Sign in on the dashboard first, then come back to edit surveys.",
                "Mewngofnodwch ar y dangosfwrdd yn gyntaf, yna dewch yn ôl i olygu arolygon.")}</p>
            <p><a class="button" href="/admin">{l.pick("Sign in", "Mewngofnodi")}</a></p>
        </div>
    }
}

/// The drafts and the published surveys, each to edit, and a new survey to start.
fn list(l: Lang, drafts: Vec<DraftSummary>, surveys: Vec<SurveySummary>) -> impl IntoView {
    let draft_rows = drafts
        .iter()
        .map(|d| {
            let href = format!("#/edit/{}", api::enc(&d.id));
            let state = match d.based_on {
                Some(v) => format!("{} {v}", l.pick("changes to version", "newidiadau i fersiwn")),
                None => l.pick("new survey", "arolwg newydd").to_string(),
            };
            view! {
                <tr>
                    <td><a href=href>{d.title.get(l).to_string()}</a></td>
                    <td>{d.id.clone()}</td>
                    <td>{state}</td>
                    <td>{format!("{} {}", d.saved_by, d.saved_at)}</td>
                </tr>
            }
        })
        .collect_view();
    let survey_rows = surveys
        .iter()
        .map(|s| {
            let href = format!("#/edit/{}", api::enc(&s.id));
            let name = (l == Lang::Cy).then(|| s.title_cy.clone()).flatten().unwrap_or_else(|| s.title.clone());
            let has_draft = drafts.iter().any(|d| d.id == s.id);
            view! {
                <tr>
                    <td><a href=href>{name}</a></td>
                    <td>{s.id.clone()}</td>
                    <td class="num">{s.version.to_string()}</td>
                    <td>{has_draft.then(|| l.pick("has a draft", "mae ganddo ddrafft"))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {title(l.pick("Survey editor", "Golygydd arolygon"))}
        <p><a href="/admin">{l.pick("Back to the results dashboard", "Yn ôl i'r dangosfwrdd canlyniadau")}</a></p>
        <p><a class="button" href="#/new" id="new-survey">{l.pick("Create a survey", "Creu arolwg")}</a></p>
        {(!drafts.is_empty()).then(|| view! {
            <h2>{l.pick("Drafts", "Drafftiau")}</h2>
            <div class="card"><table>
                <caption class="visually-hidden">{l.pick("Drafts", "Drafftiau")}</caption>
                <thead><tr>
                    <th scope="col">{l.pick("Survey", "Arolwg")}</th>
                    <th scope="col">{l.pick("Id", "Dynodydd")}</th>
                    <th scope="col">{l.pick("What it is", "Beth ydyw")}</th>
                    <th scope="col">{l.pick("Last saved", "Cadwyd ddiwethaf")}</th>
                </tr></thead>
                <tbody>{draft_rows}</tbody>
            </table></div>
        })}
        <h2>{l.pick("Published surveys", "Arolygon cyhoeddedig")}</h2>
        <div class="card"><table>
            <caption class="visually-hidden">{l.pick("Published surveys", "Arolygon cyhoeddedig")}</caption>
            <thead><tr>
                <th scope="col">{l.pick("Survey", "Arolwg")}</th>
                <th scope="col">{l.pick("Id", "Dynodydd")}</th>
                <th scope="col" class="num">{l.pick("Version", "Fersiwn")}</th>
                <th scope="col">{l.pick("Draft", "Drafft")}</th>
            </tr></thead>
            <tbody>{survey_rows}</tbody>
        </table></div>
    }
}

/// Saves a new survey's first draft from `template`, then opens it.
async fn create(template: Template, id: String, title: String) -> Result<(), Fail> {
    let mut definition = template.build(&id);
    if !title.trim().is_empty() {
        definition.title.en = title.trim().to_string();
    }
    let save = DraftSave { revision: 0, based_on: None, definition };
    api::send::<_, pulse_shared::draft::Draft>("PUT", &format!("/api/v1/drafts/{}", api::enc(&id)), &save).await?;
    shell::go(&format!("#/edit/{}", api::enc(&id)));
    Ok(())
}

/// An id for a new survey from its title.
fn id_for(title: &str) -> String {
    slug(title).replace('_', "-")
}
