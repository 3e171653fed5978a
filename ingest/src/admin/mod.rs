//! The admin API, a file per resource: results, stories, waves and the trend, moderation, the
//! evidence pack, the audit log, and who may be an admin. Every route here sits behind the admin
//! layer in [`crate::auth::access`].

pub mod admins;
pub mod audit;
pub mod evidence;
pub mod moderation;
pub mod results;
pub mod stories;
pub mod waves;
