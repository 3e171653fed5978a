//! Removing what could identify a person from free text: e-mail addresses (also spelled out, `jane
//! dot smith at nhs dot net`), UK phone numbers, NHS numbers, UK postcodes, links, dates of birth,
//! hospital numbers and street addresses. The widget calls `scrub` to warn before sending; the server
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
    DateOfBirth,
    HospitalNumber,
    Address,
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
            ScrubKind::DateOfBirth => "[date of birth removed]",
            ScrubKind::HospitalNumber => "[hospital number removed]",
            ScrubKind::Address => "[address removed]",
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
            ScrubKind::DateOfBirth => "a date of birth",
            ScrubKind::HospitalNumber => "a hospital number",
            ScrubKind::Address => "a street address",
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

/// Replace every e-mail address, UK phone number, NHS number, UK postcode, link, date of birth,
/// hospital number and street address in `text`.
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
    scan_pass(b, &mut spans, spelled_email_at);
    scan_pass(b, &mut spans, url_at);
    for (start, end) in emails(b) {
        if !overlaps(&spans, start, end) {
            spans.push((start, end, ScrubKind::Email));
        }
    }
    // What follows a word that names it ("DOB", "MRN", "NHS number"), before the numbers a bare
    // scan would take otherwise.
    for i in 0..b.len() {
        if let Some((start, end, kind)) = cued_at(b, i) {
            if !overlaps(&spans, start, end) {
                spans.push((start, end, kind));
            }
        }
    }
    scan_pass(b, &mut spans, number_at);
    scan_pass(b, &mut spans, hospital_number_at);
    scan_pass(b, &mut spans, address_at);
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

/// Words that stand before a person's name: "Mr Patel", "Sister O'Neill", "patient Jones".
const BEFORE_NAMES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sister", "Prof", "Professor", "Nurse", "Matron", "Nanny", "Auntie",
    "patient", "Patient", "Baby", "baby",
];

/// Words after a name that say it is a patient's: "Jones in bed 4", "Amir on ward 7".
const AFTER_NAMES: &[&str] = &[" in bed", " on ward", " in bay", ", bed", " in room", " in side room"];

/// Words that may look like names after those words but are not.
const NOT_NAMES: &[&str] = &["The", "A", "An", "We", "I", "He", "She", "They", "It", "On", "In", "At", "Ward", "Bed", "Bay"];

/// Likely names of people the scrubber cannot remove reliably (staff often name a colleague on
/// purpose): a capitalised word after a title or "patient", or before "in bed", "on ward" and the
/// like, in order and without repeats. For the moderator to check, never removed silently.
pub fn likely_names(text: &str) -> Vec<String> {
    // Each word with where it starts: letters, and the apostrophes, hyphens and dots inside names.
    let in_word = |c: char| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.');
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (start, in_word(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let word = text[s..i].trim_end_matches(['.', '-', '\'', '’']);
                if !word.is_empty() {
                    words.push((s, word));
                }
                start = None;
            }
            _ => {}
        }
    }
    // Capitalised, not an acronym (HCA, ICU), not a word of [`NOT_NAMES`].
    let capitalised = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase) && !NOT_NAMES.contains(&w)
    };
    let mut names: Vec<String> = Vec::new();
    let mut n = 0;
    while n < words.len() {
        let (start, word) = words[n];
        let after_title = n > 0 && BEFORE_NAMES.contains(&words[n - 1].1) && !BEFORE_NAMES.contains(&word);
        // A name runs on through the capitalised words right after it: "Sister Jane Smith".
        let mut last = n;
        while last + 1 < words.len() && capitalised(words[last + 1].1) && text[words[last].0 + words[last].1.len()..words[last + 1].0] == *" " {
            last += 1;
        }
        let (end_start, end_word) = words[last];
        let before_place = AFTER_NAMES.iter().any(|a| text[end_start + end_word.len()..].starts_with(a));
        if capitalised(word) && !BEFORE_NAMES.contains(&word) && (after_title || before_place) {
            let name = &text[start..end_start + end_word.len()];
            if !names.iter().any(|known| known == name) {
                names.push(name.to_string());
            }
            n = last + 1;
        } else {
            n += 1;
        }
    }
    names
}

/// The scrubber's placeholders still in `text` (an approved story shows them as they are).
pub fn placeholders_in(text: &str) -> Vec<&'static str> {
    use ScrubKind::*;
    [Url, Email, NhsNumber, Phone, Postcode, DateOfBirth, HospitalNumber, Address]
        .into_iter()
        .map(ScrubKind::placeholder)
        .filter(|p| text.contains(p))
        .collect()
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

/// Top-level domains that a web address written without `http` or `www.` is recognised by, when a
/// path follows it (`example.nhs.uk/staff/…`, `bit.ly/3xYz`, `instagram.com/jo.bloggs`). A list, not
/// any letters, so that `St.John/ward` or `e.g./i.e.` stay as written.
const BARE_LINK_TLDS: &[&str] = &[
    "uk", "com", "org", "net", "ly", "io", "co", "me", "gov", "in", "be", "gl", "tv", "us", "eu", "info", "biz", "app",
    "dev", "wales", "cymru", "scot", "social", "online", "site", "link", "to", "gg", "ie", "nz", "au", "ca",
];

/// `domain.tld/path` with a tld of [`BARE_LINK_TLDS`]: where the path starts, or `None`.
fn bare_domain_at(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    let mut labels = 0;
    let mut last_label = i..i;
    loop {
        let start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        if j == start {
            return None;
        }
        labels += 1;
        last_label = start..j;
        match b.get(j) {
            Some(b'.') => j += 1,
            Some(b'/') if labels >= 2 => break,
            _ => return None,
        }
    }
    let tld = &b[last_label];
    let known = BARE_LINK_TLDS.iter().any(|t| tld.eq_ignore_ascii_case(t.as_bytes()));
    // A path of at least one character that is not white space or another slash.
    let path = b.get(j + 1).is_some_and(|c| !c.is_ascii_whitespace() && *c != b'/');
    (known && path).then_some(j + 1)
}

/// `http://…`, `https://…`, `www.…` or `domain.tld/path`, up to white space, without trailing
/// punctuation.
fn url_at(b: &[u8], i: usize) -> Option<(usize, ScrubKind)> {
    if !starts_word(b, i) {
        return None;
    }
    let body_start = match ["https://", "http://", "www."].into_iter().find(|p| starts_with_ignore_case(b, i, p)) {
        Some(prefix) => i + prefix.len(),
        None => bare_domain_at(b, i)?,
    };
    let mut end = body_start;
    while end < b.len() && !b[end].is_ascii_whitespace() && !matches!(b[end], b'<' | b'>' | b'"') {
        end += 1;
    }
    while end > body_start && matches!(b[end - 1], b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b']' | b'\'') {
        end -= 1;
    }
    (end > body_start).then_some((end, ScrubKind::Url))
}

/// Every `local@domain.tld`, found from its '@'.
fn emails(b: &[u8]) -> Vec<(usize, usize)> {
    // Apostrophes too: o'neill@example.nhs.uk is one address, not "o'" and an address.
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'');
    let domain = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
    let mut out = Vec::new();
    for at in (0..b.len()).filter(|&i| b[i] == b'@') {
        let mut start = at;
        while start > 0 && local(b[start - 1]) {
            start -= 1;
        }
        // A quote before the address ('jo@nhs.net') is punctuation, not part of it.
        while start < at && matches!(b[start], b'.' | b'\'') {
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

/// The length in bytes of a space of any kind at `k`: a space, tab or line break, or a Unicode
/// space (no-break, thin, figure…) that word processors and phones put inside numbers.
fn space_at(b: &[u8], k: usize) -> Option<usize> {
    match b.get(k..)? {
        [b' ' | b'\t' | b'\n' | b'\r', ..] => Some(1),
        // U+00A0 no-break space.
        [0xC2, 0xA0, ..] => Some(2),
        // U+2000–U+200A spaces, U+202F narrow no-break space, U+205F medium mathematical space,
        // U+3000 ideographic space.
        [0xE2, 0x80, 0x80..=0x8A | 0xAF, ..] | [0xE2, 0x81, 0x9F, ..] | [0xE3, 0x80, 0x80, ..] => Some(3),
        _ => None,
    }
}

/// The length in bytes of a character people type between the groups of a number at `k`: a space
/// of any kind, a hyphen or dash, a dot or a bracket.
fn separator_at(b: &[u8], k: usize) -> Option<usize> {
    match b.get(k..)? {
        [b'-' | b'.' | b'(' | b')', ..] => Some(1),
        // U+2010–U+2015 hyphens and dashes, U+2212 minus sign.
        [0xE2, 0x80, 0x90..=0x95, ..] | [0xE2, 0x88, 0x92, ..] => Some(3),
        _ => space_at(b, k),
    }
}

/// The digits from `i` with the separators people type between them ([`separator_at`], at most
/// three together, so a line break inside a number is crossed): where they end, and the digits
/// (none when `i` holds no digit).
fn digits_at(b: &[u8], i: usize) -> (usize, Vec<u8>) {
    let (mut j, mut end, mut digits) = (i, i, Vec::new());
    while b.get(j).is_some_and(u8::is_ascii_digit) {
        digits.push(b[j] - b'0');
        j += 1;
        end = j;
        let (mut k, mut together) = (j, 0);
        while together < 3 {
            let Some(len) = separator_at(b, k) else { break };
            k += len;
            together += 1;
        }
        if k > j && b.get(k).is_some_and(u8::is_ascii_digit) {
            j = k;
        }
    }
    (end, digits)
}

/// A run of digits with the separators people type in numbers ([`separator_at`], at most three
/// together, so a line break inside a number is crossed), classified as an NHS number or a UK
/// phone number (`0…`, `+44…` or `00 44…`).
fn number_at(b: &[u8], i: usize) -> Option<(usize, ScrubKind)> {
    if !starts_word(b, i) {
        return None;
    }
    let mut j = i;
    let plus = b.get(j) == Some(&b'+');
    let bracket = b.get(j) == Some(&b'(');
    if plus || bracket {
        j += 1;
    }
    if !b.get(j).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let (end, digits) = digits_at(b, j);
    if end < b.len() && is_word_byte(b[end]) {
        return None;
    }
    // An opening bracket is taken only with its closing one; "(07700 900123)" keeps its "(" when the
    // number goes, since the scan one byte on finds the number alone.
    if bracket && !b[i..end].contains(&b')') {
        return None;
    }
    if !plus && is_nhs_number(&digits) {
        return Some((end, ScrubKind::NhsNumber));
    }
    let international = if plus { Some(&digits[..]) } else { digits.strip_prefix(&[0, 0][..]) };
    let national = match international {
        Some(digits) => digits.strip_prefix(&[4, 4][..]).map(|rest| rest.strip_prefix(&[0][..]).unwrap_or(rest))?,
        None => digits.strip_prefix(&[0][..])?,
    };
    // UK numbers are 9 or 10 digits after the leading 0 (or +44), and never start with 0 there.
    let is_phone = (9..=10).contains(&national.len()) && national[0] != 0;
    is_phone.then_some((end, ScrubKind::Phone))
}

/// The end of a word of ASCII letters and digits at `i`, if one starts there.
fn word_end(b: &[u8], i: usize) -> Option<usize> {
    let end = i + b.get(i..)?.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    (end > i && starts_word(b, i) && !b.get(end).is_some_and(|c| *c >= 0x80)).then_some(end)
}

/// The first of `seps` at `i`, ignoring case: where it ends.
fn sep_end(b: &[u8], i: usize, seps: &[&str]) -> Option<usize> {
    seps.iter().find(|s| starts_with_ignore_case(b, i, s)).map(|s| i + s.len())
}

/// An e-mail address spelled out to get past filters: `jane dot smith at nhs dot net`,
/// `j.smith [at] nhs.net`, `jo(at)nhs(dot)uk`. At least one of its separators is spelled, and it
/// ends in a top-level domain of [`BARE_LINK_TLDS`].
fn spelled_email_at(b: &[u8], i: usize) -> Option<(usize, ScrubKind)> {
    const DOTS: &[&str] = &[" dot ", " [dot] ", " (dot) ", "[dot]", "(dot)", "."];
    const ATS: &[&str] = &[" at ", " [at] ", " (at) ", "[at]", "(at)", " @ "];
    // " at " alone is ordinary English ("details at www.example.com"): a spelled dot or a bracketed
    // "at" marks an address.
    let spelled = |from: usize, to: usize| {
        let sep = &b[from..to];
        sep.len() > 1 && (sep.iter().any(|c| matches!(c, b'[' | b'(')) || sep.eq_ignore_ascii_case(b" dot "))
    };
    let mut j = word_end(b, i)?;
    let mut marked = false;
    while let Some(k) = sep_end(b, j, DOTS).or_else(|| sep_end(b, j, &["_", "-"])) {
        let Some(e) = word_end(b, k) else { break };
        marked |= spelled(j, k);
        j = e;
    }
    let at = sep_end(b, j, ATS)?;
    marked |= spelled(j, at);
    let mut k = word_end(b, at)?;
    let mut end = None;
    while let Some(dot) = sep_end(b, k, DOTS) {
        let Some(next) = word_end(b, dot) else { break };
        let spelled_dot = spelled(k, dot);
        k = next;
        let tld = &b[dot..next];
        let tld = &tld[tld.iter().rposition(|c| !c.is_ascii_alphanumeric()).map_or(0, |p| p + 1)..];
        if BARE_LINK_TLDS.iter().any(|t| tld.eq_ignore_ascii_case(t.as_bytes())) {
            end = Some((next, marked || spelled_dot));
        }
        marked |= spelled_dot;
    }
    let (end, spelled) = end?;
    (spelled || marked).then_some((end, ScrubKind::Email))
}

/// A detail a word names, at a cue starting at `i`: a date (or a year) after "born" or "DOB", an
/// identifier with five digits or more after "MRN" or "hospital number", ten digits after "NHS
/// number" (whether or not they pass its check). The cue stays; the span is the detail's.
fn cued_at(b: &[u8], i: usize) -> Option<(usize, usize, ScrubKind)> {
    const BIRTH: &[&str] = &["date of birth", "d.o.b.", "d.o.b", "dob", "born on", "born in", "born", "birthday"];
    const HOSPITAL: &[&str] = &[
        "hospital number", "hospital no.", "hospital no", "hosp no.", "hosp no", "hospital id", "mrn", "m.r.n.",
        "unit number", "unit no.", "patient number", "patient id", "patient no.", "case number", "crn",
    ];
    const NHS: &[&str] = &["nhs number", "nhs no.", "nhs no", "nhs #", "nhs#"];
    if !starts_word(b, i) {
        return None;
    }
    let cue = |list: &[&str]| {
        list.iter().find(|c| starts_with_ignore_case(b, i, c) && !b.get(i + c.len()).is_some_and(|c| c.is_ascii_alphabetic())).map(|c| i + c.len())
    };
    // What may stand between a cue and its detail: "DOB: 14/02/1956", "MRN is 0123456", "no. 12345".
    let value = |mut k: usize| {
        loop {
            let next = sep_end(b, k, &[" ", ":", "#", "-", "=", "is ", "was ", "of ", "number ", "no. ", "no "]);
            match next {
                Some(n) if n > k => k = n,
                _ => return k,
            }
        }
    };
    if let Some(k) = cue(BIRTH) {
        let start = value(k);
        return date_at(b, start).map(|end| (start, end, ScrubKind::DateOfBirth));
    }
    if let Some(k) = cue(NHS) {
        let start = value(k);
        // From its first digit: "NHS no. (943 476 5919)" keeps its brackets.
        let start = start + b.get(start..)?.iter().take_while(|c| matches!(c, b'(' | b'[')).count();
        let (end, digits) = digits_at(b, start);
        let whole = !b.get(end).is_some_and(|c| is_word_byte(*c));
        return (digits.len() == 10 && whole).then_some((start, end, ScrubKind::NhsNumber));
    }
    let start = value(cue(HOSPITAL)?);
    let end = start + b.get(start..)?.iter().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'-')).count();
    let end = start + b[start..end].iter().rposition(u8::is_ascii_alphanumeric).map_or(0, |p| p + 1);
    (b[start..end].iter().filter(|c| c.is_ascii_digit()).count() >= 5).then_some((start, end, ScrubKind::HospitalNumber))
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// A date at `i`: `14/02/1956`, `14.2.56`, `14-02-1956`, `14 February 1956`, `14th Feb 56`,
/// `February 14, 1956`, or a year alone (`1956`).
fn date_at(b: &[u8], i: usize) -> Option<usize> {
    let number = |k: usize, most: usize| {
        let n = b.get(k..)?.iter().take_while(|c| c.is_ascii_digit()).take(most + 1).count();
        (1..=most).contains(&n).then_some(k + n)
    };
    let month = |k: usize| {
        let name = MONTHS.iter().find(|m| starts_with_ignore_case(b, k, m))?;
        let mut e = k + name.len();
        while b.get(e).is_some_and(u8::is_ascii_alphabetic) {
            e += 1;
        }
        Some(if b.get(e) == Some(&b'.') { e + 1 } else { e })
    };
    let year = |k: usize| {
        let e = number(k, 4)?;
        (e - k == 2 || e - k == 4).then_some(e)
    };
    let done = |e: usize| (!b.get(e).is_some_and(|c| is_word_byte(*c))).then_some(e);
    let spaces = |mut k: usize| {
        while matches!(b.get(k), Some(b' ' | b',')) {
            k += 1;
        }
        k
    };
    if let Some(day) = number(i, 2) {
        // 14/02/1956: the same separator twice.
        if let Some(&sep @ (b'/' | b'.' | b'-')) = b.get(day) {
            let m = number(day + 1, 2)?;
            return (b.get(m) == Some(&sep)).then_some(()).and_then(|_| year(m + 1)).and_then(done);
        }
        // 14 February 1956, 14th Feb 56.
        let mut k = day;
        if ["st", "nd", "rd", "th"].iter().any(|s| starts_with_ignore_case(b, k, s)) {
            k += 2;
        }
        if let Some(m) = month(spaces(k)).filter(|_| spaces(k) > k) {
            return year(spaces(m)).and_then(done);
        }
    }
    if let Some(m) = month(i) {
        let day = number(spaces(m), 2)?;
        let mut k = day;
        if ["st", "nd", "rd", "th"].iter().any(|s| starts_with_ignore_case(b, k, s)) {
            k += 2;
        }
        return year(spaces(k)).and_then(done);
    }
    // A year alone: 19xx or 20xx.
    let e = number(i, 4).filter(|e| e - i == 4 && (b[i..].starts_with(b"19") || b[i..].starts_with(b"20")))?;
    done(e)
}

/// A hospital or trust number written bare: one to three capital letters and six to eight digits
/// as one word (`RX1234567`, `K123456`), with a capital letter after them or not.
fn hospital_number_at(b: &[u8], i: usize) -> Option<(usize, ScrubKind)> {
    let end = word_end(b, i)?;
    let word = &b[i..end];
    let letters = word.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = word[letters..].iter().take_while(|c| c.is_ascii_digit()).count();
    let rest = &word[letters + digits..];
    let ok = (1..=3).contains(&letters) && (6..=8).contains(&digits) && (rest.is_empty() || rest.len() == 1 && rest[0].is_ascii_uppercase());
    ok.then_some((end, ScrubKind::HospitalNumber))
}

/// The last words of a street's name.
const STREETS: &[&str] = &[
    "Street", "St", "Road", "Rd", "Avenue", "Ave", "Lane", "Close", "Drive", "Way", "Crescent", "Grove", "Place",
    "Terrace", "Court", "Gardens", "Square", "Row", "Mews", "Walk", "Rise", "Parade", "Gate",
];

/// A street address: a house number (`12`, `14a`) and one to three capitalised words, the last of
/// them a street's ([`STREETS`]): `12 Acacia Avenue`, `3a Church St`.
fn address_at(b: &[u8], i: usize) -> Option<(usize, ScrubKind)> {
    let n = b.get(i..)?.iter().take_while(|c| c.is_ascii_digit()).count();
    if !starts_word(b, i) || !(1..=4).contains(&n) {
        return None;
    }
    let mut j = i + n;
    if b.get(j).is_some_and(|c| c.is_ascii_lowercase()) && b.get(j + 1) == Some(&b' ') {
        j += 1;
    }
    for _ in 0..3 {
        if b.get(j) != Some(&b' ') || !b.get(j + 1).is_some_and(u8::is_ascii_uppercase) {
            return None;
        }
        let start = j + 1;
        j = start + b[start..].iter().take_while(|c| c.is_ascii_alphabetic() || matches!(c, b'\'' | b'-')).count();
        let more = b.get(j) == Some(&b' ') && b.get(j + 1).is_some_and(u8::is_ascii_uppercase);
        if STREETS.iter().any(|s| &b[start..j] == s.as_bytes()) && !b.get(j).is_some_and(|c| is_word_byte(*c)) && !more {
            return Some((j, ScrubKind::Address));
        }
    }
    None
}

/// A UK postcode: `A9 9AA`, `A99 9AA`, `A9A 9AA`, `AA9 9AA`, `AA99 9AA` or `AA9A 9AA`, in any case,
/// with no space, or one or two spaces of any kind, between its halves.
fn postcode_at(b: &[u8], i: usize) -> Option<(usize, ScrubKind)> {
    if !starts_word(b, i) {
        return None;
    }
    let alpha = |k: usize| b.get(k).is_some_and(u8::is_ascii_alphabetic);
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    let alnum = |k: usize| b.get(k).is_some_and(u8::is_ascii_alphanumeric);
    let inward = |k: usize| -> Option<usize> {
        let mut k = k;
        for _ in 0..2 {
            let Some(len) = space_at(b, k) else { break };
            k += len;
        }
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
    fn removes_what_stories_about_patients_carry() {
        let s = scrub("Mr X, born 14/02/1956 (MRN 0123456), of 12 Acacia Avenue: write to jane dot smith at nhs dot net.");
        assert_eq!(
            s.text,
            "Mr X, born [date of birth removed] (MRN [hospital number removed]), of [address removed]: write to [email removed]."
        );
        assert_eq!(scrub("NHS number 123 456 7890 was wrong").text, "NHS number [NHS number removed] was wrong");
        assert_eq!(scrub("DOB 14.2.56, RX1234567").found, vec![ScrubKind::DateOfBirth, ScrubKind::HospitalNumber]);
        // Without the word that names it, a date or a number is left alone; so is "at" in a sentence.
        for clean in ["Started on 12/03/2024", "born in Leeds", "Ward 12 Team", "details at www"] {
            assert!(scrub(clean).found.iter().all(|k| *k != ScrubKind::DateOfBirth && *k != ScrubKind::Address), "{clean}");
        }
    }

    proptest::proptest! {
        /// Whatever staff write, the scanners neither panic nor leave what they would find again.
        #[test]
        fn any_text_is_scrubbed_and_read_for_names_without_a_panic(text in "(?s).{0,200}") {
            let once = scrub(&text);
            proptest::prop_assert!(scrub(&once.text).is_clean() || once.text == WITHHELD);
            for name in likely_names(&text) {
                proptest::prop_assert!(text.contains(&name));
            }
        }
    }

    #[test]
    fn likely_names_are_found_for_the_moderator() {
        assert_eq!(likely_names("Mr Patel in bed 4 was lovely, and Sister O'Neill stayed late."), ["Patel", "O'Neill"]);
        assert_eq!(likely_names("We looked after Amir on ward 7. The patient Jones went home."), ["Amir", "Jones"]);
        assert_eq!(likely_names("Dr. Okafor and Dr Okafor again"), ["Okafor"]);
        assert_eq!(likely_names("Sister Jane Smith on Ward 7 sat with Mr Li."), ["Jane Smith", "Li"]);
        assert!(likely_names("The patient in bed 4 was lovely. We stayed late on Ward 7.").is_empty());
        assert_eq!(placeholders_in("Ring [phone number removed] or see [address removed]"), ["[phone number removed]", "[address removed]"]);
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
    fn numbers_split_by_unicode_spaces_dashes_or_a_line_break_are_removed() {
        for phone in [
            "07700\u{a0}900123",
            "020\u{2009}7946\u{2009}0018",
            "07700\u{202f}900\u{202f}123",
            "07700\n900123",
            "07700 \r\n900123",
            "0113\u{2013}496\u{2013}0000",
            "020\u{2007}7946\u{2007}0018",
        ] {
            assert_eq!(scrub(&format!("Ring {phone} today")).text, "Ring [phone number removed] today", "{phone:?}");
        }
        assert_eq!(scrub("Patient 943\u{a0}476\u{a0}5919 seen").text, "Patient [NHS number removed] seen");
        assert_eq!(scrub("Patient 943\n476 5919 seen").text, "Patient [NHS number removed] seen");
    }

    #[test]
    fn phone_numbers_with_the_00_44_prefix_are_removed() {
        for phone in ["00 44 7700 900123", "0044 20 7946 0018", "00 44 (0)20 7946 0018", "0044-113-496-0000"] {
            assert_eq!(scrub(&format!("Ring {phone} today")).text, "Ring [phone number removed] today", "{phone}");
        }
        assert!(scrub("Order 0044 arrived").is_clean());
    }

    #[test]
    fn postcodes_with_two_spaces_or_a_no_break_space_are_removed() {
        for pc in ["LS1  4AP", "SW1A\u{a0}1AA", "B33 \u{a0}8TH"] {
            assert_eq!(scrub(&format!("Lives near {pc} now")).text, "Lives near [postcode removed] now", "{pc:?}");
        }
        assert!(scrub("Room 3  AB").is_clean());
    }

    #[test]
    fn links_without_scheme_or_www_are_removed() {
        for link in [
            "example.nhs.uk/staff/jo-bloggs",
            "bit.ly/3xYzAb",
            "instagram.com/jo.bloggs",
            "x.com/jobloggs",
            "linkedin.com/in/jo-bloggs",
            "youtu.be/dQw4w9WgXcQ",
            "facebook.com/groups/ward7team",
        ] {
            assert_eq!(scrub(&format!("See {link} for more")).text, "See [link removed] for more", "{link}");
        }
        for not_link in
            ["St.John/ward 4", "e.g./i.e.", "and/or", "24/7 cover", "1.5/10 pain", "5 mg/kg", "A&E/ITU", "nhs.uk"]
        {
            assert!(scrub(not_link).is_clean(), "{not_link}");
        }
    }

    #[test]
    fn email_addresses_with_apostrophes_are_removed_whole() {
        assert_eq!(scrub("Email o'neill@example.nhs.uk today").text, "Email [email removed] today");
        assert_eq!(scrub("Email 'jo@nhs.net' today").text, "Email '[email removed]' today");
        assert_eq!(scrub("Mary O'Neill's team").text, "Mary O'Neill's team");
    }

    #[test]
    fn a_number_in_brackets_keeps_its_brackets() {
        assert_eq!(scrub("Call Jo (07700 900123) later").text, "Call Jo ([phone number removed]) later");
        assert_eq!(scrub("Call (01632) 960 001 later").text, "Call [phone number removed] later");
        assert_eq!(scrub("NHS no. (943 476 5919)").text, "NHS no. ([NHS number removed])");
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
