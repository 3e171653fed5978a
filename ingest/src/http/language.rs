//! The language a request asks for: from `Accept-Language` (refusals of a response) or from a
//! `lang` query parameter (the iframe page and the showcase).

use axum::http::HeaderMap;
use pulse_shared::Lang;

use crate::error::ApiError;

/// The language a request's `Accept-Language` asks for first, of those Values Pulse speaks;
/// English when it names none.
pub fn accept_language(headers: &HeaderMap) -> Lang {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or_default()
}

/// The language of an admin's view of a survey (`?lang=`), as the results, the trend and the
/// evidence pack take it.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// `en` (the default) or `cy`: the language of the survey's own words (its title, questions,
    /// answers and contexts) where the survey has them. Ids and figures are the same in both.
    #[param(pattern = "^(en|cy)$")]
    pub lang: Option<String>,
}

/// A `lang` query parameter: English when absent, a 400 for an empty one (`lang=`, which the API
/// document does not allow) or a language Values Pulse does not speak.
pub fn lang_param(tag: Option<&str>) -> Result<Lang, ApiError> {
    match tag.map(str::trim) {
        None => Ok(Lang::En),
        Some("") => Err(ApiError::BadQuery("lang is empty: give en or cy, or leave lang out".into())),
        Some(tag) => Lang::from_tag(tag)
            .ok_or_else(|| ApiError::BadQuery(format!("lang {tag:?} is not a language of Values Pulse: use en or cy"))),
    }
}

/// The language an embed asked for: its `lang`, or else the tags its page declares (`page_lang`,
/// comma-separated, in order), the first Values Pulse speaks, as the survey widget chooses.
pub fn embed_lang(lang: Option<&str>, page_lang: Option<&str>) -> Result<Lang, ApiError> {
    match (lang, page_lang) {
        (None, Some(tags)) => Ok(Lang::for_page(tags.split(','))),
        (lang, _) => lang_param(lang),
    }
}
