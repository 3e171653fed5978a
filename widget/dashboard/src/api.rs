//! The admin API as the dashboard calls it: who is signed in (a session, whose cookie goes by itself
//! and whose state-changing requests carry its CSRF token, or an admin token kept for this tab), and
//! requests whose answers are read into `pulse-shared`'s types.

use std::cell::RefCell;

use pulse_shared::admin::Refusal;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, Response};

/// Where this tab keeps an admin token (never a cookie, never across tabs).
const TOKEN_KEY: &str = "pulse-admin-token";

/// How this browser proves who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    None,
    Token(String),
    /// A signed-in session and its CSRF token.
    Session(String),
}

thread_local! {
    static CREDENTIALS: RefCell<Credentials> = RefCell::new(stored_token().map_or(Credentials::None, Credentials::Token));
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn stored_token() -> Option<String> {
    session_storage()?.get_item(TOKEN_KEY).ok().flatten().filter(|t| !t.is_empty())
}

pub fn credentials() -> Credentials {
    CREDENTIALS.with(|c| c.borrow().clone())
}

/// Uses `credentials` from now on; a token is kept for this tab.
pub fn set_credentials(credentials: Credentials) {
    if let Some(storage) = session_storage() {
        let _ = match &credentials {
            Credentials::Token(t) => storage.set_item(TOKEN_KEY, t),
            _ => storage.remove_item(TOKEN_KEY),
        };
    }
    CREDENTIALS.with(|c| *c.borrow_mut() = credentials);
}

/// Why a request gave no answer to use.
#[derive(Debug, Clone, PartialEq)]
pub enum Fail {
    /// 401: not (or no longer) signed in.
    Unauthorised,
    /// Refused, with the server's sentence and its list of what is wrong, field by field.
    Refused { message: String, details: Vec<String> },
}

impl Fail {
    pub fn message(&self) -> String {
        match self {
            Fail::Unauthorised => "not signed in".into(),
            Fail::Refused { message, .. } => message.clone(),
        }
    }
}

fn network(e: JsValue) -> Fail {
    let message = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| "the server could not be reached".into());
    Fail::Refused { message, details: Vec::new() }
}

/// A body to send.
pub enum Body {
    Empty,
    Json(String),
    /// Text of another type, e.g. an uploaded CSV file.
    Text(&'static str, String),
}

/// Sends one request and returns the response when its status is 2xx.
pub async fn request(method: &str, path: &str, body: Body) -> Result<Response, Fail> {
    let headers = Headers::new().map_err(network)?;
    match credentials() {
        Credentials::Token(t) => headers.set("authorization", &format!("Bearer {t}")).map_err(network)?,
        Credentials::Session(csrf) => headers.set("x-csrf-token", &csrf).map_err(network)?,
        Credentials::None => {}
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    match body {
        Body::Empty => {}
        Body::Json(text) => {
            headers.set("content-type", "application/json").map_err(network)?;
            init.set_body(&JsValue::from_str(&text));
        }
        Body::Text(content_type, text) => {
            headers.set("content-type", content_type).map_err(network)?;
            init.set_body(&JsValue::from_str(&text));
        }
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(path, &init).map_err(network)?;
    let window = web_sys::window().expect("a window");
    let response: Response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(network)?.unchecked_into();
    match response.status() {
        200..=299 => Ok(response),
        401 => Err(Fail::Unauthorised),
        status => Err(refusal(status, &text_of(&response).await.unwrap_or_default())),
    }
}

/// The server's refusal (`{"error": "…", "details": […]}`) as a [`Fail`].
fn refusal(status: u16, body: &str) -> Fail {
    match serde_json::from_str::<Refusal>(body) {
        Ok(r) => Fail::Refused { message: r.error, details: r.details.into_iter().map(|d| d.0).collect() },
        Err(_) => Fail::Refused { message: format!("the server answered {status}"), details: Vec::new() },
    }
}

async fn text_of(response: &Response) -> Result<String, Fail> {
    let text = JsFuture::from(response.text().map_err(network)?).await.map_err(network)?;
    Ok(text.as_string().unwrap_or_default())
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, Fail> {
    let text = text_of(&response).await?;
    serde_json::from_str(&text).map_err(|e| Fail::Refused {
        message: format!("the server's answer could not be read: {e}"),
        details: Vec::new(),
    })
}

/// `GET path`, read as `T`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Fail> {
    read(request("GET", path, Body::Empty).await?).await
}

/// `method path` with `body` as JSON, the answer read as `T`.
pub async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(method: &str, path: &str, body: &B) -> Result<T, Fail> {
    let json = serde_json::to_string(body).expect("a request body serialises");
    read(request(method, path, Body::Json(json)).await?).await
}

/// `method path` with `body`, the answer ignored.
pub async fn send_only(method: &str, path: &str, body: Body) -> Result<(), Fail> {
    request(method, path, body).await.map(|_| ())
}

/// Fetches `path` and saves it as `filename`, as a download.
pub async fn download(path: &str, filename: &str) -> Result<(), Fail> {
    let response = request("GET", path, Body::Empty).await?;
    let blob: web_sys::Blob =
        JsFuture::from(response.blob().map_err(network)?).await.map_err(network)?.unchecked_into();
    save_blob(&blob, filename)
}

/// Saves `text` of type `content_type` as `filename`, as a download.
#[cfg(feature = "editor")]
pub fn save_text(text: &str, content_type: &str, filename: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
        let _ = save_blob(&blob, filename);
    }
}

fn save_blob(blob: &web_sys::Blob, filename: &str) -> Result<(), Fail> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(network)?;
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(network)?.unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    document.body().expect("a body").append_child(&a).map_err(network)?;
    a.click();
    a.remove();
    // The browser has taken the file by the time the next task runs.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = web_sys::window()
        .expect("a window")
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Ok(())
}

/// A path segment, percent-encoded.
pub fn enc(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}

/// The API's address for survey `id`, and `rest` under it.
pub fn survey_path(id: &str, rest: &str) -> String {
    format!("/api/v1/surveys/{}{rest}", enc(id))
}
