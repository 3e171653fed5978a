//! Removing what could identify a person from free text: e-mail addresses, UK phone numbers, NHS
//! numbers, UK postcodes and links. The widget calls `scrub` to warn before sending; the server
//! calls it again before storing, so nothing it matches is ever written to disk.
//!
//! Hand-written scanners rather than the `regex` crate: they keep the widget's wasm small, and the
//! NHS number check (modulus 11) is not a regular language anyway. Scrubbing errs towards removal.

use serde::{Deserialize, Serialize};

/// What kind of detail was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScrubKind {
    Url,
    Email,
    NhsNumber,
    Phone,
    Postcode,
}

impl ScrubKind {
    /// The text that stands where the detail was.
    pub fn placeholder(self) -> &'static str {
        match self {
            ScrubKind::Url => "[link removed]",
            ScrubKind::Email => "[email removed]",
            ScrubKind::NhsNumber => "[NHS number removed]",
            ScrubKind::Phone => "[phone number removed]",
            ScrubKind::Postcode => "[postcode removed]",
        }
    }

    /// How a warning names it: "Your story contains an e-mail address".
    pub fn describe(self) -> &'static str {
        match self {
            ScrubKind::Url => "a web link",
            ScrubKind::Email => "an e-mail address",
            ScrubKind::NhsNumber => "an NHS number",
            ScrubKind::Phone => "a phone number",
            ScrubKind::Postcode => "a postcode",
        }
    }
}

/// Text with identifying details replaced, and what was replaced, in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scrubbed {
    pub text: String,
    pub found: Vec<ScrubKind>,
}

impl Scrubbed {
    pub fn is_clean(&self) -> bool {
        self.found.is_empty()
    }
}

/// Passes of [`scrub_once`] before giving up on the text. Ordinary text needs one, two when details
/// run together; only text built to chain overlapping numbers needs more.
const MAX_PASSES: usize = 32;

/// What is left of text that still yields details after [`MAX_PASSES`]: none of it.
pub const WITHHELD: &str = "[text withheld: too many identifying details]";

/// Replace every e-mail address, UK phone number, NHS number, UK postcode and link in `text`.
///
/// Matches that overlap are taken one at a time, so removing one can leave a whole detail behind:
/// in `a%b@x.uk_c@y.uk` the first address swallows the start of the second, and `_c@y.uk` is an
/// address of its own once the first is gone. The text is scrubbed again until a pass finds nothing;
/// text that still yields details after many passes is withheld whole rather than stored with one.
pub fn scrub(text: &str) -> Scrubbed {
    let mut scrubbed = scrub_once(text);
    if scrubbed.found.is_empty() {
        return scrubbed;
    }
    for _ in 1..MAX_PASSES {
        let again = scrub_once(&scrubbed.text);
        if again.found.is_empty() {
            return scrubbed;
        }
        scrubbed.text = again.text;
        scrubbed.found.extend(again.found);
    }
    if !scrub_once(&scrubbed.text).found.is_empty() {
        scrubbed.text = WITHHELD.to_string();
    }
    scrubbed
}

fn scrub_once(text: &str) -> Scrubbed {
    let b = text.as_bytes();
    // Each pass skips what earlier passes took, so a link's digits are not also a phone number and an
    // e-mail address's local part is not also a postcode.
    let mut spans: Vec<Span> = Vec::new();
    let overlaps = |spans: &[Span], start: usize, end: usize| spans.iter().any(|(s, e, _)| *s < end && start < *e);
    scan_pass(b, &mut spans, url_at);
    for (start, end) in emails(b) {
        if !overlaps(&spans, start, end) {
            spans.push((start, end, ScrubKind::Email));
        }
    }
    scan_pass(b, &mut spans, number_at);
    scan_pass(b, &mut spans, postcode_at);
    // Spans never overlap, so their starts differ and an unstable sort is exact (and smaller in wasm).
    spans.sort_unstable_by_key(|s| s.0);

    let mut out = String::with_capacity(text.len());
    let mut found = Vec::with_capacity(spans.len());
    let mut last = 0;
    for (start, end, kind) in spans {
        out.push_str(&text[last..start]);
        out.push_str(kind.placeholder());
        found.push(kind);
        last = end;
    }
    out.push_str(&text[last..]);
    Scrubbed { text: out, found }
}

/// A detail found: byte range and kind.
type Span = (usize, usize, ScrubKind);
/// Looks for a detail starting at a position: where it ends and what it is.
type Scanner = fn(&[u8], usize) -> Option<(usize, ScrubKind)>;

/// Run `scan` at every position not already taken, adding what it finds to `spans`.
fn scan_pass(b: &[u8], spans: &mut Vec<Span>, scan: Scanner) {
    let mut i = 0;
    while i < b.len() {
        if let Some(&(_, end, _)) = spans.iter().find(|(s, e, _)| (*s..*e).contains(&i)) {
            i = end;
            continue;
        }
        match scan(b, i) {
            Some((end, kind)) if !spans.iter().any(|(s, e, _)| *s < end && i < *e) => {
                spans.push((i, end, kind));
                i = end;
            }
            _ => i += 1,
        }
    }
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c >= 0x80
}

/// Whether a token may start at `i`: at the start of the text or after a non-word character.
fn starts_word(b: &[u8], i: usize) -> bool {
    i == 0 || !is_word_byte(b[i - 1])
}

fn starts_with_ignore_case(b: &[u8], i: usize, prefix: &str) -> bool {
    b.len() >= i + prefix.len() && b[i..i + prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// `http://…`, `https://…` or `www.…`, up to white space, without trailing punctuation.
fn url_at(b: &[u8], i: usize) -> Option<(usize, ScrubKind)> {
    if !starts_word(b, i) {
        return None;
    }
    let prefix = ["https://", "http://", "www."].into_iter().find(|p| starts_with_ignore_case(b, i, p))?;
    let mut end = i + prefix.len();
    while end < b.len() && !b[end].is_ascii_whitespace() && !matches!(b[end], b'<' | b'>' | b'"') {
        end += 1;
    }
    while end > i + prefix.len() && matches!(b[end - 1], b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b']' | b'\'')
    {
        end -= 1;
    }
    (end > i + prefix.len()).then_some((end, ScrubKind::Url))
}

/// Every `local@domain.tld`, found from its '@'.
fn emails(b: &[u8]) -> Vec<(usize, usize)> {
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
    let mut out = Vec::new();
    for at in (0..b.len()).filter(|&i| b[i] == b'@') {
        let mut start = at;
        while start > 0 && local(b[start - 1]) {
            start -= 1;
        }
        while start < at && b[start] == b'.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < b.len() && domain(b[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
            end -= 1;
        }
        let host = &b[at + 1..end];
        let tld_ok = host
            .iter()
            .rposition(|&c| c == b'.')
            .is_some_and(|dot| dot > 0 && host.len() - dot > 2 && host[dot + 1..].iter().all(u8::is_ascii_alphabetic));
        if start < at && tld_ok && out.last().is_none_or(|&(_, e)| e <= start) {
            out.push((start, end));
        }
    }
    out
}

/// The NHS number check: weights 10 down to 2 on the first nine digits, modulus 11.
pub fn is_nhs_number(digits: &[u8]) -> bool {
    if digits.len() != 10 || !digits.iter().all(|d| *d <= 9) {
        return false;
    }
    let sum: u32 = digits[..9].iter().zip((2..=10).rev()).map(|(d, w)| u32::from(*d) * w).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(digits[9])
}

/// A run of digits with the separators people type in numbers (spaces, hyphens, dots and
/// brackets, at most two together), classified as an NHS number or a UK phone number.
fn number_at(b: &[u8], i: usize) -> Option<(usize, ScrubKind)> {
    if !starts_word(b, i) {
        return None;
    }
    let mut j = i;
    let plus = b.get(j) == Some(&b'+');
    if plus || b.get(j) == Some(&b'(') {
        j += 1;
    }
    if !b.get(j).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut digits = Vec::new();
    let mut end = j;
    while j < b.len() {
        if b[j].is_ascii_digit() {
            digits.push(b[j] - b'0');
            j += 1;
            end = j;
            continue;
        }
        let mut k = j;
        while k < b.len() && k - j < 2 && matches!(b[k], b' ' | b'-' | b'.' | b'(' | b')') {
            k += 1;
        }
        if k > j && k < b.len() && b[k].is_ascii_digit() {
            j = k;
        } else {
            break;
        }
    }
    if end < b.len() && is_word_byte(b[end]) {
        return None;
    }
    if !plus && is_nhs_number(&digits) {
        return Some((end, ScrubKind::NhsNumber));
    }
    let national = if plus {
        digits.strip_prefix(&[4, 4][..]).map(|rest| rest.strip_prefix(&[0][..]).unwrap_or(rest))?
    } else {
        digits.strip_prefix(&[0][..])?
    };
    // UK numbers are 9 or 10 digits after the leading 0 (or +44), and never start with 0 there.
    let is_phone = (9..=10).contains(&national.len()) && national[0] != 0;
    is_phone.then_some((end, ScrubKind::Phone))
}

/// A UK postcode: `A9 9AA`, `A99 9AA`, `A9A 9AA`, `AA9 9AA`, `AA99 9AA` or `AA9A 9AA`, in any case,
/// with or without the space.
fn postcode_at(b: &[u8], i: usize) -> Option<(usize, ScrubKind)> {
    if !starts_word(b, i) {
        return None;
    }
    let alpha = |k: usize| b.get(k).is_some_and(u8::is_ascii_alphabetic);
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    let alnum = |k: usize| b.get(k).is_some_and(u8::is_ascii_alphanumeric);
    let inward = |k: usize| -> Option<usize> {
        let k = if b.get(k) == Some(&b' ') { k + 1 } else { k };
        (digit(k) && alpha(k + 1) && alpha(k + 2) && !b.get(k + 3).is_some_and(|c| is_word_byte(*c))).then_some(k + 3)
    };
    for letters in [2, 1] {
        if !(0..letters).all(|n| alpha(i + n)) || !digit(i + letters) {
            continue;
        }
        let outward_end = i + letters + 1;
        // Try the longer outward code first (`SW1A`, `B33`), then the shorter (`M1`).
        if alnum(outward_end) {
            if let Some(end) = inward(outward_end + 1) {
                return Some((end, ScrubKind::Postcode));
            }
        }
        if let Some(end) = inward(outward_end) {
            return Some((end, ScrubKind::Postcode));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<ScrubKind> {
        scrub(text).found
    }

    #[test]
    fn removes_email_addresses() {
        let s = scrub("Write to jo.bloggs+ward7@nhs.net, or J_SMITH@leeds-th.nhs.uk.");
        assert_eq!(s.text, "Write to [email removed], or [email removed].");
        assert_eq!(s.found, vec![ScrubKind::Email, ScrubKind::Email]);
        assert!(scrub("meet @ 3pm, @team").is_clean());
        assert!(scrub("a@b").is_clean());
    }

    #[test]
    fn removes_uk_phone_numbers() {
        for phone in [
            "020 7946 0018",
            "07700 900123",
            "+44 7700 900123",
            "+44 (0)20 7946 0018",
            "(01632) 960 001",
            "0113-496-0000",
            "07700900123",
        ] {
            let s = scrub(&format!("Ring {phone} today"));
            assert_eq!(s.text, "Ring [phone number removed] today", "{phone}");
        }
        for not_phone in
            ["In 2023 we saw 120 patients", "ward 12 and bay 3", "1 2 3 4 5", "version 1.2.3", "£1,000,000"]
        {
            assert!(scrub(not_phone).is_clean(), "{not_phone}");
        }
    }

    #[test]
    fn removes_nhs_numbers_that_pass_the_check() {
        for n in ["943 476 5919", "9434765919", "943-476-5919"] {
            let s = scrub(&format!("Patient {n} was seen"));
            assert_eq!(s.text, "Patient [NHS number removed] was seen", "{n}");
        }
        // Fails modulus 11, and does not look like a phone number: left alone.
        assert!(scrub("ref 9434765918").is_clean());
        assert!(is_nhs_number(&[4, 0, 1, 0, 2, 3, 2, 1, 3, 7]));
        assert!(!is_nhs_number(&[4, 0, 1, 0, 2, 3, 2, 1, 3, 8]));
    }

    #[test]
    fn removes_uk_postcodes() {
        for pc in ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "ls1 4ap", "EC1A1BB", "W1A 0AX"] {
            let s = scrub(&format!("Lives near {pc}, by the park"));
            assert_eq!(s.text, "Lives near [postcode removed], by the park", "{pc}");
        }
        for not_pc in ["Covid-19 ward", "A1 road", "the M62 motorway", "B12 vitamins", "Room 3AB"] {
            assert!(scrub(not_pc).is_clean(), "{not_pc}");
        }
    }

    #[test]
    fn removes_links() {
        let s = scrub("See https://example.nhs.uk/page?id=4 and www.example.com.");
        assert_eq!(s.text, "See [link removed] and [link removed].");
        assert_eq!(s.found, vec![ScrubKind::Url, ScrubKind::Url]);
        // A link holding digits is one link, not a link and a phone number.
        assert_eq!(kinds("http://x.example/07700900123"), vec![ScrubKind::Url]);
    }

    #[test]
    fn reports_in_order_and_keeps_the_rest_intact() {
        let s = scrub("Café staff (ring 07700 900123) emailed a@b.example from LS1 4AP — thank you!");
        assert_eq!(
            s.text,
            "Café staff (ring [phone number removed]) emailed [email removed] from [postcode removed] — thank you!"
        );
        assert_eq!(s.found, vec![ScrubKind::Phone, ScrubKind::Email, ScrubKind::Postcode]);
    }

    #[test]
    fn plain_stories_are_untouched() {
        let story = "Our porters stayed late to help a family find the ward. Everyone counts, and 3 of us \
                     covered the 7am shift so a colleague could attend her graduation.";
        let s = scrub(story);
        assert!(s.is_clean());
        assert_eq!(s.text, story);
    }

    #[test]
    fn scrubbing_is_idempotent_on_odd_input() {
        for text in ["", "@", "@@..", "+", "(", "http://", "www.", "1-", "é@é.é", "a@b.co\u{301}", "SW1A"] {
            let once = scrub(text);
            assert_eq!(scrub(&once.text).text, once.text, "{text:?}");
        }
    }

    #[test]
    fn a_detail_uncovered_by_removing_an_overlapping_one_is_removed_too() {
        // Found by the fuzzer: the second address's local part overlaps the first address.
        let out = scrub("sub%mission_io@nhs.neion_io@nhs.ned");
        assert!(scrub(&out.text).is_clean(), "{}", out.text);
        assert!(!out.text.contains('@'), "{}", out.text);
        assert_eq!(out.found, vec![ScrubKind::Email, ScrubKind::Email]);
    }

    #[test]
    fn text_that_keeps_yielding_details_is_withheld_whole() {
        // Found by the fuzzer: NHS numbers chained so that each removal completes another.
        let chained = "{\"s\x00(43 476 iss\x008888838888\x005{\"su`mi\"sion_i-_i 476 591 476 5919(43 476 5919(9( 5\x00(43 476 iss\x008888838888\x005{\"su`mi\"sion_i-_i 476 591 476 5919(43 476 5919(9( 591 476 5919(43 476 5919(9( 591 476 5919(43 476 5919(9( 591 476 5919(43 476 5919(9 591 476 5919(43 476 5919(9( S1\r\x00\x00\x005 S8HS bHS b99";
        let out = scrub(chained);
        assert!(scrub(&out.text).is_clean(), "{}", out.text);
        assert!(!out.found.is_empty());
    }
}
