//! The widget's and dashboard's files on the wire: compressed once at build time and chosen by
//! `Accept-Encoding`, with the right length and ETag per encoding; cached for good under the hashed
//! names the loader fetches, briefly for the loader itself.

mod common;

use std::io::Read;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use pulse_ingest::pages::assets::{asset, ASSETS};
use tower::ServiceExt;

async fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut req = Request::get(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let response = app.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// Request headers, and the content coding the answer should have.
type Headers<'a> = &'a [(&'a str, &'a str)];

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out).unwrap();
    out
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

#[tokio::test]
async fn every_file_comes_in_the_encoding_asked_for_with_its_length() {
    let app = TestApp::new();
    for a in ASSETS {
        let path = format!("/{}/{}", a.folder, a.name);
        let cases: [(Headers, Option<&str>); 5] = [
            (&[("accept-encoding", "gzip, deflate, br, zstd")], Some("br")),
            (&[("accept-encoding", "gzip")], Some("gzip")),
            (&[("accept-encoding", "br;q=0, gzip;q=0.5")], Some("gzip")),
            (&[("accept-encoding", "identity")], None),
            (&[], None),
        ];
        for (headers, coding) in cases {
            let (status, h, body) = fetch(&app, &path, headers).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(h.get("content-encoding").map(|v| v.to_str().unwrap()), coding, "{path} {headers:?}");
            assert_eq!(h["vary"], "Accept-Encoding", "{path}");
            assert_eq!(h["content-length"], body.len().to_string().as_str(), "{path}");
            let plain = match coding {
                Some("br") => unbrotli(&body),
                Some("gzip") => gunzip(&body),
                _ => body.clone(),
            };
            assert_eq!(plain, a.identity, "{path} {coding:?} decodes to the file");
            if coding == Some("br") {
                assert!(body.len() < a.identity.len(), "{path}: brotli is smaller");
            }
            // Each encoding has its own ETag, and a matching one costs a 304.
            let etag = h["etag"].to_str().unwrap().to_string();
            let again: Vec<(&str, &str)> = headers.iter().copied().chain([("if-none-match", etag.as_str())]).collect();
            let (status, _, body) = fetch(&app, &path, &again).await;
            assert_eq!((status, body.len()), (StatusCode::NOT_MODIFIED, 0), "{path}");
        }
    }
}

#[tokio::test]
async fn the_loader_fetches_hashed_names_that_are_cached_for_good() {
    let app = TestApp::new();
    let (_, headers, loader) = fetch(&app, "/widget/embed.js", &[]).await;
    assert_eq!(headers["cache-control"], "public, max-age=300", "editors paste this address: a short max-age");
    let loader = String::from_utf8(loader).unwrap();
    for plain in ["pulse-widget.js", "pulse-widget_bg.wasm", "showcase.js"] {
        let (a, _) = asset("widget", plain).unwrap();
        assert!(a.hashed && a.name != plain && a.name.contains(a.digest), "{}", a.name);
        assert!(loader.contains(&format!("\"{}\"", a.name)), "the loader names {}", a.name);
        assert!(!loader.contains(&format!("\"{plain}\"")), "the loader no longer names {plain}");
        let (status, h, body) = fetch(&app, &format!("/widget/{}", a.name), &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(h["access-control-allow-origin"], "*");
        assert_eq!(body, a.identity);
        // The plain name still answers (a page self-hosting dist/ uses it), revalidated each time.
        let (status, h, _) = fetch(&app, &format!("/widget/{plain}"), &[]).await;
        assert_eq!((status, h["cache-control"].to_str().unwrap()), (StatusCode::OK, "no-cache"));
    }
    // A hash that is not the file's is not served.
    let (status, _, _) = fetch(&app, "/widget/pulse-widget.0000000000000000.js", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_dashboard_page_names_its_files_by_hash_and_they_are_cached_for_good() {
    let app = TestApp::new();
    let (status, headers, page) = fetch(&app, "/admin", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "no-store", "the page itself is never kept");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval';"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let page = String::from_utf8(page).unwrap();
    for name in ["boot.js", "admin.css", "pulse-dashboard.js"] {
        let (file, _) = asset("admin", name).unwrap();
        assert!(file.hashed && file.name != name, "{name} has a hashed name");
        assert!(page.contains(&format!("/admin/{}", file.name)), "the page names {}", file.name);
    }
    assert!(!page.contains("<script>") && !page.contains(" style="), "nothing inline");
    // The loader names the glue and the wasm by their hashed names too.
    let boot = String::from_utf8(asset("admin", "boot.js").unwrap().0.identity.to_vec()).unwrap();
    for name in ["pulse-dashboard.js", "pulse-dashboard_bg.wasm"] {
        assert!(boot.contains(asset("admin", name).unwrap().0.name), "boot.js names {name} by hash");
    }
    let wasm = asset("admin", "pulse-dashboard_bg.wasm").unwrap().0;
    let (status, headers, body) = fetch(&app, &format!("/admin/{}", wasm.name), &[("accept-encoding", "br")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(headers["content-type"], "application/wasm");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(unbrotli(&body), wasm.identity);
    // Its plain name still answers, revalidated each time.
    let (status, headers, _) = fetch(&app, "/admin/pulse-dashboard_bg.wasm", &[]).await;
    assert_eq!((status, headers["cache-control"].to_str().unwrap()), (StatusCode::OK, "no-cache"));
    let (status, _, _) = fetch(&app, "/widget/boot.js", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "each folder serves its own files");
    let (status, _, _) = fetch(&app, "/admin/admin.js", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the old script is gone");
}
