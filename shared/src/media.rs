//! A story's photo or video link: what may be linked to. Free text has every link scrubbed out of
//! it, so a link travels apart from the text, and only to a host the survey lists: nothing else
//! can be smuggled into a story that other staff will read.

use serde::{Deserialize, Serialize};

use crate::address::{is_host_name, parse};
use crate::lang::Lang;
use crate::response::Answer;

/// A story's photo or video link with its caption, as kept with the story. The caption is
/// scrubbed like the text; the link is not (scrubbing would remove it) but was checked against the
/// survey's hosts.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryLink {
    /// `https://` to one of the survey's `media_hosts`.
    pub link: String,
    pub caption: String,
}

impl StoryLink {
    /// The link of a free-text answer, if it carries one.
    pub fn of(answer: &Answer) -> Option<StoryLink> {
        match answer {
            Answer::Story { link, caption, .. } if !link.trim().is_empty() => {
                Some(StoryLink { link: link.trim().to_string(), caption: caption.trim().to_string() })
            }
            _ => None,
        }
    }

    /// The answer for `text` with this link, or plain text without one.
    pub fn answer(text: String, link: Option<&StoryLink>) -> Answer {
        match link {
            Some(l) => Answer::Story { text, link: l.link.clone(), caption: l.caption.clone() },
            None => Answer::Text(text),
        }
    }
}

/// The longest link a story may carry, in characters.
pub const MAX_LINK_CHARS: usize = 2000;

/// Why a link cannot go with a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// Not a plain `https://` address a browser reads as we do (another scheme, a space, a quote,
    /// a user name, a port that is no port…).
    NotHttps,
    /// Over [`MAX_LINK_CHARS`].
    TooLong,
    /// To a host the survey does not list.
    HostNotListed,
}

/// A host as `media_hosts` lists it: a host name in lowercase ASCII, with a port after a colon
/// only when its links use one (`media.example.nhs.uk:8443`).
pub fn is_host(s: &str) -> bool {
    let (name, port) = s.split_once(':').map_or((s, None), |(h, p)| (h, Some(p)));
    // The port as a link writes it; never 443, which a link leaves out.
    is_host_name(name) && port.is_none_or(|p| !p.starts_with('0') && crate::address::port(p).is_some_and(|n| n != 443))
}

/// Whether `link` may go with a story in a survey that lists `hosts`: an address a browser reads as
/// we do (see [`crate::address`]), to a listed host, on the port the entry names (none: 443).
pub fn check_link(hosts: &[String], link: &str) -> Result<(), LinkProblem> {
    if link.chars().count() > MAX_LINK_CHARS {
        return Err(LinkProblem::TooLong);
    }
    let address = parse(link, &["https"]).map_err(|_| LinkProblem::NotHttps)?;
    let entry = match address.port {
        Some(p) => format!("{}:{p}", address.host),
        None => address.host,
    };
    if !hosts.iter().any(|h| *h == entry) {
        return Err(LinkProblem::HostNotListed);
    }
    Ok(())
}

impl LinkProblem {
    /// What to do about it, in `lang`, naming the hosts allowed.
    pub fn message(self, hosts: &[String], lang: Lang) -> String {
        match self {
            LinkProblem::NotHttps => lang.pick(
                "Give a link that starts with https://, as your browser shows it, with no spaces.".into(),
                "Rhowch ddolen sy'n dechrau gyda https://, fel y mae eich porwr yn ei dangos, heb fylchau.".into(),
            ),
            LinkProblem::TooLong => lang.pick(
                format!("The link must be {MAX_LINK_CHARS} characters or fewer."),
                format!("Rhaid i'r ddolen fod yn {MAX_LINK_CHARS} nod neu lai."),
            ),
            LinkProblem::HostNotListed => {
                let list = hosts.join(", ");
                lang.pick(
                    format!("Only links to {list} can be shared here."),
                    format!("Dim ond dolenni i {list} y gellir eu rhannu yma."),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_links_to_listed_hosts() {
        let hosts = vec!["trust.sharepoint.com".to_string(), "youtu.be".to_string()];
        for ok in
            ["https://trust.sharepoint.com/sites/news/photo.jpg", "https://YOUTU.BE/abc?t=3", "https://youtu.be:443/x"]
        {
            assert_eq!(check_link(&hosts, ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("http://youtu.be/abc", LinkProblem::NotHttps),
            ("javascript:alert(1)", LinkProblem::NotHttps),
            ("https://youtu.be/a b", LinkProblem::NotHttps),
            ("https://user@youtu.be/abc", LinkProblem::NotHttps),
            ("https://youtu.be/\"><script>", LinkProblem::NotHttps),
            ("https://youtu.be.evil.example/abc", LinkProblem::HostNotListed),
            ("https://evil.example/youtu.be", LinkProblem::HostNotListed),
            ("https://sharepoint.com/x", LinkProblem::HostNotListed),
            // What a browser cannot parse, or parses to another host or port.
            ("https://youtu.be:evil.example/x", LinkProblem::NotHttps),
            ("https://youtu.be:99999/x", LinkProblem::NotHttps),
            ("https://youtu.be:443:80/x", LinkProblem::NotHttps),
            ("https://youtu.be:8443/x", LinkProblem::HostNotListed),
        ] {
            assert_eq!(check_link(&hosts, bad), Err(why), "{bad}");
        }
        let with_port = vec!["media.example:8443".to_string()];
        assert_eq!(check_link(&with_port, "https://media.example:8443/v"), Ok(()));
        assert_eq!(check_link(&with_port, "https://media.example/v"), Err(LinkProblem::HostNotListed));
        let long = format!("https://youtu.be/{}", "a".repeat(MAX_LINK_CHARS));
        assert_eq!(check_link(&hosts, &long), Err(LinkProblem::TooLong));
    }

    #[test]
    fn host_names_as_listed() {
        for ok in ["youtu.be", "trust.sharepoint.com", "localhost", "a-b.example", "media.example:8443"] {
            assert!(is_host(ok), "{ok}");
        }
        for bad in [
            "https://youtu.be",
            "YouTube.com",
            "",
            "a..b",
            "-a.b",
            "a.b/",
            "*.sharepoint.com",
            "a.b:443",
            "a.b:",
            "a.b:0",
            "a.b:99999",
            "a.b:x",
        ] {
            assert!(!is_host(bad), "{bad}");
        }
    }
}
