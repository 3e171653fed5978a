//! What the admin API sends and takes, beside the results, trend and evidence pack (in their own
//! modules): one set of types that the server serialises and the dashboard deserialises, so a
//! changed shape is a compile error in the dashboard rather than a blank page.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::results::Heading;
use crate::{Date, Role, StoryLink, Text, Wave};

/// How an admin was let in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    SignIn,
    Token,
}

/// The admin making a request (`GET /api/v1/me`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Admin {
    /// A person's name and address, or a token's name.
    pub name: String,
    pub role: Role,
    /// A viewer's contexts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<String>,
    pub via: Via,
    /// A signed-in person's account at the provider (`sub` at the issuer), for the audit log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

impl Admin {
    /// Whether this admin's role is one of `roles` (an owner may do everything).
    pub fn may(&self, roles: &[Role]) -> bool {
        self.role == Role::Owner || roles.contains(&self.role)
    }

    /// The contexts this admin is limited to, or `None` for every figure.
    pub fn scope(&self) -> Option<&[String]> {
        (self.role == Role::Viewer).then_some(self.contexts.as_slice())
    }

    /// An audit entry of this admin's action.
    pub fn event(&self, action: &str, target: impl Into<String>, detail: impl Into<String>) -> AuditEvent {
        AuditEvent {
            admin: self.name.clone(),
            via: match self.via {
                Via::SignIn => "sign-in".into(),
                Via::Token => "token".into(),
            },
            action: action.into(),
            target: target.into(),
            detail: detail.into(),
            account: self.account.clone().unwrap_or_default(),
        }
    }
}

/// `GET /auth/session`: whether this browser is signed in, as whom, the CSRF token its
/// state-changing requests carry, and whether sign-in is set up at all.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    pub signed_in: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<Admin>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csrf: Option<String>,
    /// Whether the server signs admins in with an identity provider.
    pub sign_in: bool,
}

/// `POST /auth/logout`: the session is over here; `end_session` is where to end it at the
/// provider too, when it offers that.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedOut {
    pub signed_out: bool,
    #[serde(default)]
    pub end_session: Option<String>,
}

/// A survey as the admin list shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub id: String,
    /// The title in English.
    pub title: String,
    /// The title in Welsh, when the current version has Welsh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_cy: Option<String>,
    /// The languages the current version can be read in (`en`, and `cy` when it has Welsh).
    pub languages: Vec<String>,
    /// The current version.
    pub version: u32,
    /// Every published version, oldest first.
    pub versions: Vec<u32>,
    pub k: u32,
    /// Responses to all versions in the groups shown, as the results count them; `null` while no
    /// group has `k`.
    pub responses: Option<u64>,
    /// What `null` responses means, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responses_note: Option<String>,
    /// The names of `languages`, in English.
    pub language_names: Vec<String>,
}

/// Whether a wave is still to come, taking responses, or over.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaveState {
    Upcoming,
    Open,
    Closed,
}

/// A wave as admins see it, with the headcounts recorded for it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveSummary {
    #[serde(flatten)]
    pub wave: Wave,
    pub state: WaveState,
    /// By context id.
    pub headcounts: BTreeMap<String, u64>,
}

/// A survey's waves and the contexts a headcount may be given for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveList {
    pub survey: String,
    /// The server's day, which says which wave is open.
    pub today: Date,
    pub waves: Vec<WaveSummary>,
    pub contexts: Vec<Heading>,
}

impl WaveList {
    /// The list as a viewer of `scope` reads it, as [`crate::SurveyResults::scoped`] gives their
    /// results: their own contexts, and those contexts' headcounts only.
    pub fn scoped(mut self, scope: &[String]) -> WaveList {
        self.contexts.retain(|c| scope.contains(&c.id));
        for wave in &mut self.waves {
            wave.headcounts.retain(|context, _| scope.contains(context));
        }
        self
    }
}

/// A wave to add.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveRequest {
    /// A slug, e.g. `2026-q3`.
    pub id: String,
    /// A string, or `{"en": "…", "cy": "…"}`.
    pub label: Text,
    pub opens: Date,
    pub closes: Date,
    /// Take every response the survey holds from before it had waves into this, its first wave.
    #[serde(default)]
    pub adopt: bool,
}

/// A correction to a wave: a new name, or an earlier last day (to close it early). At least one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveCorrection {
    /// A string, or `{"en": "…", "cy": "…"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
    /// The new last day: no later than the wave's, and no earlier than the last day a response in
    /// it arrived. The day before today closes it now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<Date>,
}

/// Where a story stands in moderation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryStatus {
    Pending,
    Approved,
    Rejected,
}

/// One moderation decision.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// The story's id.
    pub story: String,
    pub decision: StoryStatus,
    /// Whether the approval changed the story's text.
    pub edited: bool,
    /// The day of the decision.
    pub on: Date,
}

/// A free-text answer as the admins' stories list shows it: the question it answers, the scrubbed
/// text and the NHS values it was tagged with; never the context, the day or the submission.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    /// The free-text question it answers.
    pub question: String,
    pub text: String,
    /// The NHS values it was tagged with.
    pub values: Vec<String>,
    /// Their names, as the dashboard shows them (filled in when listed, not stored).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub value_names: Vec<String>,
    /// The photo or video link with its caption, if the story carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<StoryLink>,
}

/// A story in the moderation queue: its id, text, values and where it stands. Nothing else.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedStory {
    pub id: String,
    pub question: String,
    pub text: String,
    pub values: Vec<String>,
    /// The values' names, as the dashboard shows them.
    pub value_names: Vec<String>,
    pub status: StoryStatus,
    pub edited: bool,
    /// The story's photo or video link and caption, for the admin to open and check before
    /// approving: the link is shown to staff only once the story is approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<StoryLink>,
    /// Words in the text or caption that may be someone's name ([`crate::likely_names`]), for the
    /// moderator to check: the scrubber cannot take names out reliably, and never tries. Absent
    /// when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub likely_names: Vec<String>,
    /// The scrubber's placeholders still in the text ("[phone number removed]"), which an approved
    /// story shows as they are. Absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<String>,
    /// The ids of the other stories in the queue identical or nearly identical to this one
    /// ([`crate::near_duplicates`]). Absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub similar: Vec<String>,
}

/// A survey's moderation queue.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    /// Pending first, then approved, then rejected; in each, in the random order of their ids.
    pub stories: Vec<QueuedStory>,
    /// Every decision so far, oldest first.
    pub decisions: Vec<DecisionRecord>,
    /// Why the queue is empty while the survey has fewer than `k_text` responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What an admin decides about one story.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decide {
    /// `approved` or `rejected`.
    pub decision: StoryStatus,
    /// With an approval only: the story's text with anything identifying taken out. It is scrubbed
    /// again and replaces the original everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// With an approval only: approve the text without its photo or video link and caption, which
    /// are then gone for good.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remove_link: bool,
    /// With an approval only: the link's caption with anything identifying taken out. It is
    /// scrubbed again and replaces the original everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// With an approval only: the NHS values the story shows, as the moderator reads it. The
    /// figures keep the values its writer chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// A named admin token as kept: its SHA-256, never the token.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub name: String,
    /// Hex SHA-256 of the token.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub hash: String,
    pub role: Role,
    /// For a viewer: the contexts whose figures it may read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<String>,
    /// The last day it works (UTC); none for no expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// When it was made, to the second (UTC).
    pub created: String,
}

impl TokenRecord {
    /// The record as listed: without its hash.
    pub fn listed(mut self) -> TokenRecord {
        self.hash.clear();
        self
    }
}

/// A token to make.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct NewToken {
    /// A name saying whose or what it is, e.g. `finance-exports`: a slug, unique.
    pub name: String,
    pub role: Role,
    /// For a viewer: the contexts it may read (at least one).
    #[serde(default)]
    pub contexts: Vec<String>,
    /// The last day it works (UTC); none for no expiry.
    #[serde(default)]
    pub expires: Option<Date>,
}

/// A token just made: shown this once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MadeToken {
    pub token: String,
    #[serde(flatten)]
    pub record: TokenRecord,
}

/// Whom a grant names: an e-mail address (the ID token's `email` or `preferred_username`) or a
/// group id (its `groups` claim, as Microsoft Entra ID sends object ids).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Who {
    Email(String),
    Group(String),
}

impl Who {
    /// The key the grant is kept under: `email:…` (lower case) or `group:…`.
    pub fn key(&self) -> String {
        match self {
            Who::Email(e) => format!("email:{}", e.trim().to_lowercase()),
            Who::Group(g) => format!("group:{}", g.trim()),
        }
    }
}

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Who::Email(e) => write!(f, "e-mail {e}"),
            Who::Group(g) => write!(f, "group {g}"),
        }
    }
}

/// One line of the allowlist: who, as what, and for a viewer which contexts.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    #[serde(flatten)]
    pub who: Who,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<String>,
}

/// The allowlist as an owner sends it (`PUT /api/v1/admins/grants`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grants {
    pub grants: Vec<GrantLine>,
}

/// A line of the allowlist as an owner sends it: an `email` or a `group`, a role, and for a viewer
/// contexts. Any other field is refused, not dropped, so a misspelt `contexts` cannot quietly give
/// a viewer everything.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub role: Role,
    #[serde(default)]
    pub contexts: Vec<String>,
}

impl From<&Grant> for GrantLine {
    fn from(g: &Grant) -> GrantLine {
        let (email, group) = match &g.who {
            Who::Email(e) => (Some(e.clone()), None),
            Who::Group(id) => (None, Some(id.clone())),
        };
        GrantLine { email, group, role: g.role, contexts: g.contexts.clone() }
    }
}

/// An admin action to record; the writer adds its number, time and chain.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Who: a signed-in person's name and address, a token's name, or the operator at the command line.
    pub admin: String,
    /// How they were let in: `sign-in`, `token` or `command line`.
    pub via: String,
    /// What, e.g. `results viewed`, `download`, `story approved`.
    pub action: String,
    /// What it was done to, e.g. `constitution` or `constitution/results.csv`.
    pub target: String,
    /// Specifics that hold no staff words: a download's format and wave, a decision, a role.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// For a person signed in with the identity provider: their account's `sub` and the issuer,
    /// which tell apart two accounts with one address. Empty for tokens and the command line.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
}

/// An entry of the audit log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1, 2, 3… with no gaps.
    pub seq: u64,
    /// The exact time, UTC, RFC 3339 to the millisecond.
    pub at: String,
    #[serde(flatten)]
    pub event: AuditEvent,
    /// Hex SHA-256 of the entry before (its JSON as stored); empty for the first.
    pub prev: String,
}

/// The body of every refusal: what is wrong, and field by field where that is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub error: String,
    #[serde(default)]
    pub details: Vec<Detail>,
}

/// One line of a refusal's details, as text: a field's error (`field: message`) or a sentence. The
/// server sends field errors as `{"field", "code", "message"}` and other specifics as sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detail(pub String);

impl<'de> serde::Deserialize<'de> for Detail {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Detail, D::Error> {
        struct Line;
        impl<'de> serde::de::Visitor<'de> for Line {
            type Value = Detail;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field error or a sentence")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Detail, E> {
                Ok(Detail(text.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Detail, A::Error> {
                let (mut field, mut message) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "field" => field = Some(map.next_value::<String>()?),
                        "message" => message = Some(map.next_value::<String>()?),
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(Detail(match (field, message) {
                    (Some(field), Some(message)) => format!("{field}: {message}"),
                    (field, message) => message.or(field).unwrap_or_default(),
                }))
            }
        }
        d.deserialize_any(Line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reads_field_errors_and_sentences_as_lines() {
        let body = r#"{"error": "the wave cannot be added", "details": [
            {"field": "closes", "code": "bad_date", "message": "must be on or after opens"},
            "lang \"fr\" is not a language of Values Pulse", {"message": "no field"}, {"other": [1, 2]}]}"#;
        let r: Refusal = serde_json::from_str(body).unwrap();
        assert_eq!(r.error, "the wave cannot be added");
        let lines: Vec<&str> = r.details.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(
            lines,
            ["closes: must be on or after opens", "lang \"fr\" is not a language of Values Pulse", "no field", ""]
        );
        let bare: Refusal = serde_json::from_str(r#"{"error": "no survey \"x\""}"#).unwrap();
        assert!(bare.details.is_empty());
    }
}
