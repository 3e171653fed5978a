//! Getting the survey and delivering answers. A response is saved on this device before it is first
//! sent and removed only when the server has acknowledged it, so a network failure, a server
//! restart or a closed tab never loses it; the same submission id on every retry means the server
//! stores it once.

use crate::wire;
use js_sys::Uint8Array;
use pulse_shared::{Lang, SubmissionId, SurveyResponse};
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

    fn pending_round_key(&self) -> String {
        format!("pulse:pending-round:{}|{}|{}", self.endpoint, self.survey, self.context.as_deref().unwrap_or(""))
    }

    /// The note is kept per round of the survey: the wave, for a survey with waves (a pulse runs one
    /// version through many), else the version.
    fn answered_key(&self, round: &str) -> String {
        format!("pulse:answered:{}|{}|{round}", self.endpoint, self.survey)
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

/// Keeps `response`, and the round it answers, until the server has it.
pub fn save_pending(embed: &Embed, response: &SurveyResponse, round: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(&embed.pending_key(), &response.to_json());
        let _ = s.set_item(&embed.pending_round_key(), round);
    }
}

/// Forgets the saved response; once delivered, notes that this device answered in its round.
fn clear_pending(embed: &Embed, delivered: bool) {
    let Some(s) = storage() else { return };
    if let (true, Ok(Some(round))) = (delivered, s.get_item(&embed.pending_round_key())) {
        let _ = s.set_item(&embed.answered_key(&round), "1");
    }
    let _ = s.remove_item(&embed.pending_key());
    let _ = s.remove_item(&embed.pending_round_key());
}

/// The round a response belongs to: the wave open today, else the version.
pub fn round(wave: Option<&str>, version: u32) -> String {
    wave.map_or_else(|| format!("v{version}"), |w| format!("w:{w}"))
}

/// Whether this device has sent answers in this round. Kept only here, never sent anywhere.
pub fn has_answered(embed: &Embed, round: &str) -> bool {
    storage().and_then(|s| s.get_item(&embed.answered_key(round)).ok().flatten()).is_some()
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

/// Why the survey could not be had: `refused` when the server answered that this page cannot have
/// it (an unknown survey, an origin it does not allow), with its words for the page's editor.
pub struct LoadError {
    pub refused: Option<String>,
}

pub async fn fetch_definition(embed: &Embed) -> Result<wire::Served, LoadError> {
    let failed = LoadError { refused: None };
    let Ok((status, body)) = fetch(&embed.survey_url(), "GET", None, embed.lang).await else { return Err(failed) };
    match status {
        200 => wire::served(&body).ok_or(failed),
        403 | 404 => {
            Err(LoadError { refused: Some(wire::error_message(&body).unwrap_or_else(|| format!("status {status}"))) })
        }
        _ => Err(failed),
    }
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
        Ok((_, body)) => Delivery::Refused(wire::error_message(&body)),
    };
    match &outcome {
        Delivery::Delivered => clear_pending(embed, true),
        Delivery::Refused(_) => clear_pending(embed, false),
        Delivery::TryLater => {}
    }
    outcome
}

/// Seconds to wait before retry number `attempt` (0-based): 1, 2, 4, … up to 30.
pub fn backoff_seconds(attempt: u32) -> u64 {
    (1u64 << attempt.min(5)).min(30)
}
