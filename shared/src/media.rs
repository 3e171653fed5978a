//! A story's photo or video link: what may be linked to. Free text has every link scrubbed out of
//! it, so a link travels apart from the text, and only to a host the survey lists: nothing else
//! can be smuggled into a story that other staff will read.

use serde::{Deserialize, Serialize};

use crate::definition::is_https_url;
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
    /// Not a plain `https://` address (another scheme, a space, a quote, a user name…).
    NotHttps,
    /// Over [`MAX_LINK_CHARS`].
    TooLong,
    /// To a host the survey does not list.
    HostNotListed,
}

/// A host name as `media_hosts` lists it: lowercase labels of letters, digits and hyphens, joined
/// by dots.
pub fn is_host(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// The host of an `https://` link, lowercased, without a port.
fn host_of(link: &str) -> String {
    let rest = link.strip_prefix("https://").unwrap_or(link);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority.split(':').next().unwrap_or("").to_ascii_lowercase()
}

/// Whether `link` may go with a story in a survey that lists `hosts`.
pub fn check_link(hosts: &[String], link: &str) -> Result<(), LinkProblem> {
    if link.chars().count() > MAX_LINK_CHARS {
        return Err(LinkProblem::TooLong);
    }
    if !is_https_url(link) {
        return Err(LinkProblem::NotHttps);
    }
    let host = host_of(link);
    if !hosts.iter().any(|h| *h == host) {
        return Err(LinkProblem::HostNotListed);
    }
    Ok(())
}

impl LinkProblem {
    /// What to do about it, in `lang`, naming the hosts allowed.
    pub fn message(self, hosts: &[String], lang: Lang) -> String {
        match self {
            LinkProblem::NotHttps => lang.pick(
                "Give a link that starts with https:// and has no spaces.".into(),
                "Rhowch ddolen sy'n dechrau gyda https:// heb fylchau.".into(),
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
        ] {
            assert_eq!(check_link(&hosts, bad), Err(why), "{bad}");
        }
        let long = format!("https://youtu.be/{}", "a".repeat(MAX_LINK_CHARS));
        assert_eq!(check_link(&hosts, &long), Err(LinkProblem::TooLong));
    }

    #[test]
    fn host_names_as_listed() {
        for ok in ["youtu.be", "trust.sharepoint.com", "localhost", "a-b.example"] {
            assert!(is_host(ok), "{ok}");
        }
        for bad in ["https://youtu.be", "YouTube.com", "", "a..b", "-a.b", "a.b/", "*.sharepoint.com", "a.b:443"] {
            assert!(!is_host(bad), "{bad}");
        }
    }
}
