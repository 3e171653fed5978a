//! Makes the files the server sends to browsers, once, at build time: the widget's files from
//! `dist/`, the dashboard's from `dist/dashboard/` and the survey editor's from `dist/editor/`, each as it is, gzip (-9) and brotli (quality
//! 11), so no request pays for compression. The files a loader fetches get content-hashed names,
//! and each loader (the widget's `embed.js`, the dashboard's `boot.js`) is rewritten to fetch them
//! by those names, so they can be cached for good while `dist/` keeps its fixed names. The output is
//! a table included by `src/pages/assets.rs`, and the dashboard's page naming its hashed files.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

const JS: &str = "text/javascript; charset=utf-8";

/// (path from the crate, the folder it is served from, its name, content type, whether it is
/// served by a hashed name).
const FILES: &[(&str, &str, &str, &str, bool)] = &[
    ("../dist/pulse-widget_bg.wasm", "widget", "pulse-widget_bg.wasm", "application/wasm", true),
    ("../dist/pulse-widget.js", "widget", "pulse-widget.js", JS, true),
    ("../dist/showcase.js", "widget", "showcase.js", JS, true),
    ("../dist/results.js", "widget", "results.js", JS, true),
    // The loader after them: it names them by their hashed names. Editors paste its plain name, so
    // that name is not hashed.
    ("../dist/embed.js", "widget", "embed.js", JS, false),
    ("../dist/dashboard/pulse-dashboard_bg.wasm", "admin", "pulse-dashboard_bg.wasm", "application/wasm", true),
    ("../dist/dashboard/pulse-dashboard.js", "admin", "pulse-dashboard.js", JS, true),
    ("../dist/dashboard/admin.css", "admin", "admin.css", "text/css; charset=utf-8", true),
    // The dashboard's loader after them; the page names it (and the stylesheet) by hashed name.
    ("../dist/dashboard/boot.js", "admin", "boot.js", JS, true),
    // The survey editor: the same crate built with its `editor` feature, served under /admin/editor.
    ("../dist/editor/pulse-dashboard_bg.wasm", "admin/editor", "pulse-dashboard_bg.wasm", "application/wasm", true),
    ("../dist/editor/pulse-dashboard.js", "admin/editor", "pulse-dashboard.js", JS, true),
    ("../dist/editor/admin.css", "admin/editor", "admin.css", "text/css; charset=utf-8", true),
    ("../dist/editor/editor.css", "admin/editor", "editor.css", "text/css; charset=utf-8", true),
    ("../dist/editor/boot.js", "admin/editor", "boot.js", JS, true),
    // The reports (trend, heatmap, board pack, evidence pack): the crate with its `report` feature.
    ("../dist/report/pulse-dashboard_bg.wasm", "admin/report", "pulse-dashboard_bg.wasm", "application/wasm", true),
    ("../dist/report/pulse-dashboard.js", "admin/report", "pulse-dashboard.js", JS, true),
    ("../dist/report/admin.css", "admin/report", "admin.css", "text/css; charset=utf-8", true),
    ("../dist/report/boot.js", "admin/report", "boot.js", JS, true),
];

/// Files rewritten to name the files before them by their hashed names.
const LOADERS: &[&str] = &["embed.js", "boot.js"];

/// The dashboard's and the editor's pages (and the folder of their files), whose `{boot.js}` and
/// `{admin.css}` become hashed names.
const PAGES: &[(&str, &str, &str)] = &[
    ("src/pages/dashboard/admin.html", "admin", "admin.html"),
    ("src/pages/dashboard/editor.html", "admin/editor", "editor.html"),
    ("src/pages/dashboard/report.html", "admin/report", "report.html"),
];

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut table = String::from("&[\n");
    let mut renames: Vec<(String, String, &str)> = Vec::new();
    for &(path, folder, name, content_type, hashed) in FILES {
        println!("cargo:rerun-if-changed={path}");
        let mut bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        if LOADERS.contains(&name) {
            let mut text = String::from_utf8(bytes).expect("a loader is UTF-8");
            for (from, to, _) in renames.iter().filter(|(_, _, f)| *f == folder) {
                let quoted = format!("\"{from}\"");
                if from.ends_with(".css") {
                    continue;
                }
                assert!(text.contains(&quoted), "{name} does not name {from}");
                text = text.replace(&quoted, &format!("\"{to}\""));
            }
            bytes = text.into_bytes();
        }
        let digest = hex(&Sha256::digest(&bytes)[..8]);
        let served = if hashed {
            let (stem, ext) = name.rsplit_once('.').unwrap();
            let served = format!("{stem}.{digest}.{ext}");
            renames.push((name.to_string(), served.clone(), folder));
            served
        } else {
            name.to_string()
        };
        let identity = write(&out, &served, "", &bytes);
        let gzip = write(&out, &served, ".gz", &gzip(&bytes));
        let brotli = write(&out, &served, ".br", &brotli(&bytes));
        writeln!(
            table,
            "    Asset {{ folder: {folder:?}, name: {served:?}, plain_name: {name:?}, content_type: {content_type:?}, hashed: {hashed}, \
             digest: {digest:?}, identity: include_bytes!({identity:?}), gzip: include_bytes!({gzip:?}), \
             brotli: include_bytes!({brotli:?}) }},"
        )
        .unwrap();
    }
    table.push(']');
    std::fs::write(out.join("assets.rs"), table).unwrap();
    for &(path, folder, name) in PAGES {
        println!("cargo:rerun-if-changed={path}");
        let mut page = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for (from, to, _) in renames.iter().filter(|(_, _, f)| *f == folder) {
            page = page.replace(&format!("{{{from}}}"), to);
        }
        assert!(!page.contains("{boot.js}") && !page.contains(".css}"), "{path} names its files");
        std::fs::write(out.join(name), page).unwrap();
    }
}

fn write(dir: &Path, name: &str, suffix: &str, bytes: &[u8]) -> String {
    let path = dir.join(format!("{name}{suffix}"));
    std::fs::write(&path, bytes).unwrap();
    path.to_str().expect("OUT_DIR is UTF-8").to_string()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).unwrap();
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
