//! The admin API, a file per resource: drafts of surveys, results, stories, the trend, waves and headcounts,
//! moderation, sharing with staff, reference figures, the evidence pack, the audit log, and who may be an admin. Every
//! route here is guarded by its line in the route table (`router.rs`).

pub mod admins;
pub mod audit;
pub mod drafts;
pub mod evidence;
pub mod moderation;
pub mod references;
pub mod results;
pub mod sharing;
pub mod stories;
pub mod trend;
pub mod waves;
