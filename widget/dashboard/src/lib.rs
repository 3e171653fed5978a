//! The Values Pulse admins' dashboard: sign in with the organisation's account (or an admin token),
//! list surveys, read each survey's results as charts, tables and downloads (all waves, or one),
//! follow each answer across waves, set waves and headcounts, moderate the stories staff agreed to
//! share, choose what staff see of the results, print a values evidence pack, and (owners) say who
//! may sign in and read the audit log. In English and Welsh.
//!
//! It only draws: every figure, label, reason a figure is hidden, table line and download name comes
//! from the admin API, read into `pulse-shared`'s types, and the rules (the NHS values, what may be
//! shared with staff, who may open which page) come from `pulse-shared` too. Text from surveys and
//! stories is always inserted as text, never as HTML.

// The reports use a few of the dashboard's shared pieces; the rest are the dashboard's alone.
#![cfg_attr(feature = "report", allow(dead_code))]

mod api;
pub mod charts;
#[cfg(feature = "editor")]
mod editor;
mod pages;
mod shell;
mod words;

pub use shell::Route;

use wasm_bindgen::prelude::*;

/// Mounts the dashboard on the page served at `/admin` (a page without its `#app`, such as a test
/// runner's, is left alone).
#[wasm_bindgen(start)]
pub fn start() {
    let on_admin_page = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    if on_admin_page.is_some() {
        // One crate, two apps: built with `editor`, the survey editor at /admin/editor.
        #[cfg(feature = "editor")]
        editor::start();
        #[cfg(not(feature = "editor"))]
        shell::start();
    }
}
