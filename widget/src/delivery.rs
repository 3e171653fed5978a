//! Getting the survey and delivering answers. A response is saved on this device before it is first
//! sent and removed only when the server has acknowledged it, so a network failure, a server
//! restart or a closed tab never loses it; the same submission id on every retry means the server
//! stores it once.

use crate::wire;
use js_sys::Uint8Array;
use pulse_shared::{Lang, SubmissionId, SurveyDefinition, SurveyResponse};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, RequestMode, Response, Storage};

/// Where and what one widget on the page was asked to show, from its element's data attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// `data-pulse-survey`.
    pub survey: String,
    /// `data-pulse-endpoint`, else the origin the loader came from; no trailing slash.
    pub endpoint: String,
    /// `data-pulse-context`, if the page gives one.
    pub context: Option<String>,
    /// `data-pulse-lang`, else the page's `lang`, else English.
    pub lang: Lang,
}

impl Embed {
    fn pending_key(&self) -> String {
        format!("pulse:pending:{}|{}|{}", self.endpoint, self.survey, self.context.as_deref().unwrap_or(""))
    }

    fn answered_key(&self, version: u32) -> String {
        format!("pulse:answered:{}|{}|v{version}", self.endpoint, self.survey)
    }

    fn survey_url(&self) -> String {
        format!("{}/api/v1/surveys/{}", self.endpoint, self.survey)
    }
}

/// What became of one attempt to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Stored (now or earlier): forget the saved copy.
    Delivered,
    /// Refused for good (e.g. the survey closed): forget the saved copy and say why, if the server
    /// said.
    Refused(Option<String>),
    /// Network failure, timeout or server trouble: keep the copy and try again later.
    TryLater,
}

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A fresh random submission id from the browser's cryptographic generator.
pub fn new_submission_id() -> SubmissionId {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    SubmissionId(bytes)
}

/// The response saved on this device and not yet acknowledged, if any.
pub fn pending(embed: &Embed) -> Option<SurveyResponse> {
    let json = storage()?.get_item(&embed.pending_key()).ok()??;
    wire::response(&json)
}

pub fn save_pending(embed: &Embed, response: &SurveyResponse) {
    if let Some(s) = storage() {
        let _ = s.set_item(&embed.pending_key(), &response.to_json());
    }
}

fn clear_pending(embed: &Embed) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&embed.pending_key());
    }
}

/// Whether this device has sent answers to this version. Kept only here, never sent anywhere.
pub fn has_answered(embed: &Embed, version: u32) -> bool {
    storage().and_then(|s| s.get_item(&embed.answered_key(version)).ok().flatten()).is_some()
}

fn mark_answered(embed: &Embed, version: u32) {
    if let Some(s) = storage() {
        let _ = s.set_item(&embed.answered_key(version), "1");
    }
}

async fn fetch(url: &str, method: &str, body: Option<&str>, lang: Lang) -> Result<(u16, String), JsValue> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    // Never send the intranet's cookies: the survey must not know who is answering.
    init.set_credentials(RequestCredentials::Omit);
    if let Some(body) = body {
        let headers = Headers::new()?;
        headers.set("content-type", "application/json")?;
        // So that any refusal comes back in the widget's language (a CORS-safelisted header).
        headers.set("accept-language", lang.code())?;
        init.set_headers(&headers);
        init.set_body(&Uint8Array::from(body.as_bytes()));
    }
    let request = Request::new_with_str_and_init(url, &init)?;
    let window = web_sys::window().ok_or("no window")?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request)).await?.dyn_into()?;
    let text = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    Ok((response.status(), text))
}

pub async fn fetch_definition(embed: &Embed) -> Result<(SurveyDefinition, Option<pulse_shared::Text>), String> {
    let (status, body) = fetch(&embed.survey_url(), "GET", None, embed.lang).await.map_err(|e| format!("{e:?}"))?;
    if status != 200 {
        return Err(format!("status {status}"));
    }
    wire::definition_and_closed(&body).ok_or_else(|| "the survey definition could not be read".to_string())
}

/// Sends a response once; on success or final refusal forgets the saved copy.
pub async fn send(embed: &Embed, response: &SurveyResponse) -> Delivery {
    let body = response.to_json();
    let url = format!("{}/responses", embed.survey_url());
    let outcome = match fetch(&url, "POST", Some(&body), embed.lang).await {
        Err(_) => Delivery::TryLater,
        Ok((200 | 201, _)) => Delivery::Delivered,
        // Timeouts, rate limits and server trouble pass; try again later.
        Ok((408 | 429 | 500..=599, _)) => Delivery::TryLater,
        // The first field error says most (and is in the widget's language); else the error itself.
        Ok((_, body)) => Delivery::Refused(js_sys::JSON::parse(&body).ok().and_then(|v| {
            let get = |v: &JsValue, key: &str| js_sys::Reflect::get(v, &key.into()).ok();
            let first_detail = get(&v, "details").and_then(|d| get(&d, "0")).and_then(|d| get(&d, "message"));
            first_detail.and_then(|m| m.as_string()).or_else(|| get(&v, "error")?.as_string())
        })),
    };
    match &outcome {
        Delivery::Delivered => {
            clear_pending(embed);
            mark_answered(embed, response.survey_version);
        }
        Delivery::Refused(_) => clear_pending(embed),
        Delivery::TryLater => {}
    }
    outcome
}

/// Seconds to wait before retry number `attempt` (0-based): 1, 2, 4, … up to 30.
pub fn backoff_seconds(attempt: u32) -> u64 {
    (1u64 << attempt.min(5)).min(30)
}
