//! The embeddable Values Pulse widget: a Leptos component rendered inside a shadow root on any
//! intranet page. It loads a survey definition, checks answers with the same `pulse-shared` rules the
//! server enforces, warns before identifying details are sent, and delivers each response exactly
//! once, keeping it on the device until the server has it.
//!
//! The loader (`embed.js`) calls [`mount`] for each `<div data-pulse-survey="…">` when it comes near
//! the viewport.

mod delivery;
mod form;
mod text;
pub mod wire;

use std::sync::Arc;

use js_sys::{Array, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use pulse_shared::{Lang, SurveyDefinition, SurveyResponse};
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, HtmlElement, ShadowRootInit, ShadowRootMode};

pub use delivery::{Delivery, Embed};
pub use form::SurveyForm;

/// The widget's stylesheet (without its comments: see build.rs), adopted by each shadow root as a constructed stylesheet: the one way of
/// styling that a host page's `style-src 'self'` policy allows without naming this server.
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));

/// Renders the survey named by `host`'s data attributes inside a new shadow root on `host`.
/// `default_endpoint` is the origin the loader came from, used when the element names none.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, default_endpoint: String) -> Result<(), JsValue> {
    let attr = |name: &str| host.get_attribute(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    // `data-pulse-lang`, else the language the page declares for this part of it (the nearest
    // `lang` attribute, usually the page's `<html lang>`), else English.
    let page_lang = host.closest("[lang]").ok().flatten().and_then(|el| el.get_attribute("lang"));
    let lang = Lang::for_page([attr("data-pulse-lang"), page_lang].iter().flatten().map(String::as_str));
    let embed = Embed {
        survey: attr("data-pulse-survey").ok_or("data-pulse-survey is empty")?,
        endpoint: attr("data-pulse-endpoint").unwrap_or(default_endpoint).trim_end_matches('/').to_string(),
        context: attr("data-pulse-context"),
        lang,
    };
    let container = shadow_container(&host)?;
    leptos::mount::mount_to(container, move || view! { <Widget embed=embed /> }).forget();
    Ok(())
}

/// Gives `host` an open shadow root with the widget's stylesheet and returns the element to render
/// into (Leptos cannot mount onto a shadow root itself).
pub fn shadow_container(host: &HtmlElement) -> Result<HtmlElement, JsValue> {
    let root = match host.shadow_root() {
        Some(root) => {
            root.set_inner_html("");
            root
        }
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(STYLE)?;
    Reflect::set(&root, &"adoptedStyleSheets".into(), &Array::of1(&sheet))?;
    let document = host.owner_document().ok_or("no document")?;
    let container = document.create_element("div")?;
    container.set_class_name("pulse");
    root.append_child(&container)?;
    container.dyn_into::<HtmlElement>().map_err(Into::into)
}

/// Where the widget is in its life.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Loading,
    LoadFailed,
    AlreadyAnswered,
    Answering(Arc<SurveyDefinition>),
    /// Sending; `saved` once a first attempt failed and the answers wait on this device.
    Sending {
        saved: bool,
    },
    Thanks,
    /// Refused for good, with the server's reason when it gave one.
    Refused(Option<String>),
}

/// One survey on the page: loads the definition (or finishes delivering answers saved earlier),
/// then shows the form, then the thank-you.
#[component]
pub fn Widget(
    /// What the page asked for.
    embed: Embed,
) -> impl IntoView {
    let phase = RwSignal::new(Phase::Loading);
    // The language the page asked for until the survey arrives; then the survey's, which is English
    // when the survey has no Welsh, so the form never mixes two languages.
    let lang = RwSignal::new(embed.lang);
    let embed = Arc::new(embed);

    let load = {
        let embed = embed.clone();
        move || {
            let embed = embed.clone();
            phase.set(Phase::Loading);
            spawn_local(async move {
                if let Some(saved) = delivery::pending(&embed) {
                    deliver(embed, saved, phase, 0);
                    return;
                }
                let fetched = delivery::fetch_definition(&embed).await;
                if let Ok(def) = &fetched {
                    lang.set(def.language_for(embed.lang));
                }
                phase.set(match fetched {
                    Ok(def) if delivery::has_answered(&embed, def.version) => Phase::AlreadyAnswered,
                    Ok(def) => Phase::Answering(Arc::new(def)),
                    Err(_) => Phase::LoadFailed,
                });
            });
        }
    };
    load();

    let on_submit = {
        let embed = embed.clone();
        Callback::new(move |response: SurveyResponse| {
            // Saved before the first attempt, so even a tab closed mid-send delivers next time.
            delivery::save_pending(&embed, &response);
            deliver(embed.clone(), response, phase, 0);
        })
    };

    let status_ref = NodeRef::<leptos::html::Div>::new();
    // Move focus to a message that replaces the form, so keyboard and screen-reader users land on it.
    Effect::new(move |_| {
        if matches!(phase.get(), Phase::Thanks | Phase::Refused(_) | Phase::Sending { saved: true }) {
            request_animation_frame(move || {
                if let Some(el) = status_ref.get_untracked() {
                    let _ = el.focus();
                }
            });
        }
    });

    let context = embed.context.clone();
    let body = move || {
        let words = text::words(lang.get());
        match phase.get() {
            Phase::Loading => view! { <p class="pulse-status" role="status">{words.loading}</p> }.into_any(),
            Phase::LoadFailed => {
                let retry = load.clone();
                view! {
                    <div class="pulse-panel" role="alert">
                        <p>{words.load_failed}</p>
                        <button type="button" class="pulse-button pulse-button--secondary" on:click=move |_| retry()>
                            {words.try_again}
                        </button>
                    </div>
                }
                .into_any()
            }
            Phase::AlreadyAnswered => {
                message(status_ref, "pulse-panel--done", words.already_title, words.already_body.into())
            }
            Phase::Answering(def) => view! {
                <SurveyForm definition=def context=context.clone() lang=lang.get_untracked() on_submit=on_submit />
            }
            .into_any(),
            Phase::Sending { saved: false } => {
                view! { <p class="pulse-status" role="status">{words.sending}</p> }.into_any()
            }
            Phase::Sending { saved: true } => {
                message(status_ref, "pulse-panel--saved", words.saved_title, words.saved_body.into())
            }
            Phase::Thanks => message(status_ref, "pulse-panel--done", words.thanks_title, words.thanks_body.into()),
            Phase::Refused(why) => {
                let why = why.unwrap_or_else(|| words.refused_body.to_string());
                message(status_ref, "pulse-panel--refused", words.refused_title, why)
            }
        }
    };
    // `lang` tells screen readers which language to speak the widget in, whatever the page's is.
    view! { <div lang=move || lang.get().code()>{body}</div> }
}

fn message(node_ref: NodeRef<leptos::html::Div>, modifier: &str, title: &'static str, body: String) -> AnyView {
    view! {
        <div class=format!("pulse-panel {modifier}") role="status" tabindex="-1" node_ref=node_ref>
            <h2 class="pulse-panel__title">{title}</h2>
            <p>{body}</p>
        </div>
    }
    .into_any()
}

/// Sends `response`; on a passing failure shows that the answers are saved and tries again later.
fn deliver(embed: Arc<Embed>, response: SurveyResponse, phase: RwSignal<Phase>, attempt: u32) {
    if attempt == 0 {
        phase.set(Phase::Sending { saved: false });
    }
    spawn_local(async move {
        match delivery::send(&embed, &response).await {
            Delivery::Delivered => phase.set(Phase::Thanks),
            Delivery::Refused(why) => phase.set(Phase::Refused(why)),
            Delivery::TryLater => {
                if phase.get_untracked() != (Phase::Sending { saved: true }) {
                    phase.set(Phase::Sending { saved: true });
                }
                let wait = std::time::Duration::from_secs(delivery::backoff_seconds(attempt));
                set_timeout(move || deliver(embed, response, phase, attempt + 1), wait);
            }
        }
    });
}
