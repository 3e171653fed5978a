//! The dashboard's pages: each loads what it shows from the admin API (`load`), then draws it
//! (`view`), so a page is drawn only once all of its data has come.

mod access;
mod evidence;
mod moderation;
mod results;
mod sharing;
mod signin;
mod surveys;
mod trend;
mod waves;

use std::sync::Arc;

use leptos::prelude::*;
use pulse_shared::Lang;

use crate::api::Fail;
use crate::shell::{App, Flash, Route};
use crate::words;

/// A page with everything it shows.
pub enum Page {
    SignIn { problem: Option<String> },
    Failed(Fail),
    Surveys(Arc<surveys::Data>),
    Results(Arc<results::Data>),
    Trend(Arc<trend::Data>),
    Waves(Arc<waves::Data>),
    Moderation(Arc<moderation::Data>),
    Sharing(Arc<sharing::Data>),
    Evidence(Arc<evidence::Data>),
    Admins(Arc<access::AdminsData>),
    Audit(Arc<access::AuditData>),
}

/// Loads the page `route` names, with `flash` to say above it.
pub async fn load(app: App, route: Route, flash: Flash) -> Result<Page, Fail> {
    Ok(match route {
        Route::Surveys => Page::Surveys(Arc::new(surveys::load().await?)),
        Route::Results { survey, selection } => Page::Results(Arc::new(results::load(app, survey, selection).await?)),
        Route::Trend(id) => Page::Trend(Arc::new(trend::load(id, app.l()).await?)),
        Route::Waves(id) => Page::Waves(Arc::new(waves::load(id, flash).await?)),
        Route::Moderation(id) => Page::Moderation(Arc::new(moderation::load(id, flash).await?)),
        Route::Sharing(id) => Page::Sharing(Arc::new(sharing::load(id, flash).await?)),
        Route::Evidence { survey, value } => Page::Evidence(Arc::new(evidence::load(survey, value, app.l()).await?)),
        Route::Admins => Page::Admins(Arc::new(access::load_admins(flash).await?)),
        Route::Audit { since } => Page::Audit(Arc::new(access::load_audit(since).await?)),
    })
}

/// Draws `page` in `l` into `parent`, and returns what takes it off again. Each page is mounted as
/// its own type rather than as one `AnyView`: a page is never redrawn in place (the next one is
/// mounted fresh), and an `AnyView` would keep every page's redrawing code in the wasm.
pub fn mount(app: App, l: Lang, page: Page, parent: web_sys::HtmlElement) -> Box<dyn std::any::Any> {
    fn on<V: IntoView + 'static>(
        parent: web_sys::HtmlElement,
        view: impl FnOnce() -> V + 'static,
    ) -> Box<dyn std::any::Any> {
        Box::new(leptos::mount::mount_to(parent, view))
    }
    match page {
        Page::SignIn { problem } => on(parent, move || signin::view(app, l, problem)),
        Page::Failed(fail) => on(parent, move || failed(l, &fail)),
        Page::Surveys(data) => on(parent, move || surveys::view(app, l, data)),
        Page::Results(data) => on(parent, move || results::view(app, l, data)),
        Page::Trend(data) => on(parent, move || trend::view(l, data)),
        Page::Waves(data) => on(parent, move || waves::view(app, l, data)),
        Page::Moderation(data) => on(parent, move || moderation::view(app, l, data)),
        Page::Sharing(data) => on(parent, move || sharing::view(app, l, data)),
        Page::Evidence(data) => on(parent, move || evidence::view(l, data)),
        Page::Admins(data) => on(parent, move || access::admins_view(app, l, data)),
        Page::Audit(data) => on(parent, move || access::audit_view(l, data)),
    }
}

/// The page's heading, which is also the browser tab's title.
fn title(text: String) -> impl IntoView {
    words::set_title(&text);
    view! { <h1>{text}</h1> }
}

fn failed(l: Lang, fail: &Fail) -> impl IntoView {
    view! {
        {title(l.pick("Something went wrong", "Aeth rhywbeth o'i le").to_string())}
        <div class="card"><p>{fail.message()}</p></div>
    }
}

/// A refusal and its list of what is wrong, field by field.
fn problems(l: Lang, fail: &Fail) -> impl IntoView {
    let details = match fail {
        Fail::Refused { details, .. } => details.clone(),
        Fail::Unauthorised => Vec::new(),
    };
    view! {
        <div class="error-summary" role="alert" tabindex="-1">
            <h2>{l.pick("There is a problem", "Mae problem")}</h2>
            <p>{fail.message()}</p>
            {(!details.is_empty()).then(|| view! {
                <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
            })}
        </div>
    }
}

/// What a page says after an action.
fn flash(l: Lang, flash: &Flash) -> impl IntoView {
    view! {
        {flash.error.as_ref().map(|fail| problems(l, fail))}
        {flash.notice.clone().map(|n| view! {
            <div class="card notice" role="status">{n}{flash.code.clone().map(|c| view! { <code id="new-token">{c}</code> })}</div>
        })}
    }
}

/// A link back: to a survey's results, or to the list of surveys.
fn back_to_results(l: Lang, survey: &str) -> impl IntoView {
    let href = format!("#/surveys/{}", crate::api::enc(survey));
    view! { <p><a href=href>{l.pick("Back to the results", "Yn ôl i'r canlyniadau")}</a></p> }
}

fn back_to_surveys(l: Lang) -> impl IntoView {
    view! { <p><a href="#/">{l.pick("All surveys", "Pob arolwg")}</a></p> }
}

/// A survey's text in `l` where it has it.
fn text_in(text: &pulse_shared::Text, l: Lang) -> String {
    text.get(l).to_string()
}

/// The form a submit event came from.
fn submitted_form(e: &leptos::ev::SubmitEvent) -> web_sys::HtmlFormElement {
    use wasm_bindgen::JsCast;
    e.target().expect("a submit has a target").unchecked_into()
}

/// What a form holds for `name` (the empty string when nothing).
fn form_value(form: &web_sys::HtmlFormElement, name: &str) -> String {
    web_sys::FormData::new_with_form(form).ok().and_then(|d| d.get(name).as_string()).unwrap_or_default()
}
