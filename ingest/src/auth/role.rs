//! The roles an admin can have, and who is asking. Its own module, because the command line's options
//! and the sessions name them too.

use serde::{Deserialize, Serialize};

/// What an admin may do. An owner may do everything.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including who is an admin, tokens and the audit log.
    Owner,
    /// Results, downloads, trends, waves, headcounts, sharing with staff, the evidence pack, publishing.
    Analyst,
    /// The story queue and the showcase.
    Moderator,
    /// Results of named contexts only, each still suppressed, and no total.
    Viewer,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Analyst => "analyst",
            Role::Moderator => "moderator",
            Role::Viewer => "viewer",
        }
    }
}

/// How an admin was let in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    SignIn,
    Token,
}

/// The admin making a request, put in the request's extensions by [`require_admin`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Admin {
    /// A person's name and address, or a token's name.
    pub name: String,
    pub role: Role,
    /// A viewer's contexts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<String>,
    pub via: Via,
    /// A signed-in person's account at the provider (`sub` at the issuer), for the audit log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}
