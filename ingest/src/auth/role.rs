//! Who is asking: the admin a request comes from, and how they got in. (The roles themselves are
//! [`pulse_shared::Role`], which the options and the store name too.)

use serde::Serialize;

pub use pulse_shared::Role;

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
