//! Requests per client address, limited in memory. A token bucket per address refills at the
//! configured rate; an empty bucket gets `429` with `Retry-After`. Addresses are never stored or
//! logged: the map is keyed by a hash of the address under a key drawn at random when the server
//! starts, so not even this process's memory holds the addresses it has seen, and buckets that
//! have refilled are dropped.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Buckets kept before the full ones are swept out.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

pub struct RateLimiter {
    /// Behind a reverse proxy every request comes from the proxy's address: this header, set by the
    /// proxy, names the client instead (its last address, the one the proxy itself saw).
    client_header: Option<HeaderName>,
    per_second: f64,
    burst: f64,
    hasher: RandomState,
    buckets: Mutex<HashMap<u64, Bucket>>,
}

impl RateLimiter {
    /// `per_minute` requests a minute from one address, with up to `burst` at once; `per_minute`
    /// of 0 turns the limit off.
    pub fn new(per_minute: u32, burst: u32) -> Option<Arc<RateLimiter>> {
        RateLimiter::keyed_by(per_minute, burst, None)
    }

    /// As [`RateLimiter::new`], keyed by the address in `client_header` where a request has one.
    pub fn keyed_by(per_minute: u32, burst: u32, client_header: Option<HeaderName>) -> Option<Arc<RateLimiter>> {
        (per_minute > 0).then(|| {
            Arc::new(RateLimiter {
                client_header,
                per_second: f64::from(per_minute) / 60.0,
                burst: f64::from(burst.max(1)),
                hasher: RandomState::new(),
                buckets: Mutex::new(HashMap::new()),
            })
        })
    }

    /// The client's address: the last one in the trusted header, else the connection's peer. Some
    /// proxies (IIS ARR, Azure Application Gateway) write `address:port`; the port is dropped.
    fn client(&self, headers: &HeaderMap, peer: IpAddr) -> IpAddr {
        self.client_header
            .as_ref()
            .and_then(|name| headers.get_all(name).iter().next_back())
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .and_then(|last| last.parse().ok().or_else(|| last.parse::<SocketAddr>().ok().map(|a| a.ip())))
            .unwrap_or(peer)
    }

    /// Takes one request from `ip`'s bucket: `Ok` to go ahead, or the whole seconds until a token is
    /// back.
    pub fn take(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        let key = self.hasher.hash_one(ip);
        let mut buckets = self.buckets.lock().expect("rate limiter lock");
        if buckets.len() >= SWEEP_AT {
            let (rate, burst) = (self.per_second, self.burst);
            buckets.retain(|_, b| b.tokens + now.duration_since(b.updated).as_secs_f64() * rate < burst);
        }
        let bucket = buckets.entry(key).or_insert(Bucket { tokens: self.burst, updated: now });
        let refilled = bucket.tokens + now.duration_since(bucket.updated).as_secs_f64() * self.per_second;
        bucket.tokens = refilled.min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

/// Middleware: limits requests by the connection's peer address. Requests without one (tests that
/// call the router directly) pass.
pub async fn limit(State(limiter): State<Option<Arc<RateLimiter>>>, request: Request, next: Next) -> Response {
    if let (Some(limiter), Some(ConnectInfo(peer))) =
        (limiter, request.extensions().get::<ConnectInfo<SocketAddr>>().copied())
    {
        if let Err(wait) = limiter.take(limiter.client(request.headers(), peer.ip()), Instant::now()) {
            return ApiError::RateLimited(wait).into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_passes_then_waits_for_the_refill_per_address() {
        let limiter = RateLimiter::new(60, 3).unwrap();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.take(a, t0), Ok(()));
        }
        assert_eq!(limiter.take(a, t0), Err(1));
        assert_eq!(limiter.take(b, t0), Ok(()), "another address has its own bucket");
        assert_eq!(limiter.take(a, t0 + Duration::from_millis(1100)), Ok(()), "one a second at 60 a minute");
        assert_eq!(limiter.take(a, t0 + Duration::from_millis(1200)), Err(1));
    }

    #[test]
    fn behind_a_proxy_the_trusted_header_names_the_client() {
        let limiter = RateLimiter::keyed_by(60, 1, Some(HeaderName::from_static("x-forwarded-for"))).unwrap();
        let proxy: IpAddr = "10.0.0.9".parse().unwrap();
        let mut headers = HeaderMap::new();
        assert_eq!(limiter.client(&headers, proxy), proxy, "no header: the peer");
        // A client may send its own X-Forwarded-For; the proxy appends the address it saw, last.
        headers.insert("x-forwarded-for", "198.51.100.1, 192.0.2.7".parse().unwrap());
        assert_eq!(limiter.client(&headers, proxy), "192.0.2.7".parse::<IpAddr>().unwrap());
        headers.insert("x-forwarded-for", "198.51.100.1:50123, 192.0.2.8:443".parse().unwrap());
        assert_eq!(limiter.client(&headers, proxy), "192.0.2.8".parse::<IpAddr>().unwrap(), "address:port");
        headers.insert("x-forwarded-for", "[2001:db8::1]:443".parse().unwrap());
        assert_eq!(limiter.client(&headers, proxy), "2001:db8::1".parse::<IpAddr>().unwrap());
        headers.insert("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(limiter.client(&headers, proxy), proxy, "unreadable: the peer");
        let untrusting = RateLimiter::new(60, 1).unwrap();
        headers.insert("x-forwarded-for", "192.0.2.7".parse().unwrap());
        assert_eq!(untrusting.client(&headers, proxy), proxy, "the header is ignored unless trusted");
    }

    #[test]
    fn zero_turns_it_off_and_full_buckets_are_swept() {
        assert!(RateLimiter::new(0, 10).is_none());
        let limiter = RateLimiter::new(600, 5).unwrap();
        let t0 = Instant::now();
        for i in 0..SWEEP_AT as u32 {
            limiter.take(IpAddr::from(i.to_be_bytes()), t0).unwrap();
        }
        limiter.take("192.0.2.1".parse().unwrap(), t0 + Duration::from_secs(60)).unwrap();
        assert_eq!(limiter.buckets.lock().unwrap().len(), 1);
    }
}
