//! A browser `ReadableStream` made from a Rust `Stream`, and read back as one: the part of
//! crates.io's `wasm-streams` that Leptos's `server_fn` uses, standing in for it through the root
//! Cargo.toml's `[patch.crates-io]`.
//!
//! Why: Leptos always links `server_fn`, which always links `wasm-streams`, whose underlying sources
//! and sinks are `#[wasm_bindgen]` classes. Exported classes are roots for the linker, so their
//! code, their futures' vtables and their error strings stayed in the widget's wasm although the
//! widget calls no server function: 4.9 kB of its first view with brotli (BENCHMARKS.md). Here an
//! underlying source is a plain object whose `pull` and `cancel` are closures, so nothing is
//! exported and nothing is kept unless used.

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::stream::{self, LocalBoxStream, Stream, StreamExt};
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{
    QueuingStrategy, ReadableStreamDefaultController, ReadableStreamDefaultReader, ReadableStreamReadResult,
};

/// The raw bindings, named as `wasm-streams` names them.
pub mod readable {
    pub mod sys {
        pub use web_sys::ReadableStream;
    }
}

/// A browser `ReadableStream`, to be made from or turned into a Rust stream of `JsValue`s.
#[derive(Debug)]
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    /// Wraps a stream the browser made (a response's body, say).
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self { raw }
    }

    /// A `ReadableStream` that pulls its chunks from `stream`: one item per `pull`, an `Err` errors
    /// the stream, the end closes it, and a cancel drops `stream`. The high-water mark is 0, so the
    /// browser asks for a chunk only when its reader wants one, and `stream` does the buffering.
    pub fn from_stream<St>(stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let source: Rc<RefCell<Option<LocalBoxStream<'static, Result<JsValue, JsValue>>>>> =
            Rc::new(RefCell::new(Some(stream.boxed_local())));
        let pulled = source.clone();
        let pull = Closure::<dyn FnMut(ReadableStreamDefaultController) -> Promise>::new(
            move |controller: ReadableStreamDefaultController| {
                let source = pulled.clone();
                future_to_promise(async move {
                    // The browser waits for one pull's promise before the next, so the stream is taken
                    // out for the await rather than borrowed across it.
                    let Some(mut stream) = source.borrow_mut().take() else { return Ok(JsValue::UNDEFINED) };
                    match stream.next().await {
                        Some(Ok(chunk)) => {
                            controller.enqueue_with_chunk(&chunk)?;
                            *source.borrow_mut() = Some(stream);
                        }
                        Some(Err(error)) => return Err(error),
                        None => controller.close()?,
                    }
                    Ok(JsValue::UNDEFINED)
                })
            },
        );
        let cancel = Closure::<dyn FnMut(JsValue)>::new(move |_reason| {
            source.borrow_mut().take();
        });
        let underlying = Object::new();
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&underlying, &"pull".into(), &pull.into_js_value());
        let _ = Reflect::set(&underlying, &"cancel".into(), &cancel.into_js_value());
        let strategy = QueuingStrategy::new();
        strategy.set_high_water_mark(0.0);
        let raw = web_sys::ReadableStream::new_with_underlying_source_and_strategy(&underlying, &strategy)
            .expect_throw("ReadableStream takes an underlying source");
        Self { raw }
    }

    /// The browser's stream.
    pub fn as_raw(&self) -> &web_sys::ReadableStream {
        &self.raw
    }

    /// The browser's stream, to hand to an API that takes one (a request's body).
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// Reads the stream to its end as a Rust stream: each chunk as it comes, then `None`; a read
    /// that fails gives its error once and ends the stream. The stream is locked to this reader.
    pub fn into_stream(self) -> LocalBoxStream<'static, Result<JsValue, JsValue>> {
        let reader = match self.raw.get_reader().dyn_into::<ReadableStreamDefaultReader>() {
            Ok(reader) => reader,
            Err(other) => return stream::once(async move { Err(other.into()) }).boxed_local(),
        };
        stream::unfold(Some(reader), |reader| async move {
            let reader = reader?;
            match JsFuture::from(reader.read()).await {
                Ok(result) => {
                    let result: ReadableStreamReadResult = result.unchecked_into();
                    if result.get_done().unwrap_or(false) {
                        reader.release_lock();
                        None
                    } else {
                        Some((Ok(result.get_value()), Some(reader)))
                    }
                }
                Err(error) => Some((Err(error), None)),
            }
        })
        .boxed_local()
    }
}
