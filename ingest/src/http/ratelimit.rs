//! Requests per client address, limited in memory. Each address may send a burst, then as many as
//! the configured rate refills; one over gets `429` with `Retry-After`. The counting is `governor`'s
//! (GCRA, the token bucket's equivalent) in a sharded map, so no request waits on a lock another
//! address holds. Addresses are never stored or logged: the map is keyed by a hash of the address
//! under a key drawn at random when the server starts, so not even this process's memory holds the
//! addresses it has seen, and entries that have refilled are dropped by [`RateLimiter::forget_refilled`],
//! which the server runs once a minute, off the request path.

use std::hash::{BuildHasher, RandomState};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::Quota;

use crate::error::ApiError;

pub struct RateLimiter<C: Clock = DefaultClock> {
    /// Behind a reverse proxy every request comes from the proxy's address: this header, set by the
    /// proxy, names the client instead (its last address, the one the proxy itself saw).
    client_header: Option<HeaderName>,
    hasher: RandomState,
    limiter: governor::RateLimiter<u64, DashMapStateStore<u64>, C, NoOpMiddleware<C::Instant>>,
}

impl RateLimiter {
    /// `per_minute` requests a minute from one address, with up to `burst` at once; `per_minute`
    /// of 0 turns the limit off.
    pub fn new(per_minute: u32, burst: u32) -> Option<Arc<RateLimiter>> {
        RateLimiter::keyed_by(per_minute, burst, None)
    }

    /// As [`RateLimiter::new`], keyed by the address in `client_header` where a request has one.
    pub fn keyed_by(per_minute: u32, burst: u32, client_header: Option<HeaderName>) -> Option<Arc<RateLimiter>> {
        RateLimiter::with_clock(per_minute, burst, client_header, DefaultClock::default()).map(Arc::new)
    }
}

impl<C: Clock> RateLimiter<C> {
    fn with_clock(per_minute: u32, burst: u32, client_header: Option<HeaderName>, clock: C) -> Option<RateLimiter<C>> {
        let per_minute = NonZeroU32::new(per_minute)?;
        let quota = Quota::per_minute(per_minute).allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN));
        Some(RateLimiter {
            client_header,
            hasher: RandomState::new(),
            limiter: governor::RateLimiter::dashmap_with_clock(quota, clock),
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

    /// Takes one request from `ip`'s allowance: `Ok` to go ahead, or the whole seconds until there is
    /// room again.
    pub fn take(&self, ip: IpAddr) -> Result<(), u64> {
        self.limiter.check_key(&self.hasher.hash_one(ip)).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.limiter.clock().now());
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }

    /// Drops the entries of addresses whose allowance has refilled: they count as new ones again.
    pub fn forget_refilled(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// Middleware: limits requests by the client's address. Requests without a peer address (tests
/// that call the router directly) pass.
pub async fn limit(State(limiter): State<Option<Arc<RateLimiter>>>, request: Request, next: Next) -> Response {
    if let (Some(limiter), Some(ConnectInfo(peer))) =
        (limiter, request.extensions().get::<ConnectInfo<SocketAddr>>().copied())
    {
        if let Err(wait) = limiter.take(limiter.client(request.headers(), peer.ip())) {
            return ApiError::RateLimited(wait).into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use governor::clock::FakeRelativeClock;

    use super::*;

    fn limiter(per_minute: u32, burst: u32) -> (RateLimiter<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        (RateLimiter::with_clock(per_minute, burst, None, clock.clone()).unwrap(), clock)
    }

    #[test]
    fn a_burst_passes_then_waits_for_the_refill_per_address() {
        let (limiter, clock) = limiter(60, 3);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..3 {
            assert_eq!(limiter.take(a), Ok(()));
        }
        assert_eq!(limiter.take(a), Err(1));
        assert_eq!(limiter.take(b), Ok(()), "another address has its own bucket");
        clock.advance(Duration::from_millis(1100));
        assert_eq!(limiter.take(a), Ok(()), "one a second at 60 a minute");
        clock.advance(Duration::from_millis(100));
        assert_eq!(limiter.take(a), Err(1));
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
    fn zero_turns_it_off_and_refilled_entries_are_forgotten() {
        assert!(RateLimiter::new(0, 10).is_none());
        let (limiter, clock) = limiter(600, 5);
        for i in 0..10_000u32 {
            limiter.take(IpAddr::from(i.to_be_bytes())).unwrap();
        }
        clock.advance(Duration::from_secs(60));
        limiter.take("192.0.2.1".parse().unwrap()).unwrap();
        limiter.forget_refilled();
        assert_eq!(limiter.limiter.len(), 1);
    }
}

/// The layer of the reads that build a whole download or trend: at most
/// [`crate::config::HEAVY_READS_AT_ONCE`] run at once and the rest wait their turn, so two dozen
/// admins downloading together take the memory of two downloads, not of two dozen.
pub async fn heavy_read(State(state): State<crate::AppState>, request: Request, next: Next) -> Response {
    let Ok(_permit) = state.heavy_reads.clone().acquire_owned().await else {
        return ApiError::Internal("the server is stopping".into()).into_response();
    };
    next.run(request).await
}
