//! Results as files: one long table (a row per question, matrix row, option and context) written
//! as CSV or XLSX, so the two downloads, the JSON and the dashboard all show the same published
//! figures. A hidden figure reads "hidden" with its reason beside it; text cells that a spreadsheet
//! would run as a formula are neutralised.

use pulse_shared::results::Cell;
use pulse_shared::{SurveyResults, SurveyTrend};

mod csv;
mod xlsx;

pub use csv::{csv_document, results_csv, stories_csv, trend_csv};
pub use xlsx::{evidence_xlsx, results_xlsx, RESULTS_SHEET};

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
    /// On the NHS score rows: the mean score (0 to 10) and its 95% interval.
    pub score: Option<pulse_shared::score::Estimate>,
}

pub const HEADER: [&str; 17] = [
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
    "score_0_to_10",
    "score_low_95",
    "score_high_95",
];

/// The question id and words of the NHS score rows of a download.
pub const SCORES_ID: &str = "nhs_scores";
pub const SCORES: &str = "NHS Staff Survey engagement scores (0 to 10)";

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
        let reason = hidden.or_else(|| rate.rate_problem.clone()).map(String::from).unwrap_or_default();
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
            score: None,
        }
    });
    let score_columns = columns.clone();
    let figures = results.questions.iter().filter(move |_| asked).flat_map(move |q| {
        let columns = columns.clone();
        q.figures().into_iter().flat_map(move |figure| {
            columns.clone().into_iter().map(move |context| {
                let count = figure.counts.get(context);
                // A figure is hidden only where its column's respondents are, which says why.
                let hidden_reason = if count.is_none() {
                    q.hidden.get(context).map(|s| s.to_string()).unwrap_or_default()
                } else {
                    String::new()
                };
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
                    score: None,
                }
            })
        })
    });
    // Each score's respondents and mean, after the questions.
    let scores = results.scores.iter().filter(move |_| asked).flat_map(move |score| {
        score_columns.clone().into_iter().map(move |context| ExportRow {
            wave: wave.to_string(),
            wave_label: wave_label.to_string(),
            question_id: SCORES_ID.into(),
            question: SCORES.into(),
            row_id: score.id.clone(),
            row: score.label.clone(),
            option_id: String::new(),
            option: String::new(),
            context: context.to_string(),
            count: score.respondents.get(context),
            share: None,
            hidden_reason: score.hidden.get(context).map(|s| s.to_string()).unwrap_or_default(),
            headcount: None,
            rate: None,
            score: score.get(context),
        })
    });
    responses.chain(figures).chain(scores)
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

/// A count as a download writes it: the number, or "hidden".
fn count_text(count: Cell) -> String {
    count.map_or_else(|| HIDDEN.to_string(), |n| n.to_string())
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
            let why = p.hidden.clone().or_else(|| p.rate.rate_problem.clone()).map(String::from).unwrap_or_default();
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
    let lines = trend
        .questions
        .iter()
        .flat_map(|q| q.lines.iter().map(move |line| (q.id.as_str(), q.prompt.as_str(), line)))
        .chain(trend.scores.iter().map(|line| (SCORES_ID, SCORES, line)));
    let figures = lines.flat_map(move |(id, prompt, line)| {
        line.series.iter().flat_map(move |series| {
            let last = series.points.last().map_or("", |l| l.wave.as_str());
            series.points.iter().map(move |p| {
                let change = p.change.as_ref();
                vec![
                    Text(id.to_string()),
                    Text(prompt.to_string()),
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
                    Text(p.hidden.clone().map(String::from).unwrap_or_default()),
                    Text(if p.wave == last { series.summary.clone() } else { String::new() }),
                ]
            })
        })
    });
    participation.chain(figures)
}
