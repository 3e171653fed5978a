//! The frame every page shares (header, language switch, sign-out, the page itself) and how pages
//! are reached: by hash addresses (`#/surveys/constitution`), drawn one at a time in the order the
//! addresses came, so a slow page asked for before the address changed (the survey list, while
//! sign-in finishes) is drawn before, never over, the page the admin went to.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use pulse_shared::admin::{Admin, SessionState, SignedOut};
use pulse_shared::{Lang, Role};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::api::{self, Credentials, Fail};
use crate::pages::{self, Page};
use crate::words;

/// Where the admin is: the part of the address after `#`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Surveys,
    Admins,
    Audit {
        since: Option<String>,
    },
    Moderation(String),
    Sharing(String),
    Evidence {
        survey: String,
        value: String,
    },
    Trend(String),
    Waves(String),
    /// Contexts by item for one selection of results (as `Results`).
    Heatmap {
        survey: String,
        selection: Option<String>,
    },
    /// The reference figures set beside a survey's heatmap.
    References(String),
    /// The printable board pack, for one selection of results (as `Results`).
    Pack {
        survey: String,
        selection: Option<String>,
    },
    /// A survey's results: all, one version (`"2"`), or one wave (`"w:2026-q3"`).
    Results {
        survey: String,
        selection: Option<String>,
    },
}

impl Route {
    /// The route of an address's hash, as `#/page/id/more`.
    pub fn parse(hash: &str) -> Route {
        let parts: Vec<String> = hash
            .split('/')
            .map(|p| js_sys::decode_uri_component(p).ok().map(String::from).unwrap_or_else(|| p.to_string()))
            .collect();
        let part = |i: usize| parts.get(i).filter(|p| !p.is_empty()).cloned();
        match (part(1).as_deref(), part(2)) {
            (Some("admins"), _) => Route::Admins,
            (Some("audit"), since) => Route::Audit { since },
            (Some("moderation"), Some(id)) => Route::Moderation(id),
            (Some("sharing"), Some(id)) => Route::Sharing(id),
            (Some("evidence"), Some(id)) => {
                Route::Evidence { survey: id, value: part(3).unwrap_or_else(|| "compassion".into()) }
            }
            (Some("trend"), Some(id)) => Route::Trend(id),
            (Some("heatmap"), Some(id)) => Route::Heatmap { survey: id, selection: part(3) },
            (Some("pack"), Some(id)) => Route::Pack { survey: id, selection: part(3) },
            (Some("references"), Some(id)) => Route::References(id),
            (Some("waves"), Some(id)) => Route::Waves(id),
            (Some("surveys"), Some(id)) => Route::Results { survey: id, selection: part(3) },
            _ => Route::Surveys,
        }
    }

    /// Whether the route is one of the reports (`/admin/report`) rather than the dashboard's.
    pub fn is_report(&self) -> bool {
        matches!(
            self,
            Route::Trend(_)
                | Route::Evidence { .. }
                | Route::Heatmap { .. }
                | Route::Pack { .. }
                | Route::References(_)
        )
    }

    fn current() -> Route {
        Route::parse(&location().hash().unwrap_or_default())
    }
}

fn location() -> web_sys::Location {
    web_sys::window().expect("a window").location()
}

/// Goes to `hash` (e.g. `#/surveys/constitution`); the page follows from the hash change.
pub fn go(hash: &str) {
    let _ = location().set_hash(hash);
}

/// What a page says after an action: a notice that it worked, or why it did not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flash {
    pub notice: Option<String>,
    pub error: Option<Fail>,
    /// Something to copy, shown after the notice (a token just made).
    pub code: Option<String>,
}

impl Flash {
    pub fn notice(text: impl Into<String>) -> Flash {
        Flash { notice: Some(text.into()), error: None, code: None }
    }

    pub fn error(fail: Fail) -> Flash {
        Flash { notice: None, error: Some(fail), code: None }
    }
}

/// What every page can reach: the language, who is signed in, and whether the organisation's
/// sign-in is offered.
#[derive(Clone, Copy)]
pub struct App {
    pub lang: RwSignal<Lang>,
    pub me: RwSignal<Option<Admin>>,
    /// Whether the server signs admins in with an identity provider.
    pub offered: RwSignal<bool>,
}

thread_local! {
    /// The draws still to do, in order, and whether one is under way.
    static QUEUE: RefCell<VecDeque<(Route, Flash)>> = const { RefCell::new(VecDeque::new()) };
    static DRAWING: Cell<bool> = const { Cell::new(false) };
    /// What takes the page drawn now off the page.
    static SHOWN: RefCell<Option<Box<dyn std::any::Any>>> = const { RefCell::new(None) };
}

impl App {
    /// Draws `page` into `#app` in place of the one there: new elements every time, so nothing
    /// a person left open or typed on the last page is carried to the next.
    pub fn show(self, page: Page) {
        drop(SHOWN.with(|shown| shown.borrow_mut().take()));
        let lang = self.lang.get_untracked();
        let handle = pages::mount(self, lang, page, element("app"));
        SHOWN.with(|shown| *shown.borrow_mut() = Some(handle));
        focus_after_draw();
    }

    pub fn l(&self) -> Lang {
        self.lang.get_untracked()
    }

    /// Whether the admin's role is owner or one of `roles`.
    pub fn may(&self, roles: &[Role]) -> bool {
        self.me.with_untracked(|me| me.as_ref().is_some_and(|me| me.may(roles)))
    }

    pub fn is_viewer(&self) -> bool {
        self.me.with_untracked(|me| me.as_ref().is_some_and(|me| me.role == Role::Viewer))
    }

    /// Draws the page the address names, after any drawn before it.
    pub fn route(self) {
        self.draw(Route::current(), Flash::default());
    }

    /// Draws the current page again from fresh data, saying `flash` above it.
    pub fn reload(self, flash: Flash) {
        self.draw(Route::current(), flash);
    }

    fn draw(self, route: Route, flash: Flash) {
        QUEUE.with(|q| q.borrow_mut().push_back((route, flash)));
        if DRAWING.with(|d| d.replace(true)) {
            return;
        }
        spawn_local(async move {
            while let Some((route, flash)) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
                let page = self.load(route, flash).await;
                self.show(page);
            }
            DRAWING.with(|d| d.set(false));
        });
    }

    async fn load(self, route: Route, flash: Flash) -> Page {
        let result = async {
            if !self.who_am_i().await? {
                return Ok(Page::SignIn { problem: None });
            }
            pages::load(self, route, flash).await
        }
        .await;
        match result {
            Ok(page) => page,
            Err(Fail::Unauthorised) => {
                let l = self.l();
                let message = match api::credentials() {
                    Credentials::Session(_) => l.pick(
                        "Your session has ended. Sign in again.",
                        "Mae eich sesiwn wedi dod i ben. Mewngofnodwch eto.",
                    ),
                    _ => l.pick(
                        "Your token is no longer valid. Sign in again.",
                        "Nid yw eich tocyn yn ddilys mwyach. Mewngofnodwch eto.",
                    ),
                };
                self.signed_out();
                Page::SignIn { problem: Some(message.to_string()) }
            }
            Err(fail) => Page::Failed(fail),
        }
    }

    /// Whether this browser is signed in (a session, else a token), learning as whom.
    pub(crate) async fn who_am_i(self) -> Result<bool, Fail> {
        if api::credentials() == Credentials::None {
            let state: SessionState = api::get("/auth/session").await.unwrap_or(SessionState {
                signed_in: false,
                admin: None,
                csrf: None,
                sign_in: false,
            });
            self.offered.set(state.sign_in);
            match (state.signed_in, state.csrf) {
                (true, Some(csrf)) => api::set_credentials(Credentials::Session(csrf)),
                _ => return Ok(false),
            }
        }
        if self.me.with_untracked(Option::is_none) {
            let me: Admin = api::get("/api/v1/me").await?;
            self.me.set(Some(me));
        }
        Ok(true)
    }

    /// Forgets who was signed in, in this browser.
    pub fn signed_out(self) {
        api::set_credentials(Credentials::None);
        self.me.set(None);
    }

    /// Signs in with an admin token: the current page if it is good, else the sign-in page saying why.
    pub fn sign_in_with_token(self, token: String) {
        api::set_credentials(Credentials::Token(token));
        spawn_local(async move {
            match api::get::<Admin>("/api/v1/me").await {
                Ok(me) => {
                    self.me.set(Some(me));
                    self.route();
                }
                Err(fail) => {
                    self.signed_out();
                    let problem = match fail {
                        Fail::Unauthorised => self
                            .l()
                            .pick(
                                "That token is not valid. Check it and try again.",
                                "Nid yw'r tocyn hwnnw'n ddilys. Gwiriwch ef a rhowch gynnig arall arni.",
                            )
                            .to_string(),
                        other => other.message(),
                    };
                    self.show(Page::SignIn { problem: Some(problem) });
                }
            }
        });
    }

    /// Runs an action, then draws the page again with `done`'s notice, or with its refusal.
    pub fn act<F>(self, action: F, done: String)
    where
        F: Future<Output = Result<(), Fail>> + 'static,
    {
        spawn_local(async move {
            // Signed out meanwhile, the page drawn again says so (its reload is refused too).
            let flash = match action.await {
                Ok(()) => Flash::notice(done),
                Err(fail) => Flash::error(fail),
            };
            self.reload(flash);
        });
    }

    /// Ends the session on the server and, where the provider offers it, at the provider too
    /// (otherwise the next person at this PC who presses "Sign in" would be let straight back in).
    pub fn sign_out(self) {
        spawn_local(async move {
            let mut end_session = None;
            if let Credentials::Session(_) = api::credentials() {
                if let Ok(response) = api::request("POST", "/auth/logout", api::Body::Empty).await {
                    let text = wasm_bindgen_futures::JsFuture::from(response.text().expect("a body")).await;
                    end_session = text
                        .ok()
                        .and_then(|t| t.as_string())
                        .and_then(|t| serde_json::from_str::<SignedOut>(&t).ok())
                        .and_then(|s| s.end_session);
                }
            }
            if let Some(url) = end_session.filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
                let _ = location().assign(&url);
                return;
            }
            self.signed_out();
            if cfg!(feature = "editor") {
                // The editor has no sign-in of its own: the dashboard's is where one signs in again.
                let _ = location().assign("/admin");
                return;
            }
            let _ = location().set_hash("");
            self.show(Page::SignIn { problem: None });
        });
    }
}

/// After a page is drawn: focus its error summary when it has one, else the sign-in field, else
/// the main region, so a screen reader starts reading at the new page.
fn focus_after_draw() {
    focus_first(&[".error-summary", "#token", "#main"]);
}

/// Once what is being drawn is on the page, focuses the first element that one of `selectors` finds.
pub fn focus_first(selectors: &'static [&'static str]) {
    let later = Closure::once_into_js(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let target = selectors.iter().find_map(|s| document.query_selector(s).ok().flatten());
        if let Some(el) = target.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
    let _ = web_sys::window().expect("a window").request_animation_frame(later.unchecked_ref());
}

pub(crate) fn element(id: &str) -> web_sys::HtmlElement {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| el.dyn_into().ok())
        .unwrap_or_else(|| panic!("the page has #{id}"))
}

/// Starts the dashboard on the page served at `/admin`: the header's own parts in `#header`, the
/// page the address names in `#app`.
#[cfg_attr(feature = "editor", allow(dead_code))]
pub fn start() {
    let lang = RwSignal::new(words::initial_lang());
    words::remember(lang.get_untracked());
    let app = App { lang, me: RwSignal::new(None), offered: RwSignal::new(false) };
    let service = ["Results for admins", "Canlyniadau i weinyddwyr"];
    leptos::mount::mount_to(element("header"), move || header(app, App::route, service)).forget();
    let on_hash = Closure::<dyn Fn()>::new(move || app.route());
    web_sys::window()
        .expect("a window")
        .add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref())
        .expect("hashchange can be listened to");
    on_hash.forget();
    app.route();
}

/// The header's parts: who is signed in, the language switch (which draws the page again with
/// `redraw`) and sign-out; `service` names the app in English and Welsh.
pub(crate) fn header(app: App, redraw: fn(App), service: [&'static str; 2]) -> impl IntoView {
    let lang = app.lang;
    let who = move || {
        let l = lang.get();
        app.me.get().map(|me| format!("{} ({})", me.name, role_name(me.role, l)))
    };
    let switch = move |_| {
        let next = match lang.get_untracked() {
            Lang::En => Lang::Cy,
            Lang::Cy => Lang::En,
        };
        words::remember(next);
        lang.set(next);
        // Drawn again from the server: the survey's own words come in the new language too.
        redraw(app);
    };
    // The skip link and the header's name are in the page itself, so they work before the app has
    // loaded; their words follow the language.
    Effect::new(move || {
        let l = lang.get();
        let document = web_sys::window().and_then(|w| w.document()).expect("a document");
        for (selector, text) in [
            (".skip-link", l.pick("Skip to main content", "Neidio i'r prif gynnwys")),
            (".header__service", l.pick(service[0], service[1])),
        ] {
            if let Ok(Some(el)) = document.query_selector(selector) {
                el.set_text_content(Some(text));
            }
        }
    });
    view! {
        <span class="header__who" id="who">{who}</span>
        <button type="button" class="link-button header__lang" on:click=switch>
            <span class="visually-hidden">{move || lang.get().pick("Change the language to ", "Newid yr iaith i ")}</span>
            <span lang=move || lang.get().pick("cy", "en")>{move || lang.get().pick("Cymraeg", "English")}</span>
        </button>
        <button type="button" class="link-button header__signout" id="sign-out"
            hidden=move || app.me.with(Option::is_none) on:click=move |_| app.sign_out()>
            {move || lang.get().pick("Sign out", "Allgofnodi")}
        </button>
    }
}

/// A role's name in `lang`.
pub fn role_name(role: Role, l: Lang) -> &'static str {
    match role {
        Role::Owner => l.pick("owner", "perchennog"),
        Role::Analyst => l.pick("analyst", "dadansoddwr"),
        Role::Moderator => l.pick("moderator", "cymedrolwr"),
        Role::Viewer => l.pick("viewer", "gwyliwr"),
    }
}
