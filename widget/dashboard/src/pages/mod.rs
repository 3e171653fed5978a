//! The dashboard's pages: each loads what it shows from the admin API (`load`), then draws it
//! (`view`), so a page is drawn only once all of its data has come.

// Two apps from one set of pages: the dashboard (`/admin`), whose first view is a survey's results,
// and the reports (`/admin/report`, built with the `report` feature): the trend, the heatmap, the
// board pack and the values evidence pack. Each app sends a route of the other to it.
#[cfg(not(feature = "report"))]
mod access;
#[cfg(feature = "report")]
mod evidence;
#[cfg(feature = "report")]
mod heatmap;
#[cfg(not(feature = "report"))]
mod moderation;
#[cfg(feature = "report")]
mod pack;
#[cfg(feature = "report")]
mod references;
#[cfg(not(feature = "report"))]
mod results;
#[cfg(not(feature = "report"))]
mod sharing;
mod signin;
#[cfg(not(feature = "report"))]
mod surveys;
#[cfg(feature = "report")]
mod trend;
#[cfg(not(feature = "report"))]
mod waves;

use std::sync::Arc;

use leptos::prelude::*;
use pulse_shared::Lang;

use crate::api::Fail;
use crate::shell::{App, Flash, Route};
use crate::words;

/// A page with everything it shows.
pub enum Page {
    SignIn {
        problem: Option<String>,
    },
    Failed(Fail),
    /// The route is the other app's: the browser is on its way there.
    Moving,
    #[cfg(not(feature = "report"))]
    Surveys(Arc<surveys::Data>),
    #[cfg(not(feature = "report"))]
    Results(Arc<results::Data>),
    #[cfg(not(feature = "report"))]
    Waves(Arc<waves::Data>),
    #[cfg(not(feature = "report"))]
    Moderation(Arc<moderation::Data>),
    #[cfg(not(feature = "report"))]
    Sharing(Arc<sharing::Data>),
    #[cfg(not(feature = "report"))]
    Admins(Arc<access::AdminsData>),
    #[cfg(not(feature = "report"))]
    Audit(Arc<access::AuditData>),
    #[cfg(feature = "report")]
    Trend(Arc<trend::Data>),
    #[cfg(feature = "report")]
    Evidence(Arc<evidence::Data>),
    #[cfg(feature = "report")]
    Heatmap(Arc<heatmap::Data>),
    #[cfg(feature = "report")]
    Pack(Arc<pack::Data>),
    #[cfg(feature = "report")]
    References(Arc<references::Data>),
}

/// Loads the page `route` names, with `flash` to say above it.
#[allow(unused_variables)]
pub async fn load(app: App, route: Route, flash: Flash) -> Result<Page, Fail> {
    if route.is_report() != cfg!(feature = "report") {
        let location = web_sys::window().expect("a window").location();
        let app = if route.is_report() { "/admin/report" } else { "/admin" };
        let _ = location.replace(&format!("{app}{}", location.hash().unwrap_or_default()));
        return Ok(Page::Moving);
    }
    Ok(match route {
        #[cfg(not(feature = "report"))]
        Route::Surveys => Page::Surveys(Arc::new(surveys::load().await?)),
        #[cfg(not(feature = "report"))]
        Route::Results { survey, selection } => Page::Results(Arc::new(results::load(app, survey, selection).await?)),
        #[cfg(not(feature = "report"))]
        Route::Waves(id) => Page::Waves(Arc::new(waves::load(id, flash).await?)),
        #[cfg(not(feature = "report"))]
        Route::Moderation(id) => Page::Moderation(Arc::new(moderation::load(id, flash).await?)),
        #[cfg(not(feature = "report"))]
        Route::Sharing(id) => Page::Sharing(Arc::new(sharing::load(id, flash).await?)),
        #[cfg(not(feature = "report"))]
        Route::Admins => Page::Admins(Arc::new(access::load_admins(flash).await?)),
        #[cfg(not(feature = "report"))]
        Route::Audit { since } => Page::Audit(Arc::new(access::load_audit(since).await?)),
        #[cfg(feature = "report")]
        Route::Trend(id) => Page::Trend(Arc::new(trend::load(id, app.l()).await?)),
        #[cfg(feature = "report")]
        Route::Evidence { survey, value } => Page::Evidence(Arc::new(evidence::load(survey, value, app.l()).await?)),
        #[cfg(feature = "report")]
        Route::Heatmap { survey, selection } => Page::Heatmap(Arc::new(heatmap::load(app, survey, selection).await?)),
        #[cfg(feature = "report")]
        Route::Pack { survey, selection } => Page::Pack(Arc::new(pack::load(app, survey, selection).await?)),
        #[cfg(feature = "report")]
        Route::References(id) => Page::References(Arc::new(references::load(app, id, flash).await?)),
        _ => Page::Moving,
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
        Page::Moving => on(parent, move || view! { <p>{l.pick("Opening…", "Yn agor…")}</p> }),
        #[cfg(not(feature = "report"))]
        Page::Surveys(data) => on(parent, move || surveys::view(app, l, data)),
        #[cfg(not(feature = "report"))]
        Page::Results(data) => on(parent, move || results::view(app, l, data)),
        #[cfg(not(feature = "report"))]
        Page::Waves(data) => on(parent, move || waves::view(app, l, data)),
        #[cfg(not(feature = "report"))]
        Page::Moderation(data) => on(parent, move || moderation::view(app, l, data)),
        #[cfg(not(feature = "report"))]
        Page::Sharing(data) => on(parent, move || sharing::view(app, l, data)),
        #[cfg(not(feature = "report"))]
        Page::Admins(data) => on(parent, move || access::admins_view(app, l, data)),
        #[cfg(not(feature = "report"))]
        Page::Audit(data) => on(parent, move || access::audit_view(l, data)),
        #[cfg(feature = "report")]
        Page::Trend(data) => on(parent, move || trend::view(l, data)),
        #[cfg(feature = "report")]
        Page::Evidence(data) => on(parent, move || evidence::view(l, data)),
        #[cfg(feature = "report")]
        Page::Heatmap(data) => on(parent, move || heatmap::view(l, data)),
        #[cfg(feature = "report")]
        Page::Pack(data) => on(parent, move || pack::view(l, data)),
        #[cfg(feature = "report")]
        Page::References(data) => on(parent, move || references::view(app, l, data)),
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

/// Puts `body` at `path`. Once kept, the page is drawn again saying `saved` (English, Welsh); a
/// refusal is shown in `refusal`, above the form, which keeps what was typed.
fn save<B: serde::Serialize + 'static>(
    app: App,
    path: String,
    body: B,
    saved: (&'static str, &'static str),
    refusal: RwSignal<Option<Fail>>,
) {
    leptos::task::spawn_local(async move {
        match crate::api::send::<_, serde::de::IgnoredAny>("PUT", &path, &body).await {
            Ok(_) => app.reload(Flash::notice(app.l().pick(saved.0, saved.1))),
            Err(Fail::Unauthorised) => app.reload(Flash::error(Fail::Unauthorised)),
            Err(fail) => refused(refusal, fail),
        }
    });
}

/// Shows `fail` above the form, and moves the focus to it.
fn refused(refusal: RwSignal<Option<Fail>>, fail: Fail) {
    refusal.set(Some(fail));
    crate::shell::focus_first(&[".error-summary"]);
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
