//! Who is asking and what they may do: the admin layer and its rules, the roles, dashboard
//! sessions and sign-in with the organisation's identity provider.

pub mod access;
pub mod oidc;
pub mod role;
pub mod sessions;
