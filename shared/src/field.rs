//! What a text field written by an admin or a member of staff may hold: a wave's label, a "you said,
//! we did" note, a story's caption, a grant's address. Such text is shown to other people on pages,
//! in downloads and in spreadsheets, so it must look like what it is: no control characters (a NUL,
//! an escape, a line break where a single line is expected), no bidirectional overrides that show
//! text in another order than it is stored (the "Trojan Source" trick), and not made only of
//! characters no one can see.

/// Why a field's text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    /// A control character (NUL, escape, a tab, or a line break in a one-line field).
    Control,
    /// A character that reorders the text around it (U+202A–U+202E, U+2066–U+2069).
    Bidi,
    /// Only spaces and characters that show nothing.
    Invisible,
    /// Longer than the field allows, in characters.
    TooLong(usize),
}

impl FieldProblem {
    pub fn describe(self) -> String {
        match self {
            FieldProblem::Control => "must not contain control characters (line breaks, tabs, NUL)".into(),
            FieldProblem::Bidi => "must not contain characters that reverse the direction of text".into(),
            FieldProblem::Invisible => "must contain something visible".into(),
            FieldProblem::TooLong(max) => format!("must be {max} characters or fewer"),
        }
    }
}

/// One line or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    /// Line breaks (`\n`, `\r\n`) allowed; every other control still refused.
    Many,
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no visible space of their own: spaces, zero-width and joiner characters,
/// the soft hyphen, the byte-order mark, and the blank "letters" (Hangul fillers, the blank Braille
/// pattern) used to fake an empty-looking name.
fn shows_nothing(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
        )
}

/// Checks `text` for a field of at most `max_chars` characters. Empty text passes: whether a field
/// may be empty is the field's own rule.
pub fn check_field(text: &str, lines: Lines, max_chars: usize) -> Result<(), FieldProblem> {
    if text.is_empty() {
        return Ok(());
    }
    if text.chars().count() > max_chars {
        return Err(FieldProblem::TooLong(max_chars));
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed_break = lines == Lines::Many && (c == '\n' || (c == '\r' && chars.peek() == Some(&'\n')));
        if c.is_control() && !allowed_break {
            return Err(FieldProblem::Control);
        }
        if is_bidi_control(c) {
            return Err(FieldProblem::Bidi);
        }
    }
    if text.chars().all(shows_nothing) {
        return Err(FieldProblem::Invisible);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_refuse_what_would_mislead_a_reader() {
        for ok in ["Spring 2026", "Gwanwyn 2026", "Café – naïve", "👩‍⚕️ nurses", "", "עברית"] {
            assert_eq!(check_field(ok, Lines::One, 80), Ok(()), "{ok:?}");
        }
        assert_eq!(check_field("You said\nwe did\r\nthis", Lines::Many, 80), Ok(()));
        for (bad, why) in [
            ("a\0b", FieldProblem::Control),
            ("a\u{1b}[31mred", FieldProblem::Control),
            ("a\nb", FieldProblem::Control),
            ("ana@example.nhs.uk\r\nBcc: x", FieldProblem::Control),
            ("\t=HYPERLINK(1)", FieldProblem::Control),
            ("admin\u{202E}gpj.exe", FieldProblem::Bidi),
            ("a\u{2066}b", FieldProblem::Bidi),
            ("\u{200B}\u{200B}", FieldProblem::Invisible),
            ("   ", FieldProblem::Invisible),
            ("\u{3164}", FieldProblem::Invisible),
            ("\u{2800} \u{FEFF}", FieldProblem::Invisible),
        ] {
            assert_eq!(check_field(bad, Lines::One, 80), Err(why), "{bad:?}");
        }
        assert_eq!(check_field("a\rb", Lines::Many, 80), Err(FieldProblem::Control), "a lone CR");
        assert_eq!(check_field(&"é".repeat(81), Lines::One, 80), Err(FieldProblem::TooLong(80)));
    }
}
