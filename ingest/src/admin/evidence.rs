//! The values evidence pack for admins: `GET …/evidence/{value}` for one NHS value (the dashboard's
//! printable page) and `GET …/evidence.xlsx` with a sheet per value. What goes in it is decided in
//! [`pulse_shared::evidence`], from the published results, their trend and the approved stories.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Json};
use pulse_shared::evidence::{evidence, EvidenceStory, ValueEvidence};
use pulse_shared::{Lang, NhsValue};

use crate::admin::results::{survey_results, Chosen, Selection};
use crate::auth::access::Admin;
use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiQuery;
use crate::store::{Store, StoryStatus};
use crate::AppState;

/// The evidence packs of `values` for survey `id`, in `lang`.
/// The packs of `values`, for everyone or, for a viewer, made from their contexts' results alone.
fn packs(
    store: &Store,
    id: &str,
    values: &[NhsValue],
    lang: Lang,
    scope: Option<&[String]>,
) -> Result<Vec<ValueEvidence>, ApiError> {
    let survey = crate::public::surveys::current(store, id)?;
    let Chosen { results: mut combined, mut trend, .. } = survey_results(store, id, &Selection::default(), true)?;
    if let Some(scope) = scope {
        if let Some(publication) = store.publication(id)? {
            trend = trend.map(|_| crate::admin::trend::trend_for(&publication, Some(scope)));
        }
        combined = combined.scoped(scope, Lang::En);
    }
    if lang != Lang::En {
        let waves = store.waves(id);
        pulse_shared::relabel::results(&mut combined, &survey.definition, &waves, lang);
        if let Some(trend) = &mut trend {
            pulse_shared::relabel::trend(std::sync::Arc::make_mut(trend), &survey.definition, &waves, lang);
        }
    }
    let stories: Vec<EvidenceStory> = match store.story_publication(&survey.definition.id)? {
        Some(publication) => store
            .stories(id, &publication)?
            .into_iter()
            .map(|(_, s)| s)
            .filter(|s| s.status == StoryStatus::Approved)
            .map(|s| EvidenceStory { text: s.text, values: s.values, media: s.media })
            .collect(),
        None => Vec::new(),
    };
    Ok(values.iter().map(|&v| evidence(&survey.definition, &combined, trend.as_deref(), &stories, v, lang)).collect())
}

fn value_param(value: &str) -> Result<NhsValue, ApiError> {
    NhsValue::from_id(value).ok_or_else(|| {
        let ids: Vec<&str> = NhsValue::ALL.iter().map(|v| v.id()).collect();
        ApiError::NotFound(format!("{value:?} is not an NHS value: use one of {}", ids.join(", ")))
    })
}

/// What the survey says about one NHS value, beside the approved stories tagged with it.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/evidence/{value}",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id"), ("value" = String, Path, description = "An NHS value id, e.g. compassion"), crate::http::language::LangQuery),
    responses(
        (status = 200, description = "The value's scores and shares by context with their trend, and its approved stories", body = ValueEvidence),
        (status = 400, description = "A malformed query", body = ErrorBody),
        (status = 404, description = "No such survey or NHS value", body = ErrorBody),
    )
)]
pub async fn value_json(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    Path((id, value)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<crate::http::language::LangQuery>,
) -> Result<Json<ValueEvidence>, ApiError> {
    let lang = crate::http::language::lang_param(query.lang.as_deref())?;
    let value = value_param(&value)?;
    let scope = admin.scope().map(<[String]>::to_vec);
    let mut packs = state.store.read(move |store| packs(store, &id, &[value], lang, scope.as_deref())).await?;
    Ok(Json(packs.remove(0)))
}

/// The evidence pack of every NHS value as a workbook: one sheet per value.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/evidence.xlsx",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "XLSX download", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn xlsx(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let survey = id.clone();
    let scope = admin.scope().map(<[String]>::to_vec);
    let packs =
        state.store.read(move |store| packs(store, &survey, &NhsValue::ALL, Lang::En, scope.as_deref())).await?;
    let bytes = crate::export::evidence_xlsx(&packs).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(crate::http::responses::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("{id}-values-evidence.xlsx"),
        bytes,
    ))
}
