//! What every request passes through, knowing nothing of surveys: the accept loop, the protocol's
//! limits and headers, the rate limit, which pages may call, conditional GETs and the language
//! asked for.

pub mod connections;
pub mod etag;
pub mod extract;
pub mod language;
pub mod origins;
pub mod protocol;
pub mod ratelimit;
pub mod responses;
