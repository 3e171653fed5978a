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
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, HtmlElement, ShadowRootInit, ShadowRootMode};

pub use delivery::{Delivery, Embed};
pub use form::{OnSubmit, SurveyForm};

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
    let root = container.clone();
    leptos::mount::mount_to(container, move || view! { <Widget embed=embed root=root /> }).forget();
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
    /// This page cannot take answers: the survey, its context or its address is wrong (the console
    /// tells the page's editor which).
    Unavailable,
    AlreadyAnswered,
    Answering,
    /// Sending; `saved` once a first attempt failed and the answers wait on this device.
    Sending {
        saved: bool,
    },
    Thanks,
    /// Refused for good, with the server's reason when it gave one.
    Refused(Option<String>),
    /// Not taking responses today (outside its dates or waves), with the server's words on when it
    /// opens next.
    Closed(String),
}

/// What the widget shows: its phase, in a language. The language is the page's until the survey
/// arrives, then the survey's, which is English when the survey has no Welsh, so the form never
/// mixes two languages.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    lang: Lang,
    phase: Phase,
}

impl Shown {
    /// The message for every phase but the form: its class, its title once there is something to
    /// say, and its text.
    fn message(&self) -> (&'static str, Option<&'static str>, String) {
        let words = text::words(self.lang);
        let (class, title, body) = match &self.phase {
            Phase::Loading | Phase::Answering => ("pulse-status", None, words.loading),
            Phase::LoadFailed => ("pulse-panel", None, words.load_failed),
            Phase::Unavailable => ("pulse-panel", None, words.unavailable),
            Phase::AlreadyAnswered => ("pulse-panel pulse-panel--done", Some(words.already_title), words.already_body),
            Phase::Sending { saved: false } => ("pulse-status", None, words.sending),
            Phase::Sending { saved: true } => {
                ("pulse-panel pulse-panel--saved", Some(words.saved_title), words.saved_body)
            }
            Phase::Thanks => ("pulse-panel pulse-panel--done", Some(words.thanks_title), words.thanks_body),
            Phase::Refused(why) => {
                let why = why.as_deref().unwrap_or(words.refused_body);
                ("pulse-panel pulse-panel--refused", Some(words.refused_title), why)
            }
            Phase::Closed(why) => ("pulse-panel", Some(words.closed_title), why.as_str()),
        };
        (class, title, body.to_string())
    }
}

/// The widget's one signal, and the element it renders into (to put the form in and to move focus
/// inside its shadow root; the browser has one thread, which `SendWrapper` checks, and Leptos's
/// closures must be `Send`).
#[derive(Clone)]
struct Screen {
    shown: RwSignal<Shown>,
    root: SendWrapper<HtmlElement>,
    /// The survey and its round, once loaded: "Not you?" shows its form after "already answered".
    loaded: StoredValue<Option<(SurveyDefinition, String)>>,
}

/// Tells the page's editor, in the browser's console, why this page cannot take answers.
fn tell_editor(why: &str) {
    web_sys::console::error_1(&format!("Values Pulse: {why}").into());
}

impl Screen {
    fn show(&self, phase: Phase) {
        let focus = matches!(phase, Phase::Thanks | Phase::Refused(_) | Phase::Sending { saved: true });
        self.shown.update(|s| s.phase = phase);
        // A message that replaces the form takes focus, so keyboard and screen-reader users land on it.
        if focus {
            let root = self.root.clone();
            request_animation_frame(move || {
                let panel = root.query_selector(".pulse-panel").ok().flatten();
                if let Some(panel) = panel.and_then(|p| p.dyn_into::<HtmlElement>().ok()) {
                    let _ = panel.focus();
                }
            });
        }
    }

    /// Puts the form for `definition` in its place and shows it. The form is built once, here,
    /// rather than by a view that switches between the form and the messages: such a view would
    /// carry code to rebuild each of them in place, which the widget never needs.
    fn answer(&self, definition: SurveyDefinition, context: Option<String>, on_submit: OnSubmit) {
        if self.shown.with_untracked(|s| s.phase == Phase::Answering) {
            return;
        }
        let lang = self.shown.with_untracked(|s| s.lang);
        let slot = self.root.query_selector(".pulse-form-slot").ok().flatten();
        if let Some(slot) = slot.and_then(|s| s.dyn_into::<HtmlElement>().ok()) {
            let definition = Arc::new(definition);
            leptos::mount::mount_to(slot, move || {
                view! { <SurveyForm definition=definition context=context lang=lang on_submit=on_submit /> }
            })
            .forget();
        }
        self.show(Phase::Answering);
    }
}

/// One survey on the page: loads the definition (or finishes delivering answers saved earlier),
/// then shows the form, then the thank-you.
#[component]
pub fn Widget(
    /// What the page asked for.
    embed: Embed,
    /// The element the widget renders into.
    root: HtmlElement,
) -> impl IntoView {
    let screen = Screen {
        shown: RwSignal::new(Shown { lang: embed.lang, phase: Phase::Loading }),
        root: SendWrapper::new(root),
        loaded: StoredValue::new(None),
    };
    let embed = Arc::new(embed);

    let on_submit: OnSubmit = {
        let (embed, screen) = (embed.clone(), screen.clone());
        Arc::new(move |response: SurveyResponse| {
            // Saved before the first attempt, so even a tab closed mid-send delivers next time.
            let round = screen.loaded.with_value(|l| l.as_ref().map(|(_, r)| r.clone())).unwrap_or_default();
            delivery::save_pending(&embed, &response, &round);
            deliver(embed.clone(), response, screen.clone(), 0);
        })
    };
    // On a shared computer the note is the last person's: the next one answers with an empty form.
    let not_you = {
        let (embed, screen, on_submit) = (embed.clone(), screen.clone(), on_submit.clone());
        move |_| {
            if let Some((def, _)) = screen.loaded.get_value() {
                screen.answer(def, embed.context.clone(), on_submit.clone());
                // The button has gone: focus lands on the survey's title, where a reader starts.
                let root = screen.root.clone();
                request_animation_frame(move || {
                    let title = root.query_selector(".pulse-title").ok().flatten();
                    if let Some(title) = title.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
                        let _ = title.set_attribute("tabindex", "-1");
                        let _ = title.focus();
                    }
                });
            }
        }
    };

    let load = {
        let screen = screen.clone();
        move || {
            let (embed, screen, on_submit) = (embed.clone(), screen.clone(), on_submit.clone());
            screen.show(Phase::Loading);
            spawn_local(async move {
                if let Some(saved) = delivery::pending(&embed) {
                    deliver(embed, saved, screen, 0);
                    return;
                }
                match delivery::fetch_definition(&embed).await {
                    Ok(served) => {
                        let def = served.definition;
                        let lang = def.language_for(embed.lang);
                        screen.shown.update(|s| s.lang = lang);
                        let round = delivery::round(served.wave.as_deref(), def.version);
                        if let Some(bad) = embed.context.as_deref().filter(|c| !def.has_context(c)) {
                            let ids: Vec<&str> = def.contexts.iter().map(|c| c.id.as_str()).collect();
                            tell_editor(&format!(
                                "data-pulse-context=\"{bad}\" is not a context of survey \"{}\"; use one of: {}",
                                def.id,
                                ids.join(", ")
                            ));
                            screen.show(Phase::Unavailable);
                        } else if let Some(closed) = served.closed {
                            screen.show(Phase::Closed(closed.get(lang).to_string()));
                        } else if delivery::has_answered(&embed, &round) {
                            screen.loaded.set_value(Some((def, round)));
                            screen.show(Phase::AlreadyAnswered);
                        } else {
                            screen.loaded.set_value(Some((def.clone(), round)));
                            screen.answer(def, embed.context.clone(), on_submit);
                        }
                    }
                    Err(delivery::LoadError { refused: Some(why) }) => {
                        tell_editor(&why);
                        screen.show(Phase::Unavailable);
                    }
                    Err(_) => screen.show(Phase::LoadFailed),
                }
            });
        }
    };
    load();

    // One message element for every phase but the form, its parts following the phase.
    let shown = screen.shown;
    let part = move |f: fn(&Shown) -> String| Signal::derive(move || shown.with(f));
    let answering = move |s: &Shown| s.phase == Phase::Answering;
    view! {
        <div lang=part(|s| s.lang.code().to_string())>
            <div class="pulse-form-slot" hidden=Signal::derive(move || !shown.with(answering))></div>
            <div
                class=part(|s| s.message().0.to_string())
                role=part(|s| if s.phase == Phase::LoadFailed { "alert" } else { "status" }.to_string())
                tabindex="-1"
                hidden=Signal::derive(move || shown.with(answering))
            >
                <h2 class="pulse-panel__title" hidden=Signal::derive(move || shown.with(|s| s.message().1.is_none()))>
                    {part(|s| s.message().1.unwrap_or_default().to_string())}
                </h2>
                <p>{part(|s| s.message().2)}</p>
                <button
                    type="button"
                    class="pulse-button pulse-button--secondary"
                    hidden=Signal::derive(move || shown.with(|s| s.phase != Phase::LoadFailed))
                    on:click=move |_| load()
                >
                    {part(|s| text::words(s.lang).try_again.to_string())}
                </button>
                <button
                    type="button"
                    class="pulse-button pulse-button--secondary"
                    hidden=Signal::derive(move || shown.with(|s| s.phase != Phase::AlreadyAnswered))
                    on:click=not_you
                >
                    {part(|s| text::words(s.lang).not_you.to_string())}
                </button>
            </div>
        </div>
    }
}

/// Sends `response`; on a passing failure shows that the answers are saved and tries again later.
fn deliver(embed: Arc<Embed>, response: SurveyResponse, screen: Screen, attempt: u32) {
    if attempt == 0 {
        screen.show(Phase::Sending { saved: false });
    }
    spawn_local(async move {
        match delivery::send(&embed, &response).await {
            Delivery::Delivered => screen.show(Phase::Thanks),
            Delivery::Refused(why) => screen.show(Phase::Refused(why)),
            Delivery::TryLater => {
                if screen.shown.with_untracked(|s| s.phase != Phase::Sending { saved: true }) {
                    screen.show(Phase::Sending { saved: true });
                }
                let wait = std::time::Duration::from_secs(delivery::backoff_seconds(attempt));
                set_timeout(move || deliver(embed, response, screen, attempt + 1), wait);
            }
        }
    });
}
