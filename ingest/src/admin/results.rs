//! Results for admins, always suppressed: JSON at `…/results`, the same figures as CSV and XLSX.
//! Figures are read from the stored counters, so their cost
//! follows the number of questions, not the number of responses.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Json};
use pulse_shared::results::Download;
use pulse_shared::{Lang, SurveyResults, SurveyTrend};
use serde::Deserialize;

use crate::auth::access::Admin;
use crate::error::{ApiError, ErrorBody};
use crate::export;
use crate::http::extract::ApiQuery;
use crate::http::responses::download;
use crate::store::{Published, Store, StoreError};
use crate::AppState;

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    /// One version's results; all versions combined when absent.
    pub version: Option<u32>,
    /// One wave's results (all versions combined), by wave id, or `_before` for the responses from
    /// before the survey had waves; all waves together when absent. Not with `version`.
    pub wave: Option<String>,
    /// `en` (the default) or `cy`: the language of the survey's own words in the JSON (its title,
    /// questions, answers and contexts) where the survey has them. Ids and figures are the same in
    /// both. The downloads' labels follow it; the files themselves are labelled in English.
    #[param(pattern = "^(en|cy)$")]
    pub lang: Option<String>,
}

/// Which results: all, one version, or one wave.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub version: Option<u32>,
    pub wave: Option<String>,
}

impl Selection {
    /// The query string that chose these results, for download links.
    fn query(&self) -> String {
        match (&self.version, &self.wave) {
            (Some(v), _) => format!("?version={v}"),
            (None, Some(w)) => format!("?wave={w}"),
            (None, None) => String::new(),
        }
    }
}

/// Why results could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("no survey {0:?}")]
    NoSurvey(String),
    #[error("survey {0:?} has no version {1}")]
    NoVersion(String, u32),
    #[error("survey {0:?} has no wave {1:?} with results")]
    NoWave(String, String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ResultsError> for ApiError {
    fn from(e: ResultsError) -> Self {
        match e {
            ResultsError::Store(e) => e.into(),
            other => ApiError::NotFound(other.to_string()),
        }
    }
}

/// What [`survey_results`] reads: the results chosen, and what the survey publishes beside them.
pub struct Chosen {
    pub results: SurveyResults,
    /// Whether its stories may be read ([`pulse_shared::publish`]).
    pub stories: bool,
    /// Whether it has waves, and so a trend.
    pub has_waves: bool,
    /// Its trend, when asked for and it has waves.
    pub trend: Option<Arc<SurveyTrend>>,
}

/// The results of a survey as [`pulse_shared::publish`] allows them: one version, one wave, or (by
/// default) all versions and waves combined, with the trend when `with_trend` asks for it.
pub fn survey_results(
    store: &Store,
    id: &str,
    selection: &Selection,
    with_trend: bool,
) -> Result<Chosen, ResultsError> {
    let publication = store.publication(id)?.ok_or_else(|| ResultsError::NoSurvey(id.to_string()))?;
    let has_waves = !publication.waves.is_empty();
    let trend = (with_trend && has_waves).then(|| publication.trend().clone());
    let results = match (selection.version, &selection.wave) {
        (Some(v), _) => publication
            .versions
            .iter()
            .find(|r| r.version == v)
            .cloned()
            .ok_or_else(|| ResultsError::NoVersion(id.to_string(), v))?,
        (None, Some(w)) => {
            publication.wave(w).cloned().ok_or_else(|| ResultsError::NoWave(id.to_string(), w.clone()))?
        }
        (None, None) => publication.combined.clone(),
    };
    Ok(Chosen { results, stories: publication.stories, has_waves, trend })
}

/// What survey `id` publishes now (its figures, trend and the downloads made from them).
pub async fn published(state: &AppState, id: String) -> Result<Arc<Published>, ApiError> {
    let survey = id.clone();
    let found = state.store.read(move |store| store.publication(&survey)).await?;
    found.ok_or_else(|| ApiError::NotFound(format!("no survey {id:?}")))
}

/// The name part that says which results a download holds: `v2`, `wave-2026-q3`, or `all-versions`.
fn scope_name(results: &SurveyResults) -> String {
    if let Some(w) = &results.wave {
        format!("wave-{}", w.id.trim_start_matches('_'))
    } else if results.versions.len() > 1 {
        "all-versions".to_string()
    } else {
        format!("v{}", results.version)
    }
}

/// The downloads of `results`, with the names to save them under and their labels in `lang`.
fn downloads(results: &SurveyResults, selection: &Selection, stories: bool, trend: bool, lang: Lang) -> Vec<Download> {
    let base = format!("/api/v1/surveys/{}", results.survey);
    let query = selection.query();
    let file = format!("{}-{}-results", results.survey, scope_name(results));
    let mut out: Vec<Download> =
        [("CSV", "results.csv", "csv"), ("JSON", "results", "json"), ("XLSX", "results.xlsx", "xlsx")]
            .into_iter()
            .map(|(label, path, ext)| Download {
                label: format!("{} {label}", lang.pick("Download", "Lawrlwytho")),
                href: format!("{base}/{path}{query}"),
                filename: format!("{file}.{ext}"),
            })
            .collect();
    if trend {
        out.push(Download {
            label: lang.pick("Download trend (CSV)", "Lawrlwytho'r duedd (CSV)").into(),
            href: format!("{base}/trend.csv"),
            filename: format!("{}-trend.csv", results.survey),
        });
    }
    if stories {
        out.push(Download {
            label: lang.pick("Download stories (CSV)", "Lawrlwytho'r straeon (CSV)").into(),
            href: format!("{base}/stories.csv"),
            filename: format!("{}-stories.csv", results.survey),
        });
    }
    out
}

/// The results an admin asked for, as their role lets them see them: a viewer gets only their
/// contexts ([`SurveyResults::scoped`]), no trend, and no downloads of what they cannot see. With
/// `in_words`, the results' words are in the language asked for ([`pulse_shared::relabel`]);
/// downloads are always in English.
async fn read_results(
    state: &AppState,
    admin: &Admin,
    id: String,
    query: ResultsQuery,
    with_trend: bool,
    in_words: bool,
) -> Result<(SurveyResults, Option<Arc<SurveyTrend>>), ApiError> {
    if query.version.is_some() && query.wave.is_some() {
        return Err(ApiError::BadQuery("choose a version or a wave, not both".into()));
    }
    let lang = crate::http::language::lang_param(query.lang.as_deref())?;
    let words = if in_words { lang } else { Lang::En };
    let selection = Selection { version: query.version, wave: query.wave };
    let chosen = selection.clone();
    let Chosen { mut results, stories, has_waves, trend } = state
        .store
        .read(move |store| {
            let mut chosen = survey_results(store, &id, &chosen, with_trend)?;
            if words != Lang::En {
                let current = crate::public::surveys::current(store, &id)?;
                pulse_shared::relabel::results(&mut chosen.results, &current.definition, &store.waves(&id), words);
            }
            Ok::<_, ApiError>(chosen)
        })
        .await?;
    if let Some(scope) = admin.scope() {
        // Scoped after relabelling, so that its own sentences name the groups in the same words.
        let mut scoped = results.scoped(scope, words);
        scoped.downloads = downloads(&scoped, &selection, false, has_waves, lang);
        // Their trend, made from their scoped results as the trend page's is.
        let trend = match trend {
            Some(_) => {
                let published = published(state, scoped.survey.clone()).await?;
                Some(crate::admin::trend::trend_for(&published, Some(scope)))
            }
            None => None,
        };
        return Ok((scoped, trend));
    }
    results.downloads = downloads(&results, &selection, stories, has_waves, lang);
    Ok((results, trend))
}

/// Suppressed results as JSON.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id"), ResultsQuery),
    responses(
        (status = 200, description = "Suppressed results", body = SurveyResults),
        (status = 400, description = "A malformed query", body = ErrorBody),
        (status = 404, description = "No such survey, version or wave", body = ErrorBody),
    )
)]
pub async fn results_json(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<ResultsQuery>,
) -> Result<Json<SurveyResults>, ApiError> {
    Ok(Json(read_results(&state, &admin, id, query, false, true).await?.0))
}

/// Suppressed results as CSV: one row per question, matrix row, option and context.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results.csv",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id"), ResultsQuery),
    responses(
        (status = 200, description = "CSV download", content_type = "text/csv", body = String),
        (status = 400, description = "A malformed query", body = ErrorBody),
        (status = 404, description = "No such survey, version or wave", body = ErrorBody),
    )
)]
pub async fn results_csv(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<ResultsQuery>,
) -> Result<Response, ApiError> {
    let (results, _) = read_results(&state, &admin, id, query, false, false).await?;
    let name = format!("{}-{}-results.csv", results.survey, scope_name(&results));
    Ok(download("text/csv; charset=utf-8", name, export::results_csv(&results)))
}

/// Suppressed results as an XLSX workbook.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results.xlsx",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id"), ResultsQuery),
    responses(
        (status = 200, description = "XLSX download", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 400, description = "A malformed query", body = ErrorBody),
        (status = 404, description = "No such survey, version or wave", body = ErrorBody),
    )
)]
pub async fn results_xlsx(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    Path(id): Path<String>,
    ApiQuery(asked): ApiQuery<ResultsQuery>,
) -> Result<Response, ApiError> {
    // A workbook is made once for each view of what is published now, and kept with it: the next
    // admin to download it gets the same bytes at once; any change to the figures makes a new one.
    let published = published(&state, id.clone()).await?;
    let references = {
        let id = id.clone();
        state.store.read(move |store| store.references(&id)).await?
    }
    .references;
    // The reference figures are in the workbook but not in what is published: a change to them
    // makes a new one too.
    let key = format!(
        "results.xlsx {:?} {:?} {:?} {}",
        asked.version,
        asked.wave,
        admin.scope(),
        serde_json::to_string(&references).unwrap_or_default()
    );
    let (results, trend) = read_results(&state, &admin, id, asked, true, false).await?;
    let organisation = state.organisation.clone();
    let make = move || {
        let bytes = export::results_xlsx(&results, trend.as_deref(), &organisation, &references)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok::<_, ApiError>((format!("{}-{}-results.xlsx", results.survey, scope_name(&results)), bytes))
    };
    let (name, bytes) = published.file(key, make).await?;
    Ok(download("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name, bytes))
}
