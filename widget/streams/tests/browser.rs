//! The stand-in for `wasm-streams` against the browser's own streams, in headless Chromium:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p wasm-streams --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use futures_util::stream::{self, StreamExt};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use wasm_streams::ReadableStream;

wasm_bindgen_test_configure!(run_in_browser);

fn chunks() -> Vec<Result<JsValue, JsValue>> {
    vec![Ok("one".into()), Ok("two".into()), Ok("three".into())]
}

#[wasm_bindgen_test]
async fn a_rust_stream_reads_back_chunk_by_chunk() {
    let raw = ReadableStream::from_stream(stream::iter(chunks())).into_raw();
    let read: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    let read: Vec<String> = read.into_iter().map(|c| c.unwrap().as_string().unwrap()).collect();
    assert_eq!(read, ["one", "two", "three"]);
}

#[wasm_bindgen_test]
async fn an_error_in_the_rust_stream_errors_the_browser_stream() {
    let items = vec![Ok("one".into()), Err("broken".into()), Ok("never".into())];
    let raw = ReadableStream::from_stream(stream::iter(items)).into_raw();
    let read: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    assert_eq!(read.len(), 2, "the chunk before the error, then the error, then the end");
    assert_eq!(read[0].as_ref().unwrap().as_string().as_deref(), Some("one"));
    assert_eq!(read[1].as_ref().unwrap_err().as_string().as_deref(), Some("broken"));
}

#[wasm_bindgen_test]
async fn the_browser_reads_a_rust_stream_as_a_request_body_would() {
    // A Response built on the stream reads it as fetch would read a request's body.
    let bytes =
        stream::iter([b"hello, ".as_slice(), b"world".as_slice()]).map(|b| Ok(js_sys::Uint8Array::from(b).into()));
    let raw = ReadableStream::from_stream(bytes).into_raw();
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&raw)).unwrap();
    let text = JsFuture::from(response.text().unwrap()).await.unwrap();
    assert_eq!(text.as_string().as_deref(), Some("hello, world"));
}

#[wasm_bindgen_test]
async fn a_response_body_reads_as_a_rust_stream() {
    let response = web_sys::Response::new_with_opt_str(Some("a body")).unwrap();
    let body = ReadableStream::from_raw(response.body().unwrap());
    let mut text = Vec::new();
    let mut chunks = body.into_stream();
    while let Some(chunk) = chunks.next().await {
        text.extend(chunk.unwrap().unchecked_into::<js_sys::Uint8Array>().to_vec());
    }
    assert_eq!(text, b"a body");
}

#[wasm_bindgen_test]
async fn a_cancel_drops_the_rust_stream() {
    // The stream holds a value whose drop we can see.
    struct Dropped(std::rc::Rc<std::cell::Cell<bool>>);
    impl Drop for Dropped {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }
    let dropped = std::rc::Rc::new(std::cell::Cell::new(false));
    let guard = Dropped(dropped.clone());
    let endless = stream::repeat(()).map(move |_| {
        let _ = &guard;
        Ok(JsValue::from("again"))
    });
    let raw = ReadableStream::from_stream(endless).into_raw();
    JsFuture::from(raw.cancel()).await.unwrap();
    assert!(dropped.get());
}
