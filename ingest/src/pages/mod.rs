//! What browsers load as pages and files: the widget's files, the home and demo pages (and the
//! demo's made-up responses), the dashboard, the page the iframe embed shows, and the editor's previews.

pub mod assets;
pub mod dashboard;
pub mod demo;
pub mod frame;
pub mod preview;
