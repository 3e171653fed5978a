//! Results as files: one long table (a row per question, matrix row, option and context) written
//! as CSV or XLSX, so the two downloads, the JSON and the dashboard all show the same suppressed
//! figures. Text cells that a spreadsheet would run as a formula are neutralised.

use pulse_shared::results::{Breakdown, Cell};
use pulse_shared::SurveyResults;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::stories::Story;

/// One figure of the results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub question_id: String,
    pub question: String,
    /// For matrices: the row (an NHS value, say); empty otherwise.
    pub row_id: String,
    pub row: String,
    /// The option or scale point; empty for "answered this question".
    pub option_id: String,
    pub option: String,
    /// `all`, a context id, or `_none`.
    pub context: String,
    pub count: Cell,
}

pub const HEADER: [&str; 8] = ["question_id", "question", "row_id", "row", "option_id", "option", "context", "count"];

/// What a hidden count reads as, on screen and in every download.
pub fn suppressed_label(k: u32) -> String {
    format!("fewer than {k}")
}

/// Every figure of `results` as rows, in the order of the survey.
pub fn rows(results: &SurveyResults) -> Vec<ExportRow> {
    let mut out = Vec::new();
    let mut push = |question: (&str, &str), row: (&str, &str), option: (&str, &str), b: &Breakdown| {
        let contexts =
            std::iter::once(("all".to_string(), b.all)).chain(b.contexts.iter().map(|(c, n)| (c.clone(), *n)));
        for (context, count) in contexts {
            out.push(ExportRow {
                question_id: question.0.into(),
                question: question.1.into(),
                row_id: row.0.into(),
                row: row.1.into(),
                option_id: option.0.into(),
                option: option.1.into(),
                context,
                count,
            });
        }
    };
    if results.questions.is_empty() {
        return Vec::new();
    }
    let responses = Breakdown {
        all: results.responses,
        contexts: results.contexts.iter().map(|c| (c.id.clone(), c.responses)).collect(),
    };
    push(("", "Responses"), ("", ""), ("", ""), &responses);
    for q in &results.questions {
        let question = (q.id.as_str(), q.prompt.as_str());
        push(question, ("", ""), ("", "Answered this question"), &q.respondents);
        for o in &q.options {
            push(question, ("", ""), (&o.id, &o.label), &o.counts);
        }
        for r in &q.rows {
            push(question, (&r.id, &r.label), ("", "Answered this row"), &r.respondents);
            for (point, counts) in r.points.iter().enumerate() {
                let label = q.scale.get(point).map(String::as_str).unwrap_or("");
                push(question, (&r.id, &r.label), (&(point + 1).to_string(), label), counts);
            }
        }
    }
    out
}

/// Makes a text cell safe to open in a spreadsheet: one that starts like a formula gets a leading
/// apostrophe, so it shows as text instead of running.
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv_field(text: &str) -> String {
    let text = neutralise(text);
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

fn count_text(count: Cell, k: u32) -> String {
    count.map_or_else(|| suppressed_label(k), |n| n.to_string())
}

/// The results as CSV (RFC 4180, CRLF line ends).
pub fn results_csv(results: &SurveyResults) -> String {
    let mut out = csv_line(HEADER.map(String::from));
    for r in rows(results) {
        out.push_str(&csv_line([
            r.question_id,
            r.question,
            r.row_id,
            r.row,
            r.option_id,
            r.option,
            r.context,
            count_text(r.count, results.k),
        ]));
    }
    out
}

/// The results as an XLSX workbook: the table on one sheet, what it means on another.
pub fn results_xlsx(results: &SurveyResults) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Results")?;
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, r) in rows(results).into_iter().enumerate() {
        let row = i as u32 + 1;
        let texts = [r.question_id, r.question, r.row_id, r.row, r.option_id, r.option, r.context];
        for (c, t) in texts.iter().enumerate() {
            // Written as text cells, which a spreadsheet never runs as formulas.
            sheet.write_string(row, c as u16, t)?;
        }
        match r.count {
            Some(n) => sheet.write_number(row, 7, n as f64)?,
            None => sheet.write_string(row, 7, suppressed_label(results.k))?,
        };
    }
    let about = book.add_worksheet();
    about.set_name("About")?;
    let lines = [
        ("Survey", format!("{} ({})", results.title, results.survey)),
        ("Version", results.version.to_string()),
        ("Responses", count_text(results.responses, results.k)),
        ("Anonymity threshold k", results.k.to_string()),
        ("Hidden counts", results.note.clone()),
    ];
    for (i, (label, value)) in lines.iter().enumerate() {
        about.write_string_with_format(i as u32, 0, *label, &bold)?;
        about.write_string(i as u32, 1, value)?;
    }
    book.save_to_buffer()
}

/// Stories as CSV: the scrubbed text and its value tags, nothing else.
pub fn stories_csv(stories: &[Story]) -> String {
    let mut out = csv_line(["question_id", "story", "values"].map(String::from));
    for s in stories {
        out.push_str(&csv_line([s.question.clone(), s.text.clone(), s.values.join(" ")]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            assert_eq!(csv_field(raw), want, "{raw:?}");
        }
    }
}
