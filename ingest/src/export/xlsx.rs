//! The XLSX downloads: the results workbook (with the trend sheet for a survey with waves) and
//! the values evidence pack.

use super::{count_text, neutralise, rows, trend_rows, TrendCell, HEADER, HIDDEN, TREND_HEADER};
use pulse_shared::evidence::ValueEvidence;
use pulse_shared::{SurveyResults, SurveyTrend};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

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
        if let Some(score) = r.score {
            for (c, v) in [score.value, score.low, score.high].into_iter().enumerate() {
                sheet.write_number(row, 14 + c as u16, v)?;
            }
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
        ("How to read it", results.note.to_string()),
        (
            "Hidden figures",
            format!("A hidden count reads \"{HIDDEN}\" in the count column, with the reason in hidden_reason. Counts and shares are numbers."),
        ),
        ("share_percent", "The count as a percentage of the people who answered the question (or the row) in that context.".into()),
        ("NHS scores", "For the NHS Staff Survey's engagement questions, the rows of nhs_scores give each engagement score on the Staff Survey's 0 to 10 scale (the mean of the respondents' scores, each answer scored 0, 2.5, 5, 7.5 or 10) in score_0_to_10, with its 95% interval; count is the people with the score.".into()),
        ("Waves", "wave is the wave a row counts (all: every wave together). On the Responses rows of one wave, headcount is the number of staff an admin recorded and response_rate_percent the responses as a share of it; a rate above 100% is left out and hidden_reason says to check the headcount.".into()),
        ("Trend", trend.map_or_else(|| "This survey has no waves, so no trend.".to_string(), |t| t.note.to_string())),
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
                        sheet.write_string(row, 6, p.hidden.as_deref().unwrap_or_default())?;
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
