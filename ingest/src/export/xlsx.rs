//! The XLSX downloads: the results workbook (with the trend sheet for a survey with waves) and
//! the values evidence pack.

use super::{count_text, neutralise, rows, trend_rows, TrendCell, HIDDEN, TREND_HEADER};
use pulse_shared::evidence::ValueEvidence;
use pulse_shared::{SurveyResults, SurveyTrend};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The Results sheet's columns, for people: labels first, the ids a machine joins on last. Each
/// is (its heading, the [`super::HEADER`] column it shows). `count` reads blank where it is hidden, and
/// `hidden` says so in a column of its own, so the count column holds numbers only.
pub const RESULTS_SHEET: [(&str, usize); 19] = [
    ("Wave", 1),
    ("Question", 3),
    ("Row", 5),
    ("Answer", 7),
    ("Context", 8),
    ("Count", 9),
    ("Share (%)", 10),
    ("Hidden", 9),
    ("Why hidden", 11),
    ("Headcount", 12),
    ("Response rate (%)", 13),
    ("Score (0 to 10)", 14),
    ("Score, 95% low", 15),
    ("Score, 95% high", 16),
    ("wave_id", 0),
    ("question_id", 2),
    ("row_id", 4),
    ("option_id", 6),
    ("context_id", 8),
];

/// The results as an XLSX workbook made for people: a summary first, the heatmap, every figure
/// (labelled, numbers as numbers, filters and a frozen heading), the trend across waves (for a
/// survey with waves) and how to read it all. The heatmap has the `references` an admin recorded
/// beneath it, apart from the organisation's figures.
pub fn results_xlsx(
    results: &SurveyResults,
    trend: Option<&SurveyTrend>,
    organisation: &str,
    references: &[pulse_shared::reference::Reference],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A quick deflate: at the wave limit the workbook is made in three fifths of the time the
    // default level takes, for a file a fifth larger.
    book.set_zip_compression_level(2);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
    summary_sheet(book.add_worksheet(), results, trend, organisation, &bold, &wrap)?;
    let map = pulse_shared::heatmap::heatmap(results, pulse_shared::Lang::En).with_references(references);
    if !map.items.is_empty() && !map.rows.is_empty() {
        heatmap_sheet(book.add_worksheet(), &map, &bold, &wrap)?;
    }
    // Row by row to a temporary file rather than every cell held until the end: at the wave limit
    // a workbook of a hundred waves otherwise takes some 200 MB while it is made.
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("Results")?;
    let widths = [14, 48, 32, 28, 24, 9, 10, 8, 40, 11, 12, 11, 11, 11, 12, 16, 14, 16, 14];
    for (c, ((h, _), w)) in RESULTS_SHEET.iter().zip(widths).enumerate() {
        sheet.set_column_width(c as u16, w)?;
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let label = |id: &str| {
        results.columns.iter().find(|c| c.id == id).map_or(id.to_string(), |c| c.name(pulse_shared::Lang::En))
    };
    let mut last = 0;
    for (i, r) in rows(results).enumerate() {
        let row = i as u32 + 1;
        last = row;
        let context = label(&r.context);
        let texts = [
            (0, &r.wave_label),
            (1, &r.question),
            (2, &r.row),
            (3, &r.option),
            (4, &context),
            (8, &r.hidden_reason),
            (14, &r.wave),
            (15, &r.question_id),
            (16, &r.row_id),
            (17, &r.option_id),
            (18, &r.context),
        ];
        for (c, t) in texts {
            // Written as text cells, which a spreadsheet never runs as formulas.
            sheet.write_string(row, c, t)?;
        }
        match r.count {
            Some(n) => sheet.write_number(row, 5, n as f64)?,
            None => sheet.write_string(row, 7, HIDDEN)?,
        };
        let numbers = [
            (6, r.share),
            (9, r.headcount.map(|h| h as f64)),
            (10, r.rate),
            (11, r.score.map(|s| s.value)),
            (12, r.score.map(|s| s.low)),
            (13, r.score.map(|s| s.high)),
        ];
        for (c, n) in numbers {
            if let Some(n) = n {
                sheet.write_number(row, c, n)?;
            }
        }
    }
    sheet.autofilter(0, 0, last, RESULTS_SHEET.len() as u16 - 1)?;
    if let Some(trend) = trend {
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name("Trend")?;
        for (c, h) in TREND_HEADER.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let mut last = 0;
        for (i, cells) in trend_rows(trend).enumerate() {
            last = i as u32 + 1;
            for (c, cell) in cells.into_iter().enumerate() {
                match cell {
                    TrendCell::Text(t) => sheet.write_string(i as u32 + 1, c as u16, t)?,
                    TrendCell::Number(Some(n)) => sheet.write_number(i as u32 + 1, c as u16, n)?,
                    TrendCell::Number(None) => sheet,
                };
            }
        }
        sheet.autofilter(0, 0, last, TREND_HEADER.len() as u16 - 1)?;
    }
    let about = book.add_worksheet();
    about.set_name("About")?;
    about.set_column_width(0, 24)?;
    about.set_column_width(1, 100)?;
    let lines = [
        ("Survey", format!("{} ({})", results.title, results.survey)),
        ("Version", results.version.to_string()),
        ("Responses in the groups shown", count_text(results.responses)),
        ("Anonymity threshold k", results.k.to_string()),
        ("How to read it", results.note.to_string()),
        (
            "Hidden figures",
            format!("On the Results sheet a hidden count is blank, with \"{HIDDEN}\" in the Hidden column and the reason beside it, so Count and Share hold numbers only."),
        ),
        ("Share (%)", "The count as a percentage of the people who answered the question (or the row) in that context.".into()),
        ("Waves", "Wave is the wave a row counts (All waves: every wave together). On the Responses rows of one wave, Headcount is the number of staff an admin recorded and Response rate the responses as a share of it; a rate above 100% is left out and Why hidden says to check the headcount.".into()),
        ("NHS scores", "For the NHS Staff Survey's engagement questions, the rows of the NHS Staff Survey engagement scores give each score on the Staff Survey's 0 to 10 scale (the mean of the respondents' scores, each answer scored 0, 2.5, 5, 7.5 or 10) with its 95% interval; Count is the people with the score.".into()),
        ("Heatmap", "Each context against the whole organisation. A cell is green (better) or red (worse) only when the 95% interval of its difference from the organisation leaves out zero; the tone table below it says the same in numbers (1 better, -1 worse, 0 no clear difference).".into()),
        ("Trend", trend.map_or_else(|| "This survey has no waves, so no trend.".to_string(), |t| t.note.to_string())),
    ];
    for (i, (label, value)) in lines.iter().enumerate() {
        about.write_string_with_format(i as u32, 0, *label, &bold)?;
        about.write_string_with_format(i as u32, 1, value, &wrap)?;
    }
    book.save_to_buffer()
}

/// The first sheet: the organisation, the survey and the selection, its responses and rate, and
/// the headline scores with their intervals.
fn summary_sheet(
    sheet: &mut rust_xlsxwriter::Worksheet,
    results: &SurveyResults,
    trend: Option<&SurveyTrend>,
    organisation: &str,
    bold: &Format,
    wrap: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name("Summary")?;
    sheet.set_column_width(0, 44)?;
    for c in 1..5 {
        sheet.set_column_width(c, 14)?;
    }
    sheet.write_string_with_format(0, 0, neutralise(organisation), &Format::new().set_bold().set_font_size(16))?;
    sheet.write_string_with_format(1, 0, neutralise(&results.title), &Format::new().set_bold().set_font_size(14))?;
    let wave = results.wave.as_ref().map_or_else(|| "All waves".to_string(), |w| w.label.clone());
    sheet.write_string(2, 0, neutralise(&wave))?;
    let mut row = 4;
    sheet.write_string_with_format(row, 0, "Responses in the groups shown", bold)?;
    if let Some(n) = results.responses {
        sheet.write_number(row, 1, n as f64)?;
    }
    row += 1;
    if let Some(rate) = results.rate.rate {
        sheet.write_string_with_format(row, 0, "Response rate (%)", bold)?;
        sheet.write_number(row, 1, rate)?;
        row += 1;
    }
    row += 1;
    let heading = ["Headline figure", "Value", "95% low", "95% high", "People"];
    for (c, h) in heading.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *h, bold)?;
    }
    for s in &results.scores {
        row += 1;
        sheet.write_string(row, 0, format!("{} (0 to 10)", s.label))?;
        match s.all {
            Some(e) => {
                for (c, v) in [e.value, e.low, e.high, e.of as f64].into_iter().enumerate() {
                    sheet.write_number(row, c as u16 + 1, v)?;
                }
            }
            None => {
                sheet.write_string(row, 1, HIDDEN)?;
            }
        }
    }
    for q in results.questions.iter().filter(|q| q.score.is_some()) {
        row += 1;
        sheet.write_string(
            row,
            0,
            neutralise(&format!("{} – {} (%)", q.prompt, q.score_label.clone().unwrap_or_default())),
        )?;
        match q.score.as_ref().and_then(|s| s.all) {
            Some(v) => sheet.write_number(row, 1, v)?,
            None => sheet.write_string(row, 1, HIDDEN)?,
        };
        if let Some(n) = q.respondents.all {
            sheet.write_number(row, 4, n as f64)?;
        }
    }
    row += 2;
    let note = trend.map_or_else(|| results.note.to_string(), |t| format!("{} {}", results.note, t.note));
    sheet.write_string_with_format(row, 0, note, wrap)?;
    Ok(())
}

/// The heatmap: each context's figure per item, coloured by conditional formatting from the tone
/// table beneath it (so the colours are the dashboard's and the board pack's), then the
/// differences from the organisation.
fn heatmap_sheet(
    sheet: &mut rust_xlsxwriter::Worksheet,
    map: &pulse_shared::heatmap::Heatmap,
    bold: &Format,
    wrap: &Format,
) -> Result<(), XlsxError> {
    use rust_xlsxwriter::{ConditionalFormatFormula, Formula};
    sheet.set_name("Heatmap")?;
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 11)?;
    let items = map.items.len() as u16;
    for c in 0..items {
        sheet.set_column_width(c + 2, 14)?;
    }
    let rows = map.rows.len() as u32;
    let table = |sheet: &mut rust_xlsxwriter::Worksheet, top: u32, title: &str| -> Result<(), XlsxError> {
        sheet.write_string_with_format(top, 0, title, bold)?;
        sheet.write_string_with_format(top, 1, "Responses", bold)?;
        for (c, item) in map.items.iter().enumerate() {
            sheet.write_string_with_format(top, c as u16 + 2, neutralise(&item.label), &wrap.clone().set_bold())?;
        }
        for (r, row) in map.rows.iter().enumerate() {
            let name = pulse_shared::results::column_name(&row.label, row.division, pulse_shared::Lang::En);
            sheet.write_string(top + 2 + r as u32, 0, neutralise(&name))?;
            if let Some(n) = row.responses {
                sheet.write_number(top + 2 + r as u32, 1, n as f64)?;
            }
        }
        sheet.write_string_with_format(top + 1, 0, "Whole organisation", bold)?;
        Ok(())
    };
    // The figures.
    table(sheet, 0, "Context")?;
    for (c, item) in map.items.iter().enumerate() {
        if let Some(v) = item.all {
            sheet.write_number_with_format(1, c as u16 + 2, v, bold)?;
        }
        for (r, row) in map.rows.iter().enumerate() {
            let cell = &row.cells[c];
            match cell.value {
                Some(v) => sheet.write_number(2 + r as u32, c as u16 + 2, v)?,
                None => sheet.write_string(2 + r as u32, c as u16 + 2, HIDDEN)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    // The differences from the organisation, and the tone of each (1 better, -1 worse, 0 neither).
    let differences = rows + 4;
    table(sheet, differences, "Difference from the organisation")?;
    let tones = differences + rows + 4;
    table(sheet, tones, "Clear difference (1 better, -1 worse, 0 none)")?;
    for (c, _) in map.items.iter().enumerate() {
        for (r, row) in map.rows.iter().enumerate() {
            let cell = &row.cells[c];
            if let Some(d) = cell.difference {
                sheet.write_number(differences + 2 + r as u32, c as u16 + 2, d)?;
            }
            if cell.value.is_some() {
                let tone = match cell.tone {
                    Some(pulse_shared::trend::Tone::Better) => 1.0,
                    Some(pulse_shared::trend::Tone::Worse) => -1.0,
                    _ => 0.0,
                };
                sheet.write_number(tones + 2 + r as u32, c as u16 + 2, tone)?;
            }
        }
    }
    if rows > 0 && items > 0 {
        // Relative to the top-left cell of the figures: its tone is `tones` rows further down.
        let first = format!("C{}", tones + 3);
        let better = Format::new().set_background_color(0xC7E6D3);
        let worse = Format::new().set_background_color(0xF6D1CD);
        for (rule, format) in [(format!("={first}=1"), better), (format!("={first}=-1"), worse)] {
            let conditional = ConditionalFormatFormula::new().set_rule(Formula::new(rule)).set_format(format);
            sheet.add_conditional_format(2, 2, 1 + rows, 1 + items, &conditional)?;
        }
    }
    sheet.write_string_with_format(tones + rows + 3, 0, map.note.to_string(), wrap)?;
    // Figures published elsewhere, apart from the organisation's and never coloured.
    if !map.references.is_empty() {
        let top = tones + rows + 5;
        let title = "Reference figures: published elsewhere, for comparison; not this organisation's";
        sheet.write_string_with_format(top, 0, title, bold)?;
        for (c, item) in map.items.iter().enumerate() {
            sheet.write_string_with_format(top + 1, c as u16 + 2, neutralise(&item.label), &wrap.clone().set_bold())?;
        }
        for (r, reference) in map.references.iter().enumerate() {
            let row = top + 2 + r as u32;
            sheet.write_string(row, 0, neutralise(&format!("Reference: {} ({})", reference.source, reference.year)))?;
            for (c, value) in reference.values.iter().enumerate() {
                if let Some(v) = value {
                    sheet.write_number(row, c as u16 + 2, *v)?;
                }
            }
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};

    use crate::pages::demo::{seed_engagement, ENGAGEMENT_SURVEY_ID};
    use crate::store::Store;

    #[tokio::test]
    async fn the_heatmap_sheet_reads_as_the_dashboard_and_the_board_pack_draw_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        seed_engagement(&store).await.unwrap();
        let publication = store.publication(ENGAGEMENT_SURVEY_ID).unwrap().unwrap();
        let results = &publication.combined;
        // The dashboard and the board pack draw this, from the results JSON they read.
        let json: pulse_shared::SurveyResults = serde_json::from_str(&serde_json::to_string(results).unwrap()).unwrap();
        let map = pulse_shared::heatmap::heatmap(&json, pulse_shared::Lang::En);
        assert!(map.rows.iter().flat_map(|r| &r.cells).any(|c| c.tone.is_some()), "the demo has clear differences");
        let bytes = super::results_xlsx(results, None, "Demo NHS Trust", &[]).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        assert_eq!(book.sheet_names()[..3], ["Summary", "Heatmap", "Results"]);
        let sheet = book.worksheet_range("Heatmap").unwrap();
        let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        for (i, item) in map.items.iter().enumerate() {
            assert_eq!(cell(0, 2 + i as u32), Data::String(item.label.clone()));
            for (r, row) in map.rows.iter().enumerate() {
                let at = cell(2 + r as u32, 2 + i as u32);
                match row.cells[i].value {
                    Some(v) => assert_eq!(at, Data::Float(v), "{} {}", row.label, item.label),
                    None => assert_eq!(at, Data::String("hidden".into())),
                }
            }
        }
        // Its colours come from the tone table, by conditional formatting.
        let xml = String::from_utf8_lossy(&unzip(&bytes, "xl/worksheets/sheet2.xml")).to_string();
        assert_eq!(xml.matches("<cfRule type=\"expression\"").count(), 2, "{xml}");
        let summary = book.worksheet_range("Summary").unwrap();
        assert_eq!(summary.get_value((0, 0)), Some(&Data::String("Demo NHS Trust".into())));
        let engagement =
            (0..30).find(|&r| summary.get_value((r, 0)) == Some(&Data::String("Staff engagement (0 to 10)".into())));
        let row = engagement.expect("the engagement score on the summary sheet");
        assert_eq!(summary.get_value((row, 1)), Some(&Data::Float(results.scores[0].all.unwrap().value)));
        store.shutdown().await;
    }

    /// One file of a workbook (a zip), stored or deflated.
    fn unzip(book: &[u8], name: &str) -> Vec<u8> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        let mut file = archive.by_name(name).unwrap();
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut out).unwrap();
        out
    }
}
