//! Drafts of survey definitions, as the editor writes them: kept on the server so that a reload or a
//! second admin never loses work, saved only on top of the revision the admin started from, and
//! published as the survey's next version through the same check as every definition.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use pulse_shared::draft::{Draft, DraftPublish, DraftSave, DraftState, DraftSummary};
use pulse_shared::{is_slug, SurveyDefinition};
use serde::Deserialize;

use crate::auth::access::{Admin, AuditDetail};
use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::public::surveys::{summaries, SurveySummary};
use crate::store::{Store, StoreError};
use crate::AppState;

fn slug_id(id: &str) -> Result<(), ApiError> {
    if is_slug(id) {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!("{id:?} is not a survey id: 1–64 lowercase letters, digits, '-' or '_'")))
    }
}

/// Every draft.
#[utoipa::path(
    get,
    path = "/api/v1/drafts",
    operation_id = "list_drafts",
    tag = "admin",
    responses((status = 200, description = "The drafts, by survey id", body = Vec<DraftSummary>))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<DraftSummary>>, ApiError> {
    let drafts = state.store.read(|store| store.drafts()).await?;
    Ok(Json(
        drafts
            .into_iter()
            .map(|d| DraftSummary {
                id: d.definition.id.clone(),
                title: d.definition.title,
                revision: d.revision,
                based_on: d.based_on,
                saved_by: d.saved_by,
                saved_at: d.saved_at,
            })
            .collect(),
    ))
}

/// The draft of survey `id` with the survey's current version and latest headcounts; for a
/// published survey without a draft, its current version as a draft not saved yet (revision 0).
fn state_of(store: &Store, id: &str) -> Result<DraftState, ApiError> {
    let published = store.survey(id).map(|p| p.definition.clone());
    let draft = match (store.draft(id)?, &published) {
        (Some(draft), _) => draft,
        (None, Some(def)) => Draft {
            definition: def.clone(),
            revision: 0,
            based_on: Some(def.version),
            saved_by: String::new(),
            saved_at: String::new(),
        },
        (None, None) => return Err(ApiError::NotFound(format!("no survey or draft {id:?}"))),
    };
    // The latest wave with headcounts says how many people each context has.
    let all = store.headcounts(id)?;
    let waves = store.waves(id);
    let latest = waves.iter().rev().find(|w| all.iter().any(|h| h.wave == w.id));
    let headcounts = latest
        .map(|w| all.iter().filter(|h| h.wave == w.id).map(|h| (h.context.clone(), h.headcount)).collect())
        .unwrap_or_default();
    Ok(DraftState { draft, published, headcounts })
}

/// A survey's draft, with its published version and latest headcounts.
#[utoipa::path(
    get,
    path = "/api/v1/drafts/{id}",
    operation_id = "get_draft",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "The draft (revision 0: the published version, not saved as a draft yet)", body = DraftState),
        (status = 404, description = "No such survey or draft", body = ErrorBody),
    )
)]
pub async fn get_draft(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<DraftState>, ApiError> {
    slug_id(&id)?;
    Ok(Json(state.store.read(move |store| state_of(store, &id)).await?))
}

/// Saves a draft on top of the revision the editor started from.
#[utoipa::path(
    put,
    path = "/api/v1/drafts/{id}",
    operation_id = "save_draft",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    request_body = DraftSave,
    responses(
        (status = 200, description = "Saved; its revision is one more than the one sent", body = Draft),
        (status = 400, description = "Malformed JSON, or an id that is not a survey id", body = ErrorBody),
        (status = 409, description = "Another admin saved after the revision sent, or a new survey's id is taken; says which", body = ErrorBody),
        (status = 422, description = "The definition's id is not the draft's", body = ErrorBody),
    )
)]
pub async fn save_draft(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Extension(admin): Extension<Admin>,
    ApiJson(save): ApiJson<DraftSave>,
) -> Result<(Extension<AuditDetail>, Json<Draft>), ApiError> {
    slug_id(&id)?;
    if save.definition.id != id {
        return Err(ApiError::Unprocessable(format!(
            "the definition's id {:?} is not this draft's ({id:?}): a survey keeps its id",
            save.definition.id
        )));
    }
    let draft = match state.store.save_draft(&id, save, admin.name.clone()).await {
        Ok(draft) => draft,
        Err(StoreError::Conflict(why)) => return Err(ApiError::Conflict(why)),
        Err(e) => return Err(e.into()),
    };
    Ok((Extension(AuditDetail(format!("revision {}", draft.revision))), Json(draft)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DiscardQuery {
    /// The revision the admin means to discard.
    revision: u64,
}

/// Discards a draft (the published survey, if any, is unchanged).
#[utoipa::path(
    delete,
    path = "/api/v1/drafts/{id}",
    operation_id = "discard_draft",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id"), DiscardQuery),
    responses(
        (status = 204, description = "Discarded"),
        (status = 404, description = "No such draft", body = ErrorBody),
        (status = 409, description = "Saved again after that revision", body = ErrorBody),
    )
)]
pub async fn discard_draft(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<DiscardQuery>,
) -> Result<StatusCode, ApiError> {
    slug_id(&id)?;
    match state.store.discard_draft(&id, query.revision).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(StoreError::Conflict(why)) => Err(ApiError::Conflict(why)),
        Err(StoreError::NotFound(why)) => Err(ApiError::NotFound(why)),
        Err(e) => Err(e.into()),
    }
}

/// Publishes a draft as the survey's next version (1 for a new survey) and discards the draft.
#[utoipa::path(
    post,
    path = "/api/v1/drafts/{id}/publish",
    operation_id = "publish_draft",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    request_body = DraftPublish,
    responses(
        (status = 201, description = "Published", body = SurveySummary),
        (status = 404, description = "No such draft", body = ErrorBody),
        (status = 409, description = "Saved again after the revision sent", body = ErrorBody),
        (status = 422, description = "The definition breaks a rule; details lists each", body = ErrorBody),
    )
)]
pub async fn publish_draft(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(publish): ApiJson<DraftPublish>,
) -> Result<(StatusCode, Extension<AuditDetail>, Json<SurveySummary>), ApiError> {
    slug_id(&id)?;
    let key = id.clone();
    let draft = state
        .store
        .read(move |store| store.draft(&key))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("survey {id:?} has no draft")))?;
    let mut def: SurveyDefinition = draft.definition;
    def.version = state.store.survey(&id).map_or(1, |p| p.definition.version + 1);
    let problems = def.check();
    if !problems.is_empty() {
        return Err(ApiError::InvalidDefinition(problems));
    }
    match state.store.publish_draft(publish.revision, def.clone()).await {
        Ok(()) => {}
        Err(StoreError::Conflict(why)) => return Err(ApiError::Conflict(why)),
        Err(StoreError::VersionExists(id, v)) => {
            return Err(ApiError::Conflict(format!("survey {id:?} already has version {v}: open the draft again")))
        }
        Err(StoreError::NotFound(why)) => return Err(ApiError::NotFound(why)),
        Err(e) => return Err(e.into()),
    }
    let all = state.store.read(summaries).await?;
    let summary =
        all.into_iter().find(|s| s.id == id).ok_or_else(|| ApiError::Internal("published survey missing".into()))?;
    let detail = AuditDetail(format!("{id} version {} from draft revision {}", def.version, publish.revision));
    Ok((StatusCode::CREATED, Extension(detail), Json(summary)))
}
