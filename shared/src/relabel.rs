//! Survey text in the reader's language. Results and trends are published once, labelled in English
//! and keyed by ids; these put a definition's words in `lang` (where it has them) in place of the
//! English labels, by id, and leave every id and figure as it was. So a download, an export or a
//! script reads one set of ids whichever language the dashboard shows.

use crate::definition::{Question, QuestionKind, SurveyDefinition};
use crate::publish::BEFORE_WAVES;
use crate::results::{labelled, QuestionResults, SurveyResults, WaveHeading, ALL};
use crate::trend::SurveyTrend;
use crate::values::NhsValue;
use crate::wave::Wave;
use crate::Lang;

/// What the whole organisation's column is called.
pub fn everyone(lang: Lang) -> &'static str {
    lang.pick("All staff", "Pob aelod o staff")
}

/// "Agree or strongly agree": two answers that both count, the second in lower case.
pub fn either(a: &str, b: &str, lang: Lang) -> String {
    let mut chars = b.chars();
    let b = chars.next().map(|c| c.to_lowercase().chain(chars).collect::<String>()).unwrap_or_default();
    format!("{a} {} {b}", lang.pick("or", "neu"))
}

/// The label of a column: everyone, or a context or division the definition names.
fn column_label(id: &str, def: &SurveyDefinition, lang: Lang) -> Option<String> {
    if id == ALL {
        return Some(everyone(lang).to_string());
    }
    if let Some(division) = id.strip_prefix(crate::results::DIVISION_PREFIX) {
        return def.divisions.iter().find(|d| d.id == division).map(|d| d.label.get(lang).to_string());
    }
    def.contexts.iter().find(|c| c.id == id).map(|c| c.label.get(lang).to_string())
}

/// Each of `labelled` (its id and its label) relabelled as its column.
fn columns<'a>(labelled: impl IntoIterator<Item = (&'a str, &'a mut String)>, def: &SurveyDefinition, lang: Lang) {
    for (id, label) in labelled {
        if let Some(words) = column_label(id, def, lang) {
            *label = words;
        }
    }
}

/// The label of option `id` of question `q`.
fn option_label(q: &Question, id: &str, lang: Lang) -> Option<String> {
    match &q.kind {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
            options.iter().find(|o| o.id == id).map(|o| o.label.get(lang).to_string())
        }
        QuestionKind::ValueTags => NhsValue::from_id(id).map(|v| v.label_in(lang).to_string()),
        QuestionKind::Consent { label, .. } => Some(label.get(lang).to_string()),
        _ => None,
    }
}

/// What a question's score counts: its positive answers, or a matrix's top two points.
fn score_label(q: &Question, lang: Lang) -> Option<String> {
    if let QuestionKind::LikertMatrix { scale, .. } = &q.kind {
        return Some(either(scale[3].get(lang), scale[4].get(lang), lang));
    }
    let labels: Vec<String> = q.positive.iter().filter_map(|id| option_label(q, id, lang)).collect();
    let (first, rest) = labels.split_first()?;
    Some(rest.iter().fold(first.clone(), |s, l| either(&s, l, lang)))
}

fn row_label(q: &Question, id: &str, lang: Lang) -> Option<String> {
    match &q.kind {
        QuestionKind::LikertMatrix { rows, .. } => {
            rows.iter().find(|r| r.id == id).map(|r| r.label.get(lang).to_string())
        }
        _ => None,
    }
}

fn question(r: &mut QuestionResults, q: &Question, lang: Lang) {
    r.prompt = q.prompt.get(lang).to_string();
    for o in &mut r.options {
        if let Some(label) = option_label(q, &o.id, lang) {
            o.label = label;
        }
    }
    for row in &mut r.rows {
        if let Some(label) = row_label(q, &row.id, lang) {
            row.label = label;
        }
    }
    if let QuestionKind::LikertMatrix { scale, .. } = &q.kind {
        r.scale = scale.iter().map(|s| s.get(lang).to_string()).collect();
    }
    if r.score_label.is_some() {
        r.score_label = score_label(q, lang).or(r.score_label.take());
    }
}

/// A wave's heading in `lang`, from the survey's `waves`.
fn wave(heading: &mut WaveHeading, waves: &[Wave], lang: Lang) {
    if heading.id == BEFORE_WAVES {
        heading.label = crate::publish::before_waves(lang).into();
    } else if let Some(w) = waves.iter().find(|w| w.id == heading.id) {
        heading.label = w.label.get(lang).to_string();
    }
}

/// `results` with `def`'s words in `lang` (the current definition: a question it no longer asks
/// keeps its English) and its wave's name from `waves`, and the tables' own words and every
/// sentence in `lang` too.
pub fn results(results: &mut SurveyResults, def: &SurveyDefinition, waves: &[Wave], lang: Lang) {
    if lang == Lang::En {
        return;
    }
    results.title = def.title.get(lang).to_string();
    if let Some(heading) = &mut results.wave {
        wave(heading, waves, lang);
    }
    columns(results.columns.iter_mut().map(|c| (c.id.as_str(), &mut c.label)), def, lang);
    columns(results.contexts.iter_mut().map(|c| (c.id.as_str(), &mut c.label)), def, lang);
    for r in &mut results.questions {
        if let Some(q) = def.question(&r.id) {
            question(r, q, lang);
        }
        r.fill_table_in(&results.columns, lang);
    }
    results.say_in(lang);
}

/// `trend` with `def`'s words in `lang`, as [`results`] does.
pub fn trend(trend: &mut SurveyTrend, def: &SurveyDefinition, waves: &[Wave], lang: Lang) {
    if lang == Lang::En {
        return;
    }
    trend.title = def.title.get(lang).to_string();
    trend.waves.iter_mut().for_each(|heading| wave(heading, waves, lang));
    columns(trend.columns.iter_mut().map(|c| (c.id.as_str(), &mut c.label)), def, lang);
    for t in &mut trend.questions {
        let Some(q) = def.question(&t.id) else { continue };
        t.prompt = q.prompt.get(lang).to_string();
        let score = score_label(q, lang).unwrap_or_default();
        for line in &mut t.lines {
            let label = if line.id == "score" {
                Some(format!("{}: {score}", lang.pick("Score", "Sgôr")))
            } else if let Some(row) = line.id.strip_suffix(":mean") {
                row_label(q, row, lang).map(|r| labelled(&r, lang.pick("mean score (1 to 5)", "sgôr gymedrig (1 i 5)")))
            } else if let Some(row) = row_label(q, &line.id, lang) {
                Some(labelled(&row, &score))
            } else {
                option_label(q, &line.id, lang)
            };
            if let Some(label) = label {
                line.label = label;
            }
        }
    }
    trend.say_in(lang);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_survey::constitution;

    /// Twelve estates responses: one group, shown.
    fn published() -> SurveyResults {
        crate::default_survey::results_of("estates", 12)
    }

    #[test]
    fn welsh_labels_replace_english_ones_by_id_and_leave_every_id_and_figure() {
        let def = constitution();
        let english = published();
        let mut welsh = english.clone();
        results(&mut welsh, &def, &[], Lang::Cy);
        assert_eq!(welsh.title, "Ein gwerthoedd GIG");
        assert_eq!(welsh.columns[0].label, "Pob aelod o staff");
        let ids = |r: &SurveyResults| {
            r.questions
                .iter()
                .map(|q| {
                    (q.id.clone(), q.options.iter().map(|o| o.id.clone()).collect::<Vec<_>>(), q.respondents.clone())
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&welsh), ids(&english), "ids and figures stay as they were");
        let matrix = welsh.questions.iter().find(|q| q.kind == "likert_matrix").unwrap();
        let source = def.question(&matrix.id).unwrap();
        assert_eq!(matrix.prompt, source.prompt.cy.clone().unwrap());
        assert!(matrix.score_label.as_deref().unwrap().contains(" neu "), "{:?}", matrix.score_label);
        assert!(matrix.table.iter().all(|line| !line.label.contains("Answered")), "the table's own words in Welsh too");
        for (w, e) in welsh.questions.iter().zip(&english.questions) {
            assert_eq!(w.table.len(), e.table.len());
        }
        let mut same = english.clone();
        results(&mut same, &def, &[], Lang::En);
        assert_eq!(same, english, "English is as published");
    }
}
