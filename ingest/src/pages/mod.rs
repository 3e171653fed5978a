//! What browsers load as pages and files: the widget's files, the home and demo pages (and the
//! demo's made-up responses), the dashboard, and the page the iframe embed shows.

pub mod assets;
pub mod dashboard;
pub mod demo;
pub mod frame;
