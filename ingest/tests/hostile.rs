//! Hostile HTTP on a real listener with the server's real limits: every kind of bad request gets a
//! clear 4xx or 503 in the one JSON error shape, nothing is stored, and valid responses keep being
//! accepted between them. Requests are written as raw bytes, so nothing a client library would
//! refuse to send (invalid UTF-8, lying lengths, stalled bodies) is out of reach.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{submission_id, valid_response};
use pulse_ingest::http::connections::{self, ConnectionLimits};
use pulse_ingest::http::ratelimit::RateLimiter;
use pulse_ingest::{app_with_limits, AppState, Limits};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Server {
    addr: SocketAddr,
    state: AppState,
    _dir: tempfile::TempDir,
}

/// Connection limits as `pulse serve` sets them by default.
const SERVE_DEFAULTS: ConnectionLimits = ConnectionLimits {
    head_timeout: Duration::from_secs(10),
    keep_alive_timeout: Duration::from_secs(20),
    busy_timeout: Duration::from_secs(60),
    max_connections: 4096,
};

async fn start(limits: Limits) -> Server {
    start_with(limits, SERVE_DEFAULTS).await
}

/// A server on the same accept loop as `pulse serve`, with these limits.
async fn start_with(limits: Limits, connection_limits: ConnectionLimits) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(dir.path().to_path_buf()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = app_with_limits(state.clone(), limits);
    tokio::spawn(connections::serve(listener, app, connection_limits, Duration::from_secs(1), std::future::pending()));
    Server { addr, state, _dir: dir }
}

fn limits(timeout_ms: u64, max_concurrent: usize, rate_limiter: Option<std::sync::Arc<RateLimiter>>) -> Limits {
    Limits { request_timeout: Duration::from_millis(timeout_ms), max_concurrent, rate_limiter }
}

/// A parsed answer: status, headers (lower-case names) and body.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

async fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("the server answered within 10 s")
        .ok();
    parse_answer(&raw)
}

fn parse_answer(raw: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no HTTP answer: {text:?}"));
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = serde_json::from_str(body).unwrap_or(Value::Null);
    Answer { status, headers, body }
}

/// Sends one POST to the response endpoint with `content_type` (if any) and `body`, then reads the
/// answer.
async fn post(addr: SocketAddr, content_type: Option<&str>, body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head = format!(
        "POST /api/v1/surveys/constitution/responses HTTP/1.1\r\nhost: pulse\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    if let Some(ct) = content_type {
        head.push_str(&format!("content-type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    read_answer(&mut stream).await
}

/// Opens a request that declares a body and sends only part of it, then stalls.
async fn stalled(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = "POST /api/v1/surveys/constitution/responses HTTP/1.1\r\nhost: pulse\r\nconnection: close\r\n\
                content-type: application/json\r\ncontent-length: 400\r\n\r\n{\"submission_id\":";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

fn assert_error_shape(answer: &Answer, case: &str) {
    assert!(answer.body["error"].as_str().is_some_and(|e| !e.is_empty()), "{case}: no error message: {answer:?}");
    assert!(answer.body["details"].is_array(), "{case}: no details: {answer:?}");
    assert_eq!(answer.header("content-type"), Some("application/json"), "{case}");
}

/// The valid response `n`, as bytes.
fn valid(n: u32) -> Vec<u8> {
    valid_response(n, None).to_string().into_bytes()
}

/// `valid(n)` with `from` replaced by `to`, checking the replacement happened.
fn altered(n: u32, from: &str, to: &str) -> Vec<u8> {
    let text = valid_response(n, None).to_string();
    assert!(text.contains(from), "{from} not in {text}");
    text.replacen(from, to, 1).into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hostile_request_is_refused_clearly_and_nothing_is_stored() {
    let server = start(limits(10_000, 64, None)).await;
    let json = Some("application/json");
    let id = submission_id(1);
    let deep = format!(
        r#"{{"submission_id":"{id}","survey_version":1,"answers":{{"awareness":{}{}}}}}"#,
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let cases: Vec<(&str, Option<&str>, Vec<u8>, u16)> = vec![
        ("oversized body", json, [b"{\"pad\":\"".as_slice(), &[b'x'; 20_000], b"\"}"].concat(), 413),
        ("deeply nested JSON", json, deep.into_bytes(), 400),
        ("invalid UTF-8", json, [&valid(1)[..40], &[0xff, 0xfe, 0xc0][..], &valid(1)[40..]].concat(), 400),
        ("no content type", None, valid(1), 415),
        ("wrong content type", Some("text/plain"), valid(1), 415),
        ("form-encoded", Some("application/x-www-form-urlencoded"), b"survey_version=1".to_vec(), 415),
        ("unknown field", json, altered(1, "\"survey_version\":1", "\"survey_version\":1,\"ip\":\"10.0.0.1\""), 400),
        ("huge version number", json, altered(1, "\"survey_version\":1", "\"survey_version\":1e400"), 400),
        (
            "version past u32",
            json,
            altered(1, "\"survey_version\":1", "\"survey_version\":99999999999999999999999"),
            400,
        ),
        ("negative version", json, altered(1, "\"survey_version\":1", "\"survey_version\":-1"), 400),
        ("huge matrix point", json, altered(1, "\"respect_dignity\":5", "\"respect_dignity\":1e10"), 422),
        ("matrix point past u8", json, altered(1, "\"respect_dignity\":5", "\"respect_dignity\":256"), 422),
        ("negative matrix point", json, altered(1, "\"respect_dignity\":5", "\"respect_dignity\":-3"), 422),
        ("fractional matrix point", json, altered(1, "\"respect_dignity\":5", "\"respect_dignity\":2.5"), 422),
        (
            "duplicate top-level key",
            json,
            altered(1, "\"survey_version\":1", "\"survey_version\":1,\"survey_version\":1"),
            400,
        ),
        (
            "duplicate answer",
            json,
            altered(
                1,
                "\"focus_value\":\"compassion\"",
                "\"focus_value\":\"compassion\",\"focus_value\":\"respect_dignity\"",
            ),
            400,
        ),
        (
            "duplicate matrix row",
            json,
            altered(1, "\"respect_dignity\":5", "\"respect_dignity\":5,\"respect_dignity\":1"),
            400,
        ),
        ("empty body", json, Vec::new(), 400),
        ("not JSON", json, b"<xml/>".to_vec(), 400),
        ("a JSON array", json, b"[1,2,3]".to_vec(), 400),
        ("truncated JSON", json, valid(1)[..60].to_vec(), 400),
        ("NUL bytes", json, [&valid(1)[..], b"\0\0\0"].concat(), 400),
        ("bad submission id", json, altered(1, &id, "not-an-id"), 400),
    ];
    let mut accepted = 0;
    for (n, (case, content_type, body, expected)) in cases.into_iter().enumerate() {
        let answer = post(server.addr, content_type, &body).await;
        assert_eq!(answer.status, expected, "{case}: {answer:?}");
        assert_error_shape(&answer, case);
        if expected == 422 {
            // Every point off the scale, however far off, is refused by its field.
            let detail = &answer.body["details"][0];
            assert_eq!(
                (detail["field"].as_str(), detail["code"].as_str()),
                (Some("answers.values_lived"), Some("scale_out_of_range")),
                "{case}: {answer:?}"
            );
        }
        assert_eq!(server.state.store.response_count("constitution").unwrap(), accepted, "{case} stored something");
        // The server keeps serving valid responses between the hostile ones.
        let ok = post(server.addr, json, &valid(1000 + n as u32)).await;
        assert_eq!(ok.status, 201, "a valid response after {case}: {ok:?}");
        accepted += 1;
    }
    let report = server.state.store.check().unwrap();
    assert_eq!(report.responses, accepted);
    assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_sender_times_out_with_408_and_is_not_stored() {
    let server = start(limits(500, 64, None)).await;
    let started = Instant::now();
    let mut slow = stalled(server.addr).await;
    let answer = read_answer(&mut slow).await;
    assert_eq!(answer.status, 408, "{answer:?}");
    assert_error_shape(&answer, "slow sender");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!(server.state.store.response_count("constitution").unwrap(), 0);
    assert_eq!(post(server.addr, Some("application/json"), &valid(1)).await.status, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_requests_than_the_concurrency_limit_get_503_with_retry_after() {
    let server = start(limits(1_500, 3, None)).await;
    let mut holding = Vec::new();
    for _ in 0..3 {
        holding.push(stalled(server.addr).await);
    }
    // Let the server take the three stalled requests into their slots.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = post(server.addr, Some("application/json"), &valid(1)).await;
    assert_eq!(refused.status, 503, "{refused:?}");
    assert_error_shape(&refused, "over the concurrency limit");
    assert_eq!(refused.header("retry-after"), Some("1"));
    for mut stream in holding {
        assert_eq!(read_answer(&mut stream).await.status, 408);
    }
    assert_eq!(server.state.store.response_count("constitution").unwrap(), 0);
    // Slots free again: a valid response is stored.
    assert_eq!(post(server.addr, Some("application/json"), &valid(2)).await.status, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_over_its_rate_gets_429_with_retry_after_and_nothing_is_stored() {
    let server = start(limits(10_000, 64, RateLimiter::new(60, 5))).await;
    for n in 0..5 {
        assert_eq!(post(server.addr, Some("application/json"), &valid(n)).await.status, 201);
    }
    let limited = post(server.addr, Some("application/json"), &valid(99)).await;
    assert_eq!(limited.status, 429, "{limited:?}");
    assert_error_shape(&limited, "rate limited");
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    assert_eq!(server.state.store.response_count("constitution").unwrap(), 5);
}

/// Reads one answer from a connection that stays open: its head, then `content-length` bytes.
async fn read_one(stream: &mut TcpStream) -> Answer {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut byte)).await.expect("answered").unwrap();
        assert_eq!(n, 1, "the connection closed mid-answer: {:?}", String::from_utf8_lossy(&raw));
        raw.push(byte[0]);
    }
    let length: usize = parse_answer(&raw).header("content-length").map_or(0, |v| v.parse().unwrap());
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.unwrap();
    raw.extend(body);
    parse_answer(&raw)
}

/// Sends raw bytes on a new connection and reads the answer to the end.
async fn exchange(addr: SocketAddr, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    read_answer(&mut stream).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_hyper_cannot_parse_and_two_hosts_get_the_json_error_shape() {
    let server = start(limits(10_000, 64, None)).await;
    let huge_header = format!("GET /healthz HTTP/1.1\r\nhost: pulse\r\nx-big: {}\r\n\r\n", "a".repeat(600 * 1024));
    let cases: [(&str, Vec<u8>, u16); 5] = [
        ("a bad request line", b"GET /healthz HTTP/9.9\r\nhost: pulse\r\n\r\n".to_vec(), 400),
        ("a header without a colon", b"GET /healthz HTTP/1.1\r\nhost: pulse\r\nnot a header\r\n\r\n".to_vec(), 400),
        ("bad framing: two content lengths", b"POST /api/v1/surveys/constitution/responses HTTP/1.1\r\nhost: pulse\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\nabcd".to_vec(), 400),
        ("oversized headers", huge_header.into_bytes(), 431),
        ("two Host headers", b"GET /healthz HTTP/1.1\r\nhost: pulse\r\nhost: evil.example\r\n\r\n".to_vec(), 400),
    ];
    for (case, request, status) in cases {
        let answer = exchange(server.addr, &request).await;
        assert_eq!(answer.status, status, "{case}: {answer:?}");
        assert_error_shape(&answer, case);
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{case}");
    }
    assert_eq!(post(server.addr, Some("application/json"), &valid(1)).await.status, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_declared_over_the_limit_is_refused_at_once_even_when_the_client_waits_to_continue() {
    let server = start(limits(10_000, 64, None)).await;
    let started = Instant::now();
    let answer = exchange(
        server.addr,
        b"POST /api/v1/surveys/constitution/responses HTTP/1.1\r\nhost: pulse\r\ncontent-type: application/json\r\n\
          content-length: 1048576\r\nexpect: 100-continue\r\n\r\n",
    )
    .await;
    assert_eq!(answer.status, 413, "{answer:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answered in {:?}, not after the request timeout",
        started.elapsed()
    );
    assert_error_shape(&answer, "413");
    assert_eq!(answer.header("connection"), Some("close"));
    assert_eq!(server.state.store.response_count("constitution").unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_that_leaves_the_body_unread_says_the_connection_closes() {
    let server = start(limits(10_000, 64, RateLimiter::new(60, 1))).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    for (n, expected) in [(1u32, 201u16), (2, 429)] {
        let body = valid(n);
        let head = format!(
            "POST /api/v1/surveys/constitution/responses HTTP/1.1\r\nhost: pulse\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&body).await.unwrap();
        let answer = read_one(&mut stream).await;
        assert_eq!(answer.status, expected, "{answer:?}");
        if expected == 201 {
            assert_eq!(answer.header("connection"), None, "a stored response keeps the connection");
        } else {
            assert_eq!(answer.header("connection"), Some("close"), "a client must not reuse it: {answer:?}");
        }
    }
}

/// Whether the server has closed `stream` within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

const SHORT: ConnectionLimits = ConnectionLimits {
    head_timeout: Duration::from_millis(600),
    keep_alive_timeout: Duration::from_millis(600),
    busy_timeout: Duration::from_millis(1500),
    max_connections: 40,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_trickling_and_idle_kept_alive_connections_are_closed_at_their_deadlines() {
    let server = start_with(limits(10_000, 64, None), SHORT).await;
    // Half a request line, then nothing.
    let mut half = TcpStream::connect(server.addr).await.unwrap();
    half.write_all(b"GET /heal").await.unwrap();
    // One byte of a header every 150 ms: each byte is progress, but not the head in time.
    let trickle_addr = server.addr;
    let trickler = tokio::spawn(async move {
        let mut stream = TcpStream::connect(trickle_addr).await.unwrap();
        let started = Instant::now();
        for byte in b"GET /healthz HTTP/1.1\r\nhost: pulse\r\nx-slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
            if stream.write_all(&[*byte]).await.is_err() {
                return Some(started.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        None
    });
    // A kept-alive connection that has had its answer and goes quiet.
    let mut kept = TcpStream::connect(server.addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nhost: pulse\r\n\r\n").await.unwrap();
    assert_eq!(read_one(&mut kept).await.status, 200);

    assert!(closed_within(&mut half, Duration::from_secs(3)).await, "half a request line is closed");
    assert!(closed_within(&mut kept, Duration::from_secs(3)).await, "an idle kept-alive connection is closed");
    let cut_after = trickler.await.unwrap().expect("the trickling client was cut off");
    assert!(cut_after < Duration::from_secs(3), "trickler cut after {cut_after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_idle_and_slow_connections_than_the_cap_never_keep_a_real_request_out() {
    let server = start_with(
        limits(10_000, 64, None),
        ConnectionLimits {
            head_timeout: Duration::from_secs(30),
            keep_alive_timeout: Duration::from_secs(30),
            busy_timeout: Duration::from_secs(30),
            max_connections: 40,
        },
    )
    .await;
    let mut held = Vec::new();
    for n in 0..120 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        if n % 2 == 0 {
            stream.write_all(b"GET /heal").await.unwrap();
        }
        held.push(stream);
    }
    for attempt in 0..3 {
        let started = Instant::now();
        let answer = exchange(server.addr, b"GET /healthz HTTP/1.1\r\nhost: pulse\r\nconnection: close\r\n\r\n").await;
        assert_eq!(answer.status, 200, "attempt {attempt}: {answer:?}");
        assert!(started.elapsed() < Duration::from_secs(1), "healthz took {:?}", started.elapsed());
    }
    // The oldest idle connections made room: at most the cap (and a small margin) are still open.
    let mut open = 0;
    for stream in &mut held {
        if !closed_within(stream, Duration::from_millis(20)).await {
            open += 1;
        }
    }
    assert!(open <= 40, "{open} idle connections still open past the cap of 40");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_a_large_answer_is_cut_off() {
    let server = start_with(limits(10_000, 64, None), SHORT).await;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(server.addr).await.unwrap();
    // Sixty requests for the wasm at once, about 20 MB of answers: more than the kernels on both
    // ends will buffer, so the server is left with an answer it cannot finish writing.
    const ASKED: usize = 60;
    let request = b"GET /widget/pulse-widget_bg.wasm HTTP/1.1\r\nhost: pulse\r\n\r\n".repeat(ASKED);
    stream.write_all(&request).await.unwrap();
    // Read nothing past the busy deadline, then take what is left.
    tokio::time::sleep(Duration::from_millis(3000)).await;
    let mut got = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "the connection was closed, not left open");
    let wasm = pulse_ingest::pages::assets::asset("widget", "pulse-widget_bg.wasm").unwrap().0;
    assert!(
        got.len() < ASKED * wasm.identity.len(),
        "cut off part way: {} of {} bytes",
        got.len(),
        ASKED * wasm.identity.len()
    );
    // A reader that keeps reading gets it all.
    let mut reader = TcpStream::connect(server.addr).await.unwrap();
    reader
        .write_all(b"GET /widget/pulse-widget_bg.wasm HTTP/1.1\r\nhost: pulse\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut all = Vec::new();
    reader.read_to_end(&mut all).await.unwrap();
    assert!(all.ends_with(wasm.identity));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_reader_keeps_its_connection_while_it_keeps_reading() {
    // Idle deadlines of 100 ms, far shorter than the server's waits on this reader. The kernel lets
    // a blocked writer go on only once a good part of its send buffer is free, which at this
    // reader's pace takes about a second: the busy deadline is well above that.
    let tight = ConnectionLimits {
        head_timeout: Duration::from_millis(100),
        keep_alive_timeout: Duration::from_millis(100),
        busy_timeout: Duration::from_secs(5),
        max_connections: 40,
    };
    let server = start_with(limits(10_000, 64, None), tight).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    // Twenty answers of the wasm, about 7 MB: more than the kernel's send buffer holds, so the server
    // waits on this reader between its writes.
    const ASKED: usize = 20;
    let request = b"GET /widget/pulse-widget_bg.wasm HTTP/1.1\r\nhost: pulse\r\n\r\n".repeat(ASKED);
    stream.write_all(&request).await.unwrap();
    let wasm = pulse_ingest::pages::assets::asset("widget", "pulse-widget_bg.wasm").unwrap().0;
    // At most 64 KiB every 50 ms, about 1.3 MB/s.
    let mut got = 0usize;
    let mut chunk = vec![0u8; 64 * 1024];
    while got < ASKED * wasm.identity.len() {
        let n = tokio::time::timeout(Duration::from_secs(3), stream.read(&mut chunk)).await.unwrap().unwrap_or(0);
        assert!(n > 0, "the connection was closed on a reader that kept reading, after {got} bytes");
        got += n;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
