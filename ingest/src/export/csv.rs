//! The CSV downloads: one writer (RFC 4180, CRLF line ends, UTF-8 with a byte-order mark, every
//! text field [`neutralise`]d) for results, the trend, stories and the audit log.

use super::{count_text, neutralise, rows, trend_rows, TrendCell, HEADER, TREND_HEADER};
use crate::store::Story;
use pulse_shared::{SurveyResults, SurveyTrend};

fn csv_field(text: &str) -> String {
    quote(neutralise(text))
}

/// A field as RFC 4180 writes it, quoted when it must be.
fn quote(text: String) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn csv_line(fields: impl IntoIterator<Item = String>) -> String {
    let mut line = fields.into_iter().map(|f| csv_field(&f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}
/// A UTF-8 byte-order mark: Excel on Windows reads a CSV without one as cp1252, which garbles Welsh.
const BOM: &str = "\u{FEFF}";

/// A CSV document as every download here writes it (RFC 4180, CRLF line ends, UTF-8 with a
/// byte-order mark, every field [`neutralise`]d): the one CSV writer, for results, trend, stories
/// and the audit log alike.
pub fn csv_document(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = BOM.to_string();
    out.push_str(&csv_line(header.iter().map(|h| h.to_string())));
    for row in rows {
        out.push_str(&csv_line(row));
    }
    out
}

/// The results as CSV (RFC 4180, CRLF line ends, UTF-8 with a byte-order mark).
pub fn results_csv(results: &SurveyResults) -> String {
    let mut out = BOM.to_string();
    out.push_str(&csv_line(HEADER.map(String::from)));
    for r in rows(results) {
        out.push_str(&csv_line([
            r.wave,
            r.wave_label,
            r.question_id,
            r.question,
            r.row_id,
            r.row,
            r.option_id,
            r.option,
            r.context,
            count_text(r.count),
            r.share.map(|s| s.to_string()).unwrap_or_default(),
            r.hidden_reason,
            r.headcount.map(|s| s.to_string()).unwrap_or_default(),
            r.rate.map(|s| s.to_string()).unwrap_or_default(),
            r.score.map(|s| s.value.to_string()).unwrap_or_default(),
            r.score.map(|s| s.low.to_string()).unwrap_or_default(),
            r.score.map(|s| s.high.to_string()).unwrap_or_default(),
        ]));
    }
    out
}

/// The trend as CSV.
pub fn trend_csv(trend: &SurveyTrend) -> String {
    let mut out = BOM.to_string();
    out.push_str(&csv_line(TREND_HEADER.map(String::from)));
    for row in trend_rows(trend) {
        // Text is neutralised against formulas; a number is written as it is, so `-3.9` stays a
        // number a spreadsheet can add up.
        let mut line = row
            .into_iter()
            .map(|c| match c {
                TrendCell::Text(t) => csv_field(&t),
                TrendCell::Number(n) => n.map(|n| n.to_string()).unwrap_or_default(),
            })
            .collect::<Vec<_>>()
            .join(",");
        line.push_str("\r\n");
        out.push_str(&line);
    }
    out
}

/// Stories as CSV: the scrubbed text, its value tags and any photo or video link with its caption,
/// nothing else.
pub fn stories_csv(stories: &[Story]) -> String {
    let mut out = BOM.to_string();
    out.push_str(&csv_line(["question_id", "story", "values", "link", "caption"].map(String::from)));
    for s in stories {
        let (link, caption) = s.media.as_ref().map(|m| (m.link.clone(), m.caption.clone())).unwrap_or_default();
        out.push_str(&csv_line([s.question.clone(), s.text.clone(), s.values.join(" "), link, caption]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trend_csv_writes_a_fall_as_a_number_and_neutralises_text_only() {
        use pulse_shared::trend::{Change, Direction, QuestionTrend, Tone, TrendLine, TrendPoint, TrendSeries};
        let point = TrendPoint {
            wave: "q2".into(),
            value: Some(12.5),
            change: Some(Change {
                since: "q1".into(),
                difference: -3.9,
                low: -6.2,
                high: -1.1,
                direction: Direction::Down,
                tone: Tone::Better,
            }),
            ..Default::default()
        };
        let line = TrendLine {
            id: "not_heard".into(),
            label: "-not heard".into(),
            measure: "share".into(),
            series: vec![TrendSeries { column: "all".into(), points: vec![point], summary: String::new() }],
        };
        let trend = SurveyTrend {
            survey: "s".into(),
            title: "S".into(),
            k: 10,
            note: Default::default(),
            hidden_label: "hidden".into(),
            waves: vec![],
            columns: vec![],
            participation: vec![],
            questions: vec![QuestionTrend {
                id: "q".into(),
                prompt: "Q".into(),
                kind: "single_choice".into(),
                lines: vec![line],
            }],
            scores: vec![],
        };
        let csv = trend_csv(&trend);
        let row = csv.lines().nth(1).unwrap();
        assert!(row.contains(",q1,-3.9,-6.2,-1.1,down (better),"), "{row}");
        assert!(row.contains(",'-not heard,"), "text that looks like a formula is still neutralised: {row}");
    }

    #[test]
    fn formula_like_cells_are_neutralised_and_quoted() {
        for (raw, want) in [
            ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
            ("+1+1", "'+1+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("plain, with comma", "\"plain, with comma\""),
            ("fine", "fine"),
            ("  =1+1", "'  =1+1"),
            ("\n@x", "\"'\n@x\""),
            ("\u{FF1D}SUM(A1)", "'\u{FF1D}SUM(A1)"),
            ("\u{FF0B}1", "'\u{FF0B}1"),
            ("a-b", "a-b"),
        ] {
            assert_eq!(csv_field(raw), want, "{raw:?}");
        }
    }
}
