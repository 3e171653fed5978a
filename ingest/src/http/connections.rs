//! The server's own accept loop over hyper, so that no client can hold the server by connecting and
//! then saying little or nothing.
//!
//! `axum::serve` gives a connection no deadline for its request head and no cap on how many are
//! open: a client that sends half a request line keeps its socket for good, and a thousand of them
//! exhaust the process's file descriptors. Here every connection is registered, and:
//! - a connection with no request in progress is closed once it has been idle too long: since it
//!   opened, for its first request head (`head_timeout`), or since its last response, for the next
//!   one (`keep_alive_timeout`). Bytes trickled in do not reset either deadline;
//! - a request in progress is the router's to time (its request timeout answers 408);
//! - an answer being written keeps its connection open for as long as the client keeps taking it (a
//!   slow line may take a minute over the widget's wasm), but once the client has taken nothing for
//!   `busy_timeout` the connection is closed, so a client cannot hold it by not reading;
//! - open connections are capped below the open-file limit. At the cap a new connection closes the
//!   oldest idle one (which the deadlines would close soon anyway), so a flood of idle or slow
//!   connections cannot keep a real request out; when none is idle, the new one is answered 503.
//!
//! hyper answers a request line or headers it cannot parse by itself, with an empty body; the
//! connection's writer swaps that answer for the JSON error shape of every other error.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower::ServiceExt;

/// File descriptors kept back from the connection cap for everything else the server opens: the
/// database, the tokens file, the control socket, a backup being written, standard streams.
pub const RESERVED_FILES: u64 = 64;

/// How connections are bounded.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// From opening a connection to the end of its first request head.
    pub head_timeout: Duration,
    /// From the end of a response to the end of the next request head on the same connection.
    pub keep_alive_timeout: Duration,
    /// How long a request may be in the router, or an answer's writing may stall, before the
    /// connection is closed.
    pub busy_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
}

/// Raises the process's soft open-file limit to its hard limit and returns it (`None` where it
/// cannot be read).
pub fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit and setrlimit only read and write the struct passed.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return None;
            }
            if limit.rlim_cur < limit.rlim_max {
                let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    limit = raised;
                }
            }
        }
        #[allow(clippy::unnecessary_cast)] // rlim_t is u64 on Linux, not everywhere
        Some(limit.rlim_cur as u64)
    }
    #[cfg(not(unix))]
    None
}

/// The connection cap: as configured, but below the open-file limit by [`RESERVED_FILES`].
pub fn connection_cap(configured: usize, file_limit: Option<u64>) -> usize {
    let below_limit = file_limit.map_or(usize::MAX, |n| n.saturating_sub(RESERVED_FILES) as usize);
    configured.min(below_limit).max(1)
}

/// One open connection, as the accept loop and its own task see it.
struct Connection {
    opened: Instant,
    /// Requests whose response has not been written out yet.
    in_flight: AtomicUsize,
    /// Whether a request has started on it; until then its deadline is the head timeout.
    served: AtomicBool,
    /// Milliseconds from its opening to when it last changed: opened, a request began or ended, or
    /// bytes of an answer went out.
    since_ms: AtomicU64,
    /// Whether the socket last refused bytes of an answer (the client is not taking them).
    write_stalled: AtomicBool,
    /// Told to close (the cap needs its place) or to finish (the server is stopping).
    close: Notify,
    evicted: AtomicBool,
}

/// Every open connection, oldest first.
struct Registry {
    cap: usize,
    next_id: u64,
    open: BTreeMap<u64, Arc<Connection>>,
}

impl Connection {
    /// When it is to be closed if nothing changes: idle, busy with the same request, or stalled
    /// writing the same answer.
    fn deadline(&self, limits: &ConnectionLimits) -> Instant {
        let wait = if !self.is_idle() {
            limits.busy_timeout
        } else if self.served.load(Ordering::Relaxed) {
            limits.keep_alive_timeout
        } else {
            limits.head_timeout
        };
        self.opened + Duration::from_millis(self.since_ms.load(Ordering::Relaxed)) + wait
    }

    fn mark_now(&self) {
        self.since_ms.store(self.opened.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// Neither a request in the router nor an answer waiting for the client to take it.
    fn is_idle(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) == 0 && !self.write_stalled.load(Ordering::Relaxed)
    }
}

impl Registry {
    /// Makes room for a new connection and registers it; `None` when every open connection is busy.
    fn admit(&mut self) -> Option<(u64, Arc<Connection>)> {
        // Below the cap (nearly always) nothing is counted or searched.
        let evicting = || self.open.values().filter(|c| c.evicted.load(Ordering::Relaxed)).count();
        if self.open.len() >= self.cap && self.open.len() - evicting() >= self.cap {
            let oldest_idle = self.open.values().find(|c| !c.evicted.load(Ordering::Relaxed) && c.is_idle())?;
            oldest_idle.evicted.store(true, Ordering::Relaxed);
            oldest_idle.close.notify_one();
        }
        // Connections told to close leave within moments; never let them pile up past a margin.
        if self.open.len() >= self.cap + RESERVED_FILES as usize / 2 {
            return None;
        }
        let id = self.next_id;
        self.next_id += 1;
        let connection = Arc::new(Connection {
            opened: Instant::now(),
            in_flight: AtomicUsize::new(0),
            served: AtomicBool::new(false),
            since_ms: AtomicU64::new(0),
            write_stalled: AtomicBool::new(false),
            close: Notify::new(),
            evicted: AtomicBool::new(false),
        });
        self.open.insert(id, connection.clone());
        Some((id, connection))
    }
}

/// Marks a request in flight on its connection until dropped with the response body, which hyper
/// does once the body is written out (or the connection is gone).
struct InFlight(Arc<Connection>);

impl InFlight {
    fn start(connection: &Arc<Connection>) -> InFlight {
        connection.served.store(true, Ordering::Relaxed);
        if connection.in_flight.fetch_add(1, Ordering::AcqRel) == 0 {
            connection.mark_now();
        }
        InFlight(connection.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let connection = &self.0;
        connection.mark_now();
        connection.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests in progress
/// finish (for at most `drain`) and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    drain: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let registry = Arc::new(Mutex::new(Registry { cap: limits.max_connections, next_id: 0, open: BTreeMap::new() }));
    let (stop, stopping) = watch::channel(false);
    // Told each time a connection has closed, for an accept waiting on room.
    let closed = Arc::new(Notify::new());
    let mut tasks = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was taken: wait a moment
                    // rather than spin; the cap should keep the first from happening.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        while tasks.try_join_next().is_some() {}
        let Some((id, connection)) = admit(&registry, &closed).await else {
            // Every connection is busy with a request: say so, briefly, and let go.
            let _ = stream.try_write(&error_response(StatusCode::SERVICE_UNAVAILABLE));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (registry, closed) = (registry.clone(), closed.clone());
        let task = serve_connection(stream, peer, router.clone(), connection, limits, stopping.clone());
        tasks.spawn(async move {
            task.await;
            registry.lock().expect("connection registry").open.remove(&id);
            closed.notify_one();
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(drain, async { while tasks.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(open = tasks.len(), "connections still open after the drain time; closing them");
        tasks.abort_all();
    }
}

/// Registers a new connection, giving connections told to close a moment to go when there is no
/// room yet: under a burst of connections the ones evicted for earlier arrivals may not have run.
async fn admit(registry: &Mutex<Registry>, closed: &Notify) -> Option<(u64, Arc<Connection>)> {
    for _ in 0..4 {
        if let Some(admitted) = registry.lock().expect("connection registry").admit() {
            return Some(admitted);
        }
        let _ = tokio::time::timeout(Duration::from_millis(50), closed.notified()).await;
    }
    registry.lock().expect("connection registry").admit()
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    connection: Arc<Connection>,
    limits: ConnectionLimits,
    mut stopping: watch::Receiver<bool>,
) {
    let service = {
        let connection = connection.clone();
        hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
            let in_flight = InFlight::start(&connection);
            // The peer address reaches the rate limiter only, in memory, and nothing else.
            request.extensions_mut().insert(ConnectInfo(peer));
            let response = router.clone().oneshot(request.map(Body::new));
            async move {
                let response = response.await.unwrap_or_else(|never: Infallible| match never {});
                // The guard rides on the body, so the request stays in flight while it is written.
                Ok::<_, Infallible>(response.map(|body| {
                    Body::new(body.map_frame(move |frame| {
                        let _ = &in_flight;
                        frame
                    }))
                }))
            }
        })
    };
    let io = TokioIo::new(ConnectionIo::new(stream, connection.clone()));
    let http = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
    tokio::pin!(http);
    let mut finishing = false;
    loop {
        let deadline = connection.deadline(&limits);
        tokio::select! {
            _ = http.as_mut() => break,
            () = tokio::time::sleep_until(deadline) => {
                // Past its deadline in the state it is in now (it may have changed while asleep).
                if Instant::now() >= connection.deadline(&limits) {
                    break;
                }
            }
            () = connection.close.notified() => {
                if connection.is_idle() {
                    break;
                }
            }
            _ = stopping.changed(), if !finishing => {
                finishing = true;
                // Finish the request in progress, if any, then close; an idle connection closes now.
                http.as_mut().graceful_shutdown();
                if connection.is_idle() {
                    break;
                }
            }
        }
    }
}

/// A complete HTTP/1.1 error response in the API's JSON shape, closing the connection.
fn error_response(status: StatusCode) -> Vec<u8> {
    let error = match status {
        StatusCode::BAD_REQUEST => "the request line or headers could not be read as HTTP/1.1",
        StatusCode::URI_TOO_LONG => "the request target is too long",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "the request headers are too large",
        _ => "the request could not be handled",
    };
    // The router's own 503 says the same, in the same words.
    let busy = crate::error::ApiError::Overloaded.to_string();
    let error = if status == StatusCode::SERVICE_UNAVAILABLE { busy.as_str() } else { error };
    let body = serde_json::json!({ "error": error, "details": [] }).to_string();
    let retry = if status == StatusCode::SERVICE_UNAVAILABLE { "retry-after: 1\r\n" } else { "" };
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-content-type-options: nosniff\r\n{retry}connection: close\r\n\r\n{body}",
        status.as_str(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes()
}

/// The statuses hyper answers by itself when a request cannot be parsed, always with an empty body.
const PARSE_ERROR_HEADS: [&[u8]; 3] = [b"HTTP/1.1 400 ", b"HTTP/1.1 414 ", b"HTTP/1.1 431 "];

/// The connection's socket as hyper sees it. It notes whether answers are going out (hyper takes a
/// whole body at once, so only the socket knows whether the client is taking it),
/// and changes one thing on the way out: hyper's own bodiless answer to a request it could not parse
/// becomes the JSON error shape. Every response the router makes has a body, so a bodiless 400, 414
/// or 431 can only be hyper's.
struct ConnectionIo {
    stream: TcpStream,
    connection: Arc<Connection>,
    /// The replacement still to be written, and how much of it is.
    pending: Vec<u8>,
    written: usize,
}

impl ConnectionIo {
    fn new(stream: TcpStream, connection: Arc<Connection>) -> ConnectionIo {
        ConnectionIo { stream, connection, pending: Vec::new(), written: 0 }
    }

    /// Notes whether a write to the socket went out or the client is not taking bytes.
    fn note<T>(&self, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        match &poll {
            Poll::Pending => self.connection.write_stalled.store(true, Ordering::Relaxed),
            // Bytes went out after a stall: the client is taking the answer, however slowly, and
            // its deadline starts again.
            Poll::Ready(_) => {
                if self.connection.write_stalled.swap(false, Ordering::Relaxed) {
                    self.connection.mark_now();
                }
            }
        }
        poll
    }

    fn replacement(buf: &[u8]) -> Option<Vec<u8>> {
        let head = PARSE_ERROR_HEADS.iter().find(|h| buf.starts_with(h))?;
        let bodiless =
            buf.ends_with(b"\r\n\r\n") && buf.windows(19).any(|w| w.eq_ignore_ascii_case(b"content-length: 0\r\n"));
        if !bodiless {
            return None;
        }
        let code: u16 = std::str::from_utf8(&head[9..12]).ok()?.parse().ok()?;
        Some(error_response(StatusCode::from_u16(code).ok()?))
    }

    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let written = Pin::new(&mut self.stream).poll_write(cx, &self.pending[self.written..]);
            let n = ready!(self.note(written))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for ConnectionIo {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ConnectionIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        if let Some(replacement) = Self::replacement(buf) {
            self.pending = replacement;
            self.written = 0;
            // Take hyper's bytes as written; the replacement goes out now or on the next flush.
            let _ = self.poll_pending(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        let written = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.note(written)
    }

    /// Vectored, so that hyper queues a body's `Bytes` (shared with the download cache) beside
    /// the head instead of copying it into its own buffer: eight connections taking a 6 MB
    /// workbook at once would otherwise hold eight copies of it until each client has read it.
    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        // Hyper writes a head from one buffer of its own, so its parse errors arrive whole in the first slice.
        if let Some(replacement) = bufs.iter().find(|b| !b.is_empty()).and_then(|head| Self::replacement(head)) {
            self.pending = replacement;
            self.written = 0;
            let _ = self.poll_pending(cx)?;
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        let written = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.note(written)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_below_the_file_limit() {
        assert_eq!(connection_cap(4096, Some(1024)), 1024 - RESERVED_FILES as usize);
        assert_eq!(connection_cap(100, Some(1024)), 100);
        assert_eq!(connection_cap(100, None), 100);
        assert_eq!(connection_cap(100, Some(10)), 1);
    }

    #[test]
    fn only_hypers_bodiless_parse_errors_are_replaced() {
        let hyper_400 = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ndate: Sat, 21 Nov 2026 10:00:00 GMT\r\n\r\n";
        let replaced = String::from_utf8(ConnectionIo::replacement(hyper_400).unwrap()).unwrap();
        assert!(replaced.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{replaced}");
        assert!(replaced.contains("content-type: application/json\r\n") && replaced.contains("connection: close\r\n"));
        let body: serde_json::Value = serde_json::from_str(replaced.split_once("\r\n\r\n").unwrap().1).unwrap();
        assert!(body["error"].is_string() && body["details"].is_array(), "{body}");
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{\"error\":\"x\",\"details\":[]}";
        assert!(ConnectionIo::replacement(ours).is_none(), "the router's own errors pass untouched");
        assert!(ConnectionIo::replacement(b"HTTP/1.1 304 Not Modified\r\ncontent-length: 0\r\n\r\n").is_none());
    }
}
