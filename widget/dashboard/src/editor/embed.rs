//! Seeing and placing a survey: the preview with the real widget (English or Welsh, phone or desktop
//! width, open or closed), and, once it is published, the snippets that embed it with a check of an
//! intranet page's address against the survey's allowed origins.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pulse_shared::{Lang, SurveyDefinition};

use crate::api::{self, Fail};

#[derive(serde::Deserialize)]
struct PreviewMade {
    address: String,
}

/// The preview: made from the definition as it is in the editor, saved or not.
pub fn preview(l: Lang, def: RwSignal<SurveyDefinition>) -> impl IntoView {
    let lang = RwSignal::new(Lang::En);
    let phone = RwSignal::new(false);
    let closed = RwSignal::new(false);
    let src = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<Fail>);
    let show = move |_| {
        let d = def.get_untracked();
        let path = format!("/api/v1/drafts/{}/preview", api::enc(&d.id));
        spawn_local(async move {
            match api::send::<_, PreviewMade>("POST", &path, &d).await {
                Ok(made) => {
                    problem.set(None);
                    let mode = if closed.get_untracked() { "closed" } else { "open" };
                    src.set(Some(format!("{}/{mode}?lang={}", made.address, lang.get_untracked().code())));
                }
                Err(fail) => {
                    src.set(None);
                    problem.set(Some(fail));
                }
            }
        });
    };
    let choice = move |name: &'static str, id: &'static str, text: &'static str, checked: bool, set: Box<dyn Fn()>| {
        view! {
            <span class="radio-inline">
                <input type="radio" class="checkbox" name=name id=id checked=checked on:change=move |_| set() />" "
                <label for=id>{text}</label>
            </span>
        }
    };
    let welsh = move || def.with(|d| d.languages().contains(&Lang::Cy));
    view! {
        <section class="card" aria-labelledby="preview-part">
            <h2 id="preview-part">{l.pick("Preview", "Rhagolwg")}</h2>
            <p class="hint">{l.pick("The survey as staff will see it, with the real survey widget. Answers to a preview are checked, never stored.",
                "Yr arolwg fel y bydd staff yn ei weld, gyda'r teclyn arolwg go iawn. Mae atebion i ragolwg yn cael eu gwirio, byth eu cadw.")}</p>
            <fieldset class="fieldset"><legend>{l.pick("Language", "Iaith")}</legend>
                {choice("preview-lang", "preview-en", l.pick("English", "Saesneg"), true, Box::new(move || lang.set(Lang::En)))}
                {choice("preview-lang", "preview-cy", l.pick("Welsh", "Cymraeg"), false, Box::new(move || lang.set(Lang::Cy)))}
                <p class="hint" hidden=welsh>{l.pick("Welsh shows once every text has its Welsh; until then the widget shows English.",
                    "Dangosir y Gymraeg unwaith y bydd gan bob testun ei Gymraeg; tan hynny mae'r teclyn yn dangos Saesneg.")}</p>
            </fieldset>
            <fieldset class="fieldset"><legend>{l.pick("Width", "Lled")}</legend>
                {choice("preview-width", "preview-desktop", l.pick("Desktop", "Bwrdd gwaith"), true, Box::new(move || phone.set(false)))}
                {choice("preview-width", "preview-phone", l.pick("Phone", "Ffôn"), false, Box::new(move || phone.set(true)))}
            </fieldset>
            <fieldset class="fieldset"><legend>{l.pick("As", "Fel")}</legend>
                {choice("preview-state", "preview-open", l.pick("Open", "Ar agor"), true, Box::new(move || closed.set(false)))}
                {choice("preview-state", "preview-closed", l.pick("Closed", "Ar gau"), false, Box::new(move || closed.set(true)))}
            </fieldset>
            <button type="button" class="button button--secondary" id="show-preview" on:click=show>{l.pick("Show the preview", "Dangos y rhagolwg")}</button>
            {move || problem.get().map(|f| view! {
                <div class="error-summary" role="alert"><p>{f.message()}</p>
                    <ul>{match f { Fail::Refused { details, .. } => details, _ => Vec::new() }.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul></div>
            })}
            {move || src.get().map(|src| view! {
                <iframe class=move || if phone.get() { "preview preview--phone" } else { "preview preview--desktop" }
                    id="preview-frame" src=src title=l.pick("Preview of the survey", "Rhagolwg o'r arolwg")></iframe>
            })}
        </section>
    }
}

/// The snippets that embed the published survey, for each context, and the origin check.
pub fn snippets(
    l: Lang,
    def: RwSignal<SurveyDefinition>,
    published: RwSignal<Option<SurveyDefinition>>,
    add_origin: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let page = RwSignal::new(String::new());
    move || {
        let p = published.get()?;
        let origin = origin.clone();
        let contexts: Vec<Option<(String, String)>> = std::iter::once(None)
            .chain(p.contexts.iter().map(|c| Some((c.id.clone(), c.label.get(l).to_string()))))
            .collect();
        let title = p.title.get(Lang::En).to_string();
        let rows = contexts
            .into_iter()
            .map(|c| {
                let (attr, query, name) = match &c {
                    Some((id, label)) => (format!(" data-pulse-context=\"{id}\""), format!("?context={id}"), label.clone()),
                    None => (String::new(), String::new(), l.pick("Without a context", "Heb gyd-destun").to_string()),
                };
                let script = format!(
                    "<script type=\"module\" src=\"{origin}/widget/embed.js\"></script>\n<div data-pulse-survey=\"{id}\"{attr}></div>",
                    id = p.id
                );
                let frame = format!(
                    "<iframe src=\"{origin}/embed/{id}{query}\" title=\"{title}\" width=\"100%\" height=\"2700\" style=\"border:0\"></iframe>",
                    id = p.id
                );
                let results = format!("<div data-pulse-results=\"{}\"{attr}></div>", p.id);
                let showcase = format!("<div data-pulse-showcase=\"{}\"></div>", p.id);
                view! {
                    <h3>{name}</h3>
                    <p class="label">{l.pick("Survey (script)", "Arolwg (sgript)")}</p><pre class="code">{script}</pre>
                    <p class="label">{l.pick("Survey (iframe, for SharePoint)", "Arolwg (iframe, ar gyfer SharePoint)")}</p><pre class="code">{frame}</pre>
                    <p class="label">{l.pick("Results shared with staff", "Canlyniadau a rennir gyda staff")}</p><pre class="code">{results}</pre>
                    {c.is_none().then(|| view! { <p class="label">{l.pick("Showcase of approved stories", "Arddangosfa o straeon a gymeradwywyd")}</p><pre class="code">{showcase.clone()}</pre> })}
                }
            })
            .collect_view();
        let check = move || {
            let text = page.get();
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let origin = origin_of(text);
            let allowed = def.with(|d| origin.as_ref().is_some_and(|o| d.allowed_origins.contains(o)));
            let published_allows = published
                .with(|p| origin.as_ref().is_some_and(|o| p.as_ref().is_some_and(|p| p.allowed_origins.contains(o))));
            Some(match origin {
                None => view! { <p class="error-message" role="status">{l.pick("That is not a web address like https://intranet.example.nhs.uk/news.", "Nid yw hwnnw'n gyfeiriad gwe fel https://intranet.example.nhs.uk/news.")}</p> }.into_any(),
                Some(o) if published_allows => view! { <p role="status">{format!("{o} {}", l.pick("may show this survey.", "gaiff ddangos yr arolwg hwn."))}</p> }.into_any(),
                Some(o) if allowed => view! { <p role="status">{format!("{o} {}", l.pick("is in this draft: publish it to let that page show the survey.", "sydd yn y drafft hwn: cyhoeddwch ef i adael i'r dudalen honno ddangos yr arolwg."))}</p> }.into_any(),
                Some(o) => {
                    let add = o.clone();
                    view! {
                        <p role="status">{format!("{o} {}", l.pick("may not show this survey yet.", "ni chaiff ddangos yr arolwg hwn eto."))}</p>
                        <button type="button" class="button button--secondary" id="add-origin" on:click=move |_| {
                            add_origin(add.clone());
                        }>{format!("{} {o} {}", l.pick("Add", "Ychwanegu"), l.pick("to the draft", "i'r drafft"))}</button>
                    }.into_any()
                }
            })
        };
        Some(view! {
            <section class="card" aria-labelledby="embed-part">
                <h2 id="embed-part">{l.pick("Put the survey on the intranet", "Rhoi'r arolwg ar y fewnrwyd")}</h2>
                <label class="label" for="page-address">{l.pick("Check an intranet page's address", "Gwirio cyfeiriad tudalen fewnrwyd")}</label>
                <input class="input" id="page-address" type="url" on:input=move |e| page.set(event_target_value(&e)) />
                <div aria-live="polite">{check}</div>
                {rows}
            </section>
        })
    }
}

/// `scheme://host[:port]` of an address, if it is an http(s) one.
fn origin_of(address: &str) -> Option<String> {
    let (scheme, rest) = address.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    let origin = format!("{scheme}://{host}");
    pulse_shared::address::check_origin(&origin).ok().map(|_| origin)
}
