//! Web addresses as a browser reads them: the links stories carry, the privacy notice, and the
//! origins a survey may be embedded on. The browser parses an address by the WHATWG URL rules and
//! sends an origin in one exact form; what is accepted here is a strict subset of both, so every
//! address we keep is one a browser parses to the same host and port, and every origin is one a
//! browser could send. Anything a browser would read differently (a second colon, a port past
//! 65535, a backslash, a user name, a host in Unicode) is refused rather than guessed at.
//!
//! One rule for the widget and the server: the widget shows the same refusal before sending.

/// An address split at its host and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address<'a> {
    /// `https` or `http`, lowercase.
    pub scheme: &'static str,
    /// The host, lowercased ASCII (an internationalised name only in its `xn--` form).
    pub host: String,
    /// The port written, if any (never the scheme's default: see [`parse`]).
    pub port: Option<u16>,
    /// Everything from the first `/`, `?` or `#` on (may be empty).
    pub rest: &'a str,
}

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressProblem {
    /// Not `https://` (or, for an origin, `http://`).
    Scheme,
    /// A user name or password before the host (`https://user@host`).
    UserInfo,
    /// A host that is empty, not plain ASCII labels, or written in Unicode (give its `xn--` form).
    Host,
    /// A port that is not a number from 1 to 65535, or more than one.
    Port,
    /// A character a browser would change or drop: a space, a quote, `<`, `>`, a backslash, a
    /// control or non-ASCII character, or a `%` not followed by two hex digits.
    Character,
    /// An origin with a path, query or fragment, or in a form a browser never sends (uppercase, a
    /// trailing slash, the scheme's own port written out).
    NotAnOrigin,
}

impl AddressProblem {
    /// What is wrong, in English, for an admin's error message.
    pub fn describe(self) -> &'static str {
        match self {
            AddressProblem::Scheme => "must start with https://",
            AddressProblem::UserInfo => "must not carry a user name or password",
            AddressProblem::Host => {
                "has no valid host (letters, digits, hyphens and dots; an internationalised name in its xn-- form)"
            }
            AddressProblem::Port => "has a port that is not a number from 1 to 65535",
            AddressProblem::Character => {
                "has a character a browser would change (a space, a quote, <, >, \\ or a control)"
            }
            AddressProblem::NotAnOrigin => {
                "is not an origin as a browser sends it: scheme://host or scheme://host:port, lowercase, nothing after"
            }
        }
    }
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "https" {
        443
    } else {
        80
    }
}

/// A host name as browsers and DNS have it in ASCII: labels of lowercase letters, digits and
/// hyphens, joined by dots, none starting or ending with a hyphen. An IPv4 address passes too.
pub fn is_host_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A port as written after a colon: 1 to 5 digits, from 1 to 65535.
pub(crate) fn port(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u16>().ok().filter(|p| *p > 0)
}

fn plain_rest(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b.is_ascii_graphic()
            && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'\\' | b'`' | b'{' | b'}' | b'|' | b'^')
            && (b != b'%' || (bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))))
    })
}

/// Splits `s`, an absolute address with one of `schemes`, as a browser would, or says why a
/// browser would not read it the same way. The scheme's default port written out (`:443`) reads as
/// no port, as it does in a browser.
pub fn parse<'a>(s: &'a str, schemes: &[&'static str]) -> Result<Address<'a>, AddressProblem> {
    let (scheme, after) = schemes
        .iter()
        .find_map(|sch| {
            let head = s.get(..sch.len() + 3)?;
            head.eq_ignore_ascii_case(&format!("{sch}://")).then(|| (*sch, &s[sch.len() + 3..]))
        })
        .ok_or(AddressProblem::Scheme)?;
    if !s.is_ascii() || s.bytes().any(|b| b.is_ascii_control()) {
        // A host in Unicode is sent in its xn-- form; any other non-ASCII is percent-encoded.
        let authority_ascii = after.split(['/', '?', '#']).next().is_some_and(str::is_ascii);
        return Err(if authority_ascii { AddressProblem::Character } else { AddressProblem::Host });
    }
    let end = after.find(['/', '?', '#', '\\']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    if authority.contains('@') {
        return Err(AddressProblem::UserInfo);
    }
    let (host, written_port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(port(p).ok_or(AddressProblem::Port)?)),
        None => (authority, None),
    };
    let host = host.to_ascii_lowercase();
    if !is_host_name(&host) {
        return Err(AddressProblem::Host);
    }
    if !plain_rest(rest) {
        return Err(AddressProblem::Character);
    }
    let port = written_port.filter(|p| *p != default_port(scheme));
    Ok(Address { scheme, host, port, rest })
}

/// Whether `s` is a plain `https://` address a browser reads as we do (a privacy notice, a link).
pub fn is_https_address(s: &str) -> bool {
    parse(s, &["https"]).is_ok()
}

/// Checks `s` is an origin exactly as a browser sends it in `Origin`: `https://host` or
/// `http://host`, with a port only when it is not the scheme's own, lowercase, nothing after.
/// Headers (CORS, `frame-ancestors`) are built from origins that pass this only.
pub fn check_origin(s: &str) -> Result<(), AddressProblem> {
    let address = parse(s, &["https", "http"])?;
    let canonical = match address.port {
        Some(p) => format!("{}://{}:{p}", address.scheme, address.host),
        None => format!("{}://{}", address.scheme, address.host),
    };
    if canonical != s {
        return Err(AddressProblem::NotAnOrigin);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_as_a_browser_splits_them() {
        let a = parse("HTTPS://YouTu.be:443/x?t=3#y", &["https"]).unwrap();
        assert_eq!((a.scheme, a.host.as_str(), a.port, a.rest), ("https", "youtu.be", None, "/x?t=3#y"));
        let a = parse("https://media.example:8443", &["https"]).unwrap();
        assert_eq!((a.host.as_str(), a.port, a.rest), ("media.example", Some(8443), ""));
        for (bad, why) in [
            ("http://youtu.be/x", AddressProblem::Scheme),
            ("javascript:alert(1)", AddressProblem::Scheme),
            ("https://www.youtube.com:evil.example/x", AddressProblem::Port),
            ("https://www.youtube.com:99999/x", AddressProblem::Port),
            ("https://www.youtube.com:443:80/x", AddressProblem::Port),
            ("https://www.youtube.com:0/x", AddressProblem::Port),
            ("https://www.youtube.com:/x", AddressProblem::Port),
            ("https://user@youtu.be/x", AddressProblem::UserInfo),
            ("https://youtu.be@evil.example/x", AddressProblem::UserInfo),
            ("https:///x", AddressProblem::Host),
            ("https://", AddressProblem::Host),
            ("https://bücher.example/x", AddressProblem::Host),
            ("https://a..b/x", AddressProblem::Host),
            ("https://youtu.be\\@evil.example", AddressProblem::Character),
            ("https://youtu.be/a b", AddressProblem::Character),
            ("https://youtu.be/\"><script>", AddressProblem::Character),
            ("https://youtu.be/\\x", AddressProblem::Character),
            ("https://youtu.be/%zz", AddressProblem::Character),
            ("https://youtu.be/é", AddressProblem::Character),
            ("https://youtu.be/\tx", AddressProblem::Character),
        ] {
            assert_eq!(parse(bad, &["https"]), Err(why), "{bad}");
        }
        assert!(is_https_address("https://xn--bcher-kva.example/%C3%A9"));
    }

    #[test]
    fn origins_only_in_the_form_a_browser_sends() {
        for ok in ["https://intranet.example.nhs.uk", "http://localhost:8080", "https://xn--bcher-kva.example"] {
            assert_eq!(check_origin(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("https://a.example;\tscript-src-elem\t*", AddressProblem::Character),
            ("https://a.example; script-src *", AddressProblem::Host),
            ("https://a.example/", AddressProblem::NotAnOrigin),
            ("https://A.example", AddressProblem::NotAnOrigin),
            ("https://a.example:443", AddressProblem::NotAnOrigin),
            ("https://a.example/path", AddressProblem::NotAnOrigin),
            ("intranet.example", AddressProblem::Scheme),
            ("https://bücher.example", AddressProblem::Host),
            ("https://*.example", AddressProblem::Host),
            ("https://a.example:65536", AddressProblem::Port),
        ] {
            assert_eq!(check_origin(bad), Err(why), "{bad}");
        }
    }
}
