//! Results as files: one long table (a row per question, matrix row, option and context) written
//! as CSV or XLSX, so the two downloads, the JSON and the dashboard all show the same published
//! figures. A hidden figure reads "hidden" with its reason beside it; text cells that a spreadsheet
//! would run as a formula are neutralised.

use pulse_shared::results::Cell;
use pulse_shared::{SurveyResults, SurveyTrend};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::store::Story;
use pulse_shared::evidence::ValueEvidence;

/// One figure of the results.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    /// The wave's id (`all` for all waves together) and label.
    pub wave: String,
    pub wave_label: String,
    pub question_id: String,
    pub question: String,
    /// For matrices: the row (an NHS value, say); empty otherwise.
    pub row_id: String,
    pub row: String,
    /// The option or scale point; empty for "answered this question" and scores.
    pub option_id: String,
    pub option: String,
    /// `all`, a context id, or `_none`.
    pub context: String,
    pub count: Cell,
    /// The count as a percentage of the people who answered the question (or row) in its context.
    pub share: Option<f64>,
    /// Why the count is hidden; empty when it is shown.
    pub hidden_reason: String,
    /// On the responses rows of one wave: the headcount recorded and the response rate.
    pub headcount: Option<u64>,
    pub rate: Option<f64>,
}

pub const HEADER: [&str; 14] = [
    "wave",
    "wave_label",
    "question_id",
    "question",
    "row_id",
    "row",
    "option_id",
    "option",
    "context",
    "count",
    "share_percent",
    "hidden_reason",
    "headcount",
    "response_rate_percent",
];

/// What a hidden count reads as in a download's count column.
pub const HIDDEN: &str = "hidden";

/// Every figure of `results` as rows, in the order of the survey: made one at a time as they are
/// written, since a download at the wave limit has a few hundred thousand.
pub fn rows(results: &SurveyResults) -> impl Iterator<Item = ExportRow> + '_ {
    let asked = !results.questions.is_empty();
    let columns: Vec<&str> = if asked { results.columns.iter().map(|c| c.id.as_str()).collect() } else { Vec::new() };
    let (wave, wave_label) = match &results.wave {
        Some(w) => (w.id.as_str(), w.label.as_str()),
        None => ("all", "All waves"),
    };
    let responses = columns.clone().into_iter().map(move |context| {
        let c = results.contexts.iter().find(|c| c.id == context);
        let (count, hidden, rate) = match c {
            Some(c) => (c.responses, c.hidden.clone(), &c.rate),
            None => (results.responses, None, &results.rate),
        };
        let reason = hidden.or_else(|| rate.rate_problem.clone()).unwrap_or_default();
        ExportRow {
            wave: wave.to_string(),
            wave_label: wave_label.to_string(),
            question_id: String::new(),
            question: "Responses".into(),
            row_id: String::new(),
            row: String::new(),
            option_id: String::new(),
            option: String::new(),
            context: context.to_string(),
            count,
            share: None,
            hidden_reason: reason,
            headcount: rate.headcount,
            rate: rate.rate,
        }
    });
    let figures = results.questions.iter().filter(move |_| asked).flat_map(move |q| {
        let columns = columns.clone();
        q.figures().into_iter().flat_map(move |figure| {
            columns.clone().into_iter().map(move |context| {
                let count = figure.counts.get(context);
                // A figure is hidden only where its column's respondents are, which says why.
                let hidden_reason =
                    if count.is_none() { q.hidden.get(context).cloned().unwrap_or_default() } else { String::new() };
                ExportRow {
                    wave: wave.to_string(),
                    wave_label: wave_label.to_string(),
                    question_id: q.id.clone(),
                    question: q.prompt.clone(),
                    row_id: figure.row.0.into(),
                    row: figure.row.1.into(),
                    option_id: figure.option.0.clone(),
                    option: figure.option.1.clone(),
                    context: context.to_string(),
                    count,
                    share: figure.shares.and_then(|s| s.get(context)),
                    hidden_reason,
                    headcount: None,
                    rate: None,
                }
            })
        })
    });
    responses.chain(figures)
}

/// Makes a text cell safe to open in a spreadsheet: one that starts like a formula gets a leading
/// apostrophe, so it shows as text instead of running.
pub fn neutralise(text: &str) -> String {
    // A spreadsheet skips leading blanks before reading a formula, and some read full-width signs.
    let first = text.trim_start_matches([' ', '\t', '\r', '\n']).chars().next();
    let formula = matches!(first, Some('=' | '+' | '-' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'));
    if formula || text.starts_with(['\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

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

fn count_text(count: Cell) -> String {
    count.map_or_else(|| HIDDEN.to_string(), |n| n.to_string())
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
        ]));
    }
    out
}

/// The trend's columns, as the trend CSV and the XLSX's Trend sheet write them.
pub const TREND_HEADER: [&str; 20] = [
    "question_id",
    "question",
    "line_id",
    "line",
    "measure",
    "context",
    "wave",
    "wave_label",
    "value",
    "low_95",
    "high_95",
    "count",
    "of",
    "change_since",
    "change",
    "change_low_95",
    "change_high_95",
    "direction",
    "hidden_reason",
    "summary",
];

/// One cell of a trend row: text, or a number (written as a number in XLSX).
pub enum TrendCell {
    Text(String),
    Number(Option<f64>),
}

/// Every point of the trend as a row — responses and rates first, then each figure — in the order
/// of [`TREND_HEADER`], made one at a time as they are written (a hundred waves make some eighty
/// thousand).
pub fn trend_rows(trend: &SurveyTrend) -> impl Iterator<Item = Vec<TrendCell>> + '_ {
    use TrendCell::{Number, Text};
    let label = |id: &str| trend.waves.iter().find(|w| w.id == id).map(|w| w.label.clone()).unwrap_or_default();
    let num = |n: Option<u64>| Number(n.map(|n| n as f64));
    let participation = trend.participation.iter().flat_map(move |series| {
        series.waves.iter().map(move |p| {
            let why = p.hidden.clone().or_else(|| p.rate.rate_problem.clone()).unwrap_or_default();
            vec![
                Text(String::new()),
                Text("Responses".into()),
                Text("rate".into()),
                Text("Response rate".into()),
                Text("rate".into()),
                Text(series.column.clone()),
                Text(p.wave.clone()),
                Text(label(&p.wave)),
                Number(p.rate.rate),
                Number(None),
                Number(None),
                num(p.responses),
                num(p.rate.headcount),
                Text(String::new()),
                Number(None),
                Number(None),
                Number(None),
                Text(String::new()),
                Text(why),
                Text(String::new()),
            ]
        })
    });
    let figures = trend.questions.iter().flat_map(move |q| {
        q.lines.iter().flat_map(move |line| {
            line.series.iter().flat_map(move |series| {
                let last = series.points.last().map_or("", |l| l.wave.as_str());
                series.points.iter().map(move |p| {
                    let change = p.change.as_ref();
                    vec![
                        Text(q.id.clone()),
                        Text(q.prompt.clone()),
                        Text(line.id.clone()),
                        Text(line.label.clone()),
                        Text(line.measure.clone()),
                        Text(series.column.clone()),
                        Text(p.wave.clone()),
                        Text(label(&p.wave)),
                        Number(p.value),
                        Number(p.low),
                        Number(p.high),
                        num(p.count),
                        num(p.of),
                        Text(change.map(|c| c.since.clone()).unwrap_or_default()),
                        Number(change.map(|c| c.difference)),
                        Number(change.map(|c| c.low)),
                        Number(change.map(|c| c.high)),
                        Text(change.map(|c| c.words()).unwrap_or_default()),
                        Text(p.hidden.clone().unwrap_or_default()),
                        Text(if p.wave == last { series.summary.clone() } else { String::new() }),
                    ]
                })
            })
        })
    });
    participation.chain(figures)
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

/// The results as an XLSX workbook: the table on one sheet, the trend across waves on another (for
/// a survey with waves), what it means on a third.
pub fn results_xlsx(results: &SurveyResults, trend: Option<&SurveyTrend>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A quick deflate: at the wave limit the workbook is made in three fifths of the time the
    // default level takes, for a file a fifth larger.
    book.set_zip_compression_level(2);
    let bold = Format::new().set_bold();
    // Row by row to a temporary file rather than every cell held until the end: at the wave limit
    // a workbook of a hundred waves otherwise takes some 200 MB while it is made.
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("Results")?;
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, r) in rows(results).enumerate() {
        let row = i as u32 + 1;
        let texts =
            [r.wave, r.wave_label, r.question_id, r.question, r.row_id, r.row, r.option_id, r.option, r.context];
        for (c, t) in texts.iter().enumerate() {
            // Written as text cells, which a spreadsheet never runs as formulas.
            sheet.write_string(row, c as u16, t)?;
        }
        match r.count {
            Some(n) => sheet.write_number(row, 9, n as f64)?,
            None => sheet.write_string(row, 9, HIDDEN)?,
        };
        if let Some(share) = r.share {
            sheet.write_number(row, 10, share)?;
        }
        sheet.write_string(row, 11, &r.hidden_reason)?;
        if let Some(h) = r.headcount {
            sheet.write_number(row, 12, h as f64)?;
        }
        if let Some(rate) = r.rate {
            sheet.write_number(row, 13, rate)?;
        }
    }
    if let Some(trend) = trend {
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name("Trend")?;
        for (c, h) in TREND_HEADER.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (i, cells) in trend_rows(trend).enumerate() {
            for (c, cell) in cells.into_iter().enumerate() {
                match cell {
                    TrendCell::Text(t) => sheet.write_string(i as u32 + 1, c as u16, t)?,
                    TrendCell::Number(Some(n)) => sheet.write_number(i as u32 + 1, c as u16, n)?,
                    TrendCell::Number(None) => sheet,
                };
            }
        }
    }
    let about = book.add_worksheet();
    about.set_name("About")?;
    let lines = [
        ("Survey", format!("{} ({})", results.title, results.survey)),
        ("Version", results.version.to_string()),
        ("Responses in the groups shown", count_text(results.responses)),
        ("Anonymity threshold k", results.k.to_string()),
        ("How to read it", results.note.clone()),
        (
            "Hidden figures",
            format!("A hidden count reads \"{HIDDEN}\" in the count column, with the reason in hidden_reason. Counts and shares are numbers."),
        ),
        ("share_percent", "The count as a percentage of the people who answered the question (or the row) in that context.".into()),
        ("Waves", "wave is the wave a row counts (all: every wave together). On the Responses rows of one wave, headcount is the number of staff an admin recorded and response_rate_percent the responses as a share of it; a rate above 100% is left out and hidden_reason says to check the headcount.".into()),
        ("Trend", trend.map_or_else(|| "This survey has no waves, so no trend.".to_string(), |t| t.note.clone())),
    ];
    for (i, (label, value)) in lines.iter().enumerate() {
        about.write_string_with_format(i as u32, 0, *label, &bold)?;
        about.write_string(i as u32, 1, value)?;
    }
    book.save_to_buffer()
}

/// The values evidence pack as a workbook: a sheet per NHS value with its figures by context, their
/// trend across waves and its approved stories.
pub fn evidence_xlsx(packs: &[ValueEvidence]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    for pack in packs {
        let sheet = book.add_worksheet();
        // A sheet name is at most 31 characters; every value's name fits.
        sheet.set_name(pack.label.chars().take(31).collect::<String>())?;
        sheet.set_column_width(0, 48)?;
        sheet.set_column_width(1, 28)?;
        let column = |id: &str| pack.columns.iter().find(|c| c.id == id).map_or(id.to_string(), |c| c.label.clone());
        let mut row = 0u32;
        sheet.write_string_with_format(row, 0, format!("{} – {}", pack.label, pack.title), &title)?;
        row += 1;
        sheet.write_string(row, 0, &pack.description)?;
        row += 1;
        sheet.write_string(row, 0, format!("Responses in the groups shown: {}", count_text(pack.responses)))?;
        row += 1;
        sheet.write_string(row, 0, &pack.note)?;
        row += 2;
        for (c, h) in ["Figure", "Context", "Percent", "Count", "Of", "Hidden because"].iter().enumerate() {
            sheet.write_string_with_format(row, c as u16, *h, &bold)?;
        }
        for f in &pack.figures {
            for cell in &f.cells {
                row += 1;
                sheet.write_string(row, 0, neutralise(&f.label))?;
                sheet.write_string(row, 1, neutralise(&column(&cell.column)))?;
                match cell.percent {
                    Some(p) => sheet.write_number(row, 2, p)?,
                    None => sheet.write_string(row, 2, HIDDEN)?,
                };
                if let (Some(n), Some(of)) = (cell.count, cell.of) {
                    sheet.write_number(row, 3, n as f64)?;
                    sheet.write_number(row, 4, of as f64)?;
                }
                sheet.write_string(row, 5, cell.hidden.clone().unwrap_or_default())?;
            }
        }
        if !pack.waves.is_empty() {
            row += 2;
            for (c, h) in
                ["Trend", "Context", "Wave", "Value", "Change", "Direction", "Hidden because"].iter().enumerate()
            {
                sheet.write_string_with_format(row, c as u16, *h, &bold)?;
            }
            for f in &pack.figures {
                let Some(line) = &f.trend else { continue };
                for series in &line.series {
                    for p in &series.points {
                        row += 1;
                        let wave =
                            pack.waves.iter().find(|w| w.id == p.wave).map_or(p.wave.clone(), |w| w.label.clone());
                        sheet.write_string(row, 0, neutralise(&line.label))?;
                        sheet.write_string(row, 1, neutralise(&column(&series.column)))?;
                        sheet.write_string(row, 2, neutralise(&wave))?;
                        match p.value {
                            Some(v) => sheet.write_number(row, 3, v)?,
                            None => sheet.write_string(row, 3, HIDDEN)?,
                        };
                        if let Some(c) = &p.change {
                            sheet.write_number(row, 4, c.difference)?;
                            sheet.write_string(row, 5, c.words())?;
                        }
                        sheet.write_string(row, 6, p.hidden.clone().unwrap_or_default())?;
                    }
                }
            }
        }
        row += 2;
        sheet.write_string_with_format(row, 0, format!("Approved stories ({})", pack.stories.len()), &bold)?;
        for (c, h) in ["Link", "Caption"].iter().enumerate() {
            sheet.write_string_with_format(row, c as u16 + 1, *h, &bold)?;
        }
        for story in &pack.stories {
            row += 1;
            sheet.write_string(row, 0, neutralise(&story.text))?;
            if let Some(m) = &story.media {
                sheet.write_string(row, 1, neutralise(&m.link))?;
                sheet.write_string(row, 2, neutralise(&m.caption))?;
            }
        }
    }
    book.save_to_buffer()
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
            note: String::new(),
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
