//! Makes the files the server sends to browsers, once, at build time: the widget's files from
//! `dist/` and the dashboard's, each as it is, gzip (-9) and brotli (quality 11), so no request
//! pays for compression. The files the loader fetches get content-hashed names, and the loader
//! (`embed.js`) is rewritten to fetch them by those names, so they can be cached for good while
//! `dist/` keeps its fixed names. The output is a table included by `src/pages/assets.rs`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

const JS: &str = "text/javascript; charset=utf-8";

/// (path from the crate, the folder it is served from, its name, content type, whether the loader
/// fetches it by a hashed name).
const FILES: &[(&str, &str, &str, &str, bool)] = &[
    ("../dist/pulse-widget_bg.wasm", "widget", "pulse-widget_bg.wasm", "application/wasm", true),
    ("../dist/pulse-widget.js", "widget", "pulse-widget.js", JS, true),
    ("../dist/showcase.js", "widget", "showcase.js", JS, true),
    ("../dist/results.js", "widget", "results.js", JS, true),
    // The loader after them: it names them by their hashed names.
    ("../dist/embed.js", "widget", "embed.js", JS, false),
    ("src/pages/dashboard/admin.js", "admin", "admin.js", JS, false),
    ("src/pages/dashboard/admin.css", "admin", "admin.css", "text/css; charset=utf-8", false),
];

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut table = String::from("&[\n");
    let mut renames: Vec<(String, String)> = Vec::new();
    for &(path, folder, name, content_type, hashed) in FILES {
        println!("cargo:rerun-if-changed={path}");
        let mut bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        if name == "embed.js" {
            let mut text = String::from_utf8(bytes).expect("embed.js is UTF-8");
            for (from, to) in &renames {
                let quoted = format!("\"{from}\"");
                assert!(text.contains(&quoted), "embed.js does not name {from}");
                text = text.replace(&quoted, &format!("\"{to}\""));
            }
            bytes = text.into_bytes();
        }
        let digest = hex(&Sha256::digest(&bytes)[..8]);
        let served = if hashed {
            let (stem, ext) = name.rsplit_once('.').unwrap();
            let served = format!("{stem}.{digest}.{ext}");
            renames.push((name.to_string(), served.clone()));
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
