//! `GET …/trend` (and `trend.csv`): how each answer moved between waves, from the published waves
//! only, worked out once per publication ([`crate::store::Published::trend`]).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use pulse_shared::{Lang, SurveyTrend};

use crate::admin::results::published;
use crate::auth::access::Admin;
use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiQuery;
use crate::http::language::LangQuery;
use crate::store::Published;
use crate::AppState;

/// How each answer moved between waves, per context and overall, with 95% intervals.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/trend",
    operation_id = "trend",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id"), LangQuery),
    responses(
        (status = 200, description = "The trend, suppressed as each wave's results are", body = SurveyTrend),
        (status = 400, description = "A malformed query", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn trend_json(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<LangQuery>,
) -> Result<Response, ApiError> {
    let lang = crate::http::language::lang_param(query.lang.as_deref())?;
    // Written once per publication and language, and kept: at the wave limit it is 10 MB of JSON.
    let survey = id.clone();
    let published = published(&state, id).await?;
    // English is the trend as published; another language needs the current definition's words
    // and the waves' names.
    let current = match lang {
        Lang::En => None,
        _ => Some(
            state
                .store
                .read(move |store| {
                    Ok::<_, ApiError>((crate::public::surveys::current(store, &survey)?, store.waves(&survey)))
                })
                .await?,
        ),
    };
    let scope = admin.scope().map(<[String]>::to_vec);
    let key = format!("trend.{}.{scope:?}.json", lang.code());
    let source = published.clone();
    let make = move || {
        let trend = trend_for(&source, scope.as_deref());
        let json = match current {
            None => serde_json::to_vec(&*trend),
            Some((current, waves)) => {
                let mut relabelled = (*trend).clone();
                pulse_shared::relabel::trend(&mut relabelled, &current.definition, &waves, lang);
                serde_json::to_vec(&relabelled)
            }
        };
        Ok::<_, ApiError>((String::new(), json.map_err(|e| ApiError::Internal(e.to_string()))?))
    };
    let (_, json) = published.file(key, make).await?;
    Ok(([(CONTENT_TYPE, "application/json")], json).into_response())
}

/// The trend as CSV: one row per figure, column and wave.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/trend.csv",
    operation_id = "trend_csv",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "CSV download", content_type = "text/csv", body = String),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn trend_csv(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let scope = admin.scope().map(<[String]>::to_vec);
    let name = match &scope {
        Some(scope) => format!("{id}-{}-trend.csv", scope.join("-")),
        None => format!("{id}-trend.csv"),
    };
    let published = published(&state, id).await?;
    let (source, key) = (published.clone(), format!("trend.{scope:?}.csv"));
    let make = move || {
        let trend = trend_for(&source, scope.as_deref());
        Ok::<_, ApiError>((name, crate::export::trend_csv(&trend).into_bytes()))
    };
    let (name, csv) = published.file(key, make).await?;
    Ok(crate::http::responses::download("text/csv; charset=utf-8", name, csv))
}

/// The trend an admin may read: the whole of it, or a viewer's own contexts' (made from their
/// scoped results only, [`pulse_shared::trend::scoped_trend`]).
pub(crate) fn trend_for(published: &Published, scope: Option<&[String]>) -> Arc<SurveyTrend> {
    match scope {
        None => published.trend().clone(),
        Some(scope) => Arc::new(pulse_shared::trend::scoped_trend(&published.combined, &published.waves, scope)),
    }
}
