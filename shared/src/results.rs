//! Results as admins see them: counts per question, option and context, with every group and every
//! count smaller than the survey's threshold `k` hidden — and enough other counts hidden beside them
//! that no hidden count can be worked out from totals or from the rest of its row or column.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::definition::{Question, QuestionKind, ShowIf, SurveyDefinition};
use crate::tally::{option_key, point_key, question_key, row_key, RESPONSES_KEY};

/// A count as published: `None` when it is suppressed.
pub type Cell = Option<u64>;

/// The id under which responses that carried no context are reported.
pub const NO_CONTEXT: &str = "_none";

/// Stored counters: (context id, or "" for none; tally key) → count. Missing keys count as zero.
pub type TallyCounts = HashMap<(String, String), u64>;

/// One figure for everyone, and the same figure per context.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub all: Cell,
    pub contexts: BTreeMap<String, Cell>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionResults {
    pub id: String,
    pub label: String,
    pub counts: Breakdown,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowResults {
    pub id: String,
    pub label: String,
    pub respondents: Breakdown,
    /// Counts for points 1 to 5 of the scale.
    pub points: Vec<Breakdown>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResults {
    pub id: String,
    pub prompt: String,
    /// The question's kind, as in the definition's `type`.
    #[serde(rename = "type")]
    pub kind: String,
    /// For all versions combined: the versions whose answers this question adds up (those that asked
    /// it as the current version does).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<u32>,
    /// People who answered this question.
    pub respondents: Breakdown,
    /// Choices and value tags: one entry per option.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionResults>,
    /// Likert matrices: one entry per row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowResults>,
    /// Likert matrices: the labels of points 1 to 5.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scale: Vec<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextResults {
    pub id: String,
    pub label: String,
    pub responses: Cell,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub survey: String,
    pub version: u32,
    pub title: String,
    pub k: u32,
    /// Responses in all; `None` while there are fewer than `k` (then `questions` is empty too), or
    /// when showing it would let a smaller figure elsewhere be worked out.
    pub responses: Cell,
    /// Says what a `null` count means, or that there are too few responses to show anything.
    pub note: String,
    /// For all versions combined: the versions counted. Empty for a single version's results.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<u32>,
    pub contexts: Vec<ContextResults>,
    pub questions: Vec<QuestionResults>,
}

/// Counts laid out as columns (everyone, then each context) and the sums that tie them together.
/// Suppression works on this alone, so it can be tested apart from any survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub values: Vec<u64>,
    pub hidden: Vec<bool>,
    /// Each `(total, parts)` says `values[total] == Σ values[parts]`, a fact a reader knows.
    pub sums: Vec<(usize, Vec<usize>)>,
    /// Cells that belong to each context column, and that column's responses cell.
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Columns of one view (one version, or all combined) form a group.
    pub group: usize,
    pub responses: usize,
    pub cells: Vec<usize>,
}

/// Hide what could single anyone out:
/// 1. every context with 1 to k−1 responses, all of its counts, zeros included;
/// 2. if that leaves one context of a view hidden, the smallest other context of that view with
///    responses too, so the hidden one is not everyone minus the rest;
/// 3. every count from 1 to k−1;
/// 4. then, until nothing changes, for every sum with exactly one hidden member, the smallest other
///    member (a non-zero one first), so no hidden count is a total minus the counts beside it.
pub fn suppress(table: &mut Table, k: u64) {
    let v = &table.values;
    let small = |i: usize| v[i] > 0 && v[i] < k;
    let mut hidden_columns: Vec<usize> =
        (0..table.columns.len()).filter(|&c| small(table.columns[c].responses)).collect();
    let groups: std::collections::BTreeSet<usize> = table.columns.iter().map(|c| c.group).collect();
    for group in groups {
        let in_group = |c: &usize| table.columns[*c].group == group;
        if hidden_columns.iter().filter(|c| in_group(c)).count() == 1 {
            let complement = (0..table.columns.len())
                .filter(|c| in_group(c) && !hidden_columns.contains(c) && v[table.columns[*c].responses] > 0)
                .min_by_key(|&c| v[table.columns[c].responses]);
            hidden_columns.extend(complement);
        }
    }
    for &c in &hidden_columns {
        let col = &table.columns[c];
        table.hidden[col.responses] = true;
        for &i in &col.cells {
            table.hidden[i] = true;
        }
    }
    for i in 0..v.len() {
        if small(i) {
            table.hidden[i] = true;
        }
    }
    loop {
        let mut changed = false;
        for (total, parts) in &table.sums {
            let hidden_count = parts.iter().chain([total]).filter(|&&i| table.hidden[i]).count();
            if hidden_count != 1 {
                continue;
            }
            let visible_parts = parts.iter().copied().filter(|&i| !table.hidden[i]);
            let pick = visible_parts.min_by_key(|&i| (v[i] == 0, v[i])).or((!table.hidden[*total]).then_some(*total));
            if let Some(i) = pick {
                table.hidden[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Builds one table for every view of a survey's counts — each version, and all versions combined —
/// remembering which cell holds which figure. One table, suppressed once, means no view can be
/// subtracted from another to reveal what either hides.
struct Layout {
    /// Per view: the context ids of its columns after column 0 (everyone); "" (no context) last.
    contexts: Vec<Vec<String>>,
    index: HashMap<(usize, usize, String), usize>,
    table: Table,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            contexts: vec![],
            index: HashMap::new(),
            table: Table { values: vec![], hidden: vec![], sums: vec![], columns: vec![] },
        }
    }

    /// Starts a view with the contexts of `def`; returns its number.
    fn view(&mut self, def: &SurveyDefinition) -> usize {
        let mut contexts: Vec<String> = def.contexts.iter().map(|c| c.id.clone()).collect();
        contexts.push(String::new());
        self.contexts.push(contexts);
        self.contexts.len() - 1
    }

    fn columns(&self, view: usize) -> usize {
        self.contexts[view].len() + 1
    }

    /// Adds a figure to `view` in every column, with the sum "everyone = Σ contexts".
    fn add(&mut self, view: usize, key: String, counts: &TallyCounts) -> String {
        let mut cells = Vec::with_capacity(self.columns(view));
        for col in 0..self.columns(view) {
            let value = if col == 0 {
                0
            } else {
                counts.get(&(self.contexts[view][col - 1].clone(), key.clone())).copied().unwrap_or(0)
            };
            let i = self.table.values.len();
            self.table.values.push(value);
            self.table.hidden.push(false);
            self.index.insert((view, col, key.clone()), i);
            cells.push(i);
        }
        self.table.values[cells[0]] = cells[1..].iter().map(|&i| self.table.values[i]).sum();
        self.table.sums.push((cells[0], cells[1..].to_vec()));
        key
    }

    fn has(&self, view: usize, key: &str) -> bool {
        self.index.contains_key(&(view, 0, key.to_string()))
    }

    fn cell(&self, view: usize, col: usize, key: &str) -> usize {
        self.index[&(view, col, key.to_string())]
    }

    /// The column of context `context` in `view` (0 for everyone).
    fn column_of(&self, view: usize, context: Option<&str>) -> Option<usize> {
        match context {
            None => Some(0),
            Some(c) => self.contexts[view].iter().position(|x| x == c).map(|p| p + 1),
        }
    }

    /// In every column of `view`, `total` is the sum of `parts`.
    fn sum_in_each_column(&mut self, view: usize, total: &str, parts: &[String]) {
        for col in 0..self.columns(view) {
            let t = self.cell(view, col, total);
            let p = parts.iter().map(|k| self.cell(view, col, k)).collect();
            self.table.sums.push((t, p));
        }
    }

    fn breakdown(&self, view: usize, key: &str) -> Breakdown {
        let shown = |i: usize| (!self.table.hidden[i]).then_some(self.table.values[i]);
        let contexts = self.contexts[view].iter().enumerate().map(|(n, c)| {
            let id = if c.is_empty() { NO_CONTEXT.to_string() } else { c.clone() };
            (id, shown(self.cell(view, n + 1, key)))
        });
        Breakdown { all: shown(self.cell(view, 0, key)), contexts: contexts.collect() }
    }

    /// Every key of `view`.
    fn keys(&self, view: usize) -> Vec<String> {
        let mut keys: Vec<String> =
            self.index.keys().filter(|(v, c, _)| *v == view && *c == 0).map(|(_, _, k)| k.clone()).collect();
        keys.sort();
        keys
    }

    /// Adds `view`'s figures and the sums a reader knows among them, for the questions of `def`.
    fn add_survey(&mut self, view: usize, def: &SurveyDefinition, counts: &TallyCounts) {
        let responses = self.add(view, RESPONSES_KEY.to_string(), counts);
        for q in &def.questions {
            let respondents = self.add(view, question_key(&q.id), counts);
            // Everyone who is shown a required question answers it, so a reader knows its respondents
            // equal the number shown it: all responses, or those whose earlier answer opened it.
            if q.required {
                let shown_to = match &q.show_if {
                    None => Some(responses.clone()),
                    Some(ShowIf { question, equals: None }) => Some(question_key(question)),
                    Some(ShowIf { question, equals: Some(value) }) => {
                        [option_key(question, value), row_key(question, value)].into_iter().find(|k| self.has(view, k))
                    }
                };
                if let Some(shown_to) = shown_to {
                    self.sum_in_each_column(view, &shown_to, std::slice::from_ref(&respondents));
                }
            }
            match &q.kind {
                QuestionKind::SingleChoice { options } => {
                    let keys: Vec<String> =
                        options.iter().map(|o| self.add(view, option_key(&q.id, &o.id), counts)).collect();
                    self.sum_in_each_column(view, &respondents, &keys);
                }
                QuestionKind::MultipleChoice { .. } | QuestionKind::ValueTags | QuestionKind::Consent { .. } => {
                    // People may choose several, so options do not sum to respondents: no sum to add.
                    // (Consent has one option, whose count is its respondents'.)
                    for o in q.kind.option_ids() {
                        self.add(view, option_key(&q.id, o), counts);
                    }
                }
                QuestionKind::LikertMatrix { rows, .. } => {
                    for r in rows {
                        let row = self.add(view, row_key(&q.id, &r.id), counts);
                        let points: Vec<String> =
                            (1..=5).map(|p| self.add(view, point_key(&q.id, &r.id, p), counts)).collect();
                        self.sum_in_each_column(view, &row, &points);
                        if q.required {
                            self.sum_in_each_column(view, &respondents, std::slice::from_ref(&row));
                        }
                    }
                }
                QuestionKind::FreeText { .. } => {}
            }
        }
        for col in 1..self.columns(view) {
            let cells = self.index.iter().filter(|((v, c, _), _)| *v == view && *c == col).map(|(_, &i)| i).collect();
            let responses = self.cell(view, col, RESPONSES_KEY);
            self.table.columns.push(Column { group: view, responses, cells });
        }
    }

    /// Hides every figure of `view` (a view with fewer than k responses shows nothing).
    fn hide_view(&mut self, view: usize) {
        for ((v, _, _), &i) in &self.index {
            if *v == view {
                self.table.hidden[i] = true;
            }
        }
    }

    fn results(&self, view: usize, def: &SurveyDefinition, k: u32) -> SurveyResults {
        let total = self.table.values[self.cell(view, 0, RESPONSES_KEY)];
        let mut results = SurveyResults {
            survey: def.id.clone(),
            version: def.version,
            title: def.title.en.clone(),
            k,
            responses: None,
            note: format!("fewer than {k} responses so far: results are shown once there are {k} or more"),
            versions: vec![],
            contexts: vec![],
            questions: vec![],
        };
        if total < u64::from(k) {
            return results;
        }
        // Usually shown; hidden when another view minus this one would reveal a small one.
        results.responses = self.breakdown(view, RESPONSES_KEY).all;
        results.note = format!(
            "null means hidden: a count or group smaller than {k}, or a count hidden so that a smaller one cannot be worked out"
        );
        let context_breakdown = self.breakdown(view, RESPONSES_KEY);
        results.contexts = def
            .contexts
            .iter()
            .map(|c| (c.id.clone(), c.label.en.clone()))
            .chain([(NO_CONTEXT.to_string(), "No context given".to_string())])
            .map(|(id, label)| ContextResults { responses: context_breakdown.contexts[&id], id, label })
            .collect();
        for q in &def.questions {
            let mut out = QuestionResults {
                id: q.id.clone(),
                prompt: q.prompt.en.clone(),
                kind: kind_name(&q.kind).to_string(),
                versions: vec![],
                respondents: self.breakdown(view, &question_key(&q.id)),
                options: vec![],
                rows: vec![],
                scale: vec![],
            };
            match &q.kind {
                QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                    out.options = options
                        .iter()
                        .map(|o| OptionResults {
                            id: o.id.clone(),
                            label: o.label.en.clone(),
                            counts: self.breakdown(view, &option_key(&q.id, &o.id)),
                        })
                        .collect();
                }
                QuestionKind::ValueTags => {
                    out.options = crate::values::NhsValue::ALL
                        .iter()
                        .map(|v| OptionResults {
                            id: v.id().into(),
                            label: v.label().into(),
                            counts: self.breakdown(view, &option_key(&q.id, v.id())),
                        })
                        .collect();
                }
                QuestionKind::Consent { label, .. } => {
                    out.options = vec![OptionResults {
                        id: crate::definition::CONSENT_YES.into(),
                        label: label.en.clone(),
                        counts: self.breakdown(view, &option_key(&q.id, crate::definition::CONSENT_YES)),
                    }];
                }
                QuestionKind::LikertMatrix { rows, scale } => {
                    out.scale = scale.iter().map(|s| s.en.clone()).collect();
                    out.rows = rows
                        .iter()
                        .map(|r| RowResults {
                            id: r.id.clone(),
                            label: r.label.en.clone(),
                            respondents: self.breakdown(view, &row_key(&q.id, &r.id)),
                            points: (1..=5).map(|p| self.breakdown(view, &point_key(&q.id, &r.id, p))).collect(),
                        })
                        .collect();
                }
                QuestionKind::FreeText { .. } => {}
            }
            results.questions.push(out);
        }
        results
    }
}

fn kind_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::SingleChoice { .. } => "single_choice",
        QuestionKind::MultipleChoice { .. } => "multiple_choice",
        QuestionKind::LikertMatrix { .. } => "likert_matrix",
        QuestionKind::FreeText { .. } => "free_text",
        QuestionKind::ValueTags => "value_tags",
        QuestionKind::Consent { .. } => "consent",
    }
}

/// Whether a question asks the same thing in two versions, so their answers may be added up: the
/// same kind, option and row ids, limits, condition and requirement. Wording may differ, and so may
/// languages: a version that adds Welsh still counts with the English one before it.
fn same_question(a: &Question, b: &Question) -> bool {
    let ids = |choices: &[crate::definition::Choice]| choices.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    let same_kind = match (&a.kind, &b.kind) {
        (QuestionKind::SingleChoice { options: x }, QuestionKind::SingleChoice { options: y }) => ids(x) == ids(y),
        (
            QuestionKind::MultipleChoice { options: x, max: mx },
            QuestionKind::MultipleChoice { options: y, max: my },
        ) => ids(x) == ids(y) && mx == my,
        (QuestionKind::LikertMatrix { rows: x, .. }, QuestionKind::LikertMatrix { rows: y, .. }) => ids(x) == ids(y),
        (QuestionKind::FreeText { max_words: x }, QuestionKind::FreeText { max_words: y }) => x == y,
        (QuestionKind::ValueTags, QuestionKind::ValueTags) => true,
        (QuestionKind::Consent { of: x, .. }, QuestionKind::Consent { of: y, .. }) => x == y,
        _ => false,
    };
    a.id == b.id && same_kind && a.show_if == b.show_if && a.required == b.required
}

/// One version's definition and its stored counters.
pub struct VersionCounts<'a> {
    pub definition: &'a SurveyDefinition,
    pub counts: &'a TallyCounts,
}

/// Every view of a survey's results, suppressed together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllResults {
    /// All versions together, under the current definition: each question adds up the versions
    /// that asked it the same way (listed in its `versions`).
    pub combined: SurveyResults,
    /// Each version on its own, oldest first.
    pub versions: Vec<SurveyResults>,
}

impl AllResults {
    /// The results of every version of a survey (oldest first; the last is current), with the
    /// largest `k` any version asks for.
    pub fn from_versions(versions: &[VersionCounts]) -> AllResults {
        let current = versions.last().expect("a survey has at least one version").definition;
        let k = versions.iter().map(|v| v.definition.k).max().unwrap_or(current.k);
        let mut layout = Layout::new();
        let views: Vec<usize> = versions
            .iter()
            .map(|v| {
                let view = layout.view(v.definition);
                layout.add_survey(view, v.definition, v.counts);
                view
            })
            .collect();

        // The combined view: for each question, the versions that asked it as the current one does.
        let same_as_current: Vec<Vec<usize>> = current
            .questions
            .iter()
            .map(|q| {
                (0..versions.len())
                    .filter(|&i| versions[i].definition.question(&q.id).is_some_and(|p| same_question(p, q)))
                    .collect()
            })
            .collect();
        let mut combined_counts = TallyCounts::new();
        for (i, v) in versions.iter().enumerate() {
            for ((context, key), n) in v.counts {
                let question = key.split(['=', '.']).next().unwrap_or("");
                let from = if key == RESPONSES_KEY {
                    true
                } else {
                    current
                        .questions
                        .iter()
                        .position(|q| q.id == question)
                        .is_some_and(|qi| same_as_current[qi].contains(&i))
                };
                if from {
                    *combined_counts.entry((context.clone(), key.clone())).or_default() += n;
                }
            }
        }
        let mut combined_def = current.clone();
        // Contexts of every version, so old responses in a since-retired context are counted.
        for v in versions {
            for c in &v.definition.contexts {
                if !combined_def.has_context(&c.id) {
                    combined_def.contexts.push(c.clone());
                }
            }
        }
        let combined = layout.view(&combined_def);
        layout.add_survey(combined, &combined_def, &combined_counts);
        for key in layout.keys(combined) {
            let question = key.split(['=', '.']).next().unwrap_or("").to_string();
            let parts = if key == RESPONSES_KEY {
                (0..versions.len()).collect()
            } else {
                current
                    .questions
                    .iter()
                    .position(|q| q.id == question)
                    .map(|qi| same_as_current[qi].clone())
                    .unwrap_or_default()
            };
            // What a reader knows: each combined figure is the sum of the same figure in the versions.
            for col in 0..layout.columns(combined) {
                let context = (col > 0).then(|| layout.contexts[combined][col - 1].clone());
                let part_cells: Vec<usize> = parts
                    .iter()
                    .filter(|&&i| layout.has(views[i], &key))
                    .filter_map(|&i| {
                        layout.column_of(views[i], context.as_deref()).map(|c| layout.cell(views[i], c, &key))
                    })
                    .collect();
                let total = layout.cell(combined, col, &key);
                layout.table.sums.push((total, part_cells));
            }
        }

        // A view with 1 to k−1 responses shows nothing at all, so its figures count as hidden. (A view
        // with none hides nothing: there is nobody in it to single out.)
        for &view in views.iter().chain([&combined]) {
            let total = layout.table.values[layout.cell(view, 0, RESPONSES_KEY)];
            if total > 0 && total < u64::from(k) {
                layout.hide_view(view);
            }
        }
        suppress(&mut layout.table, u64::from(k));

        let all_versions: Vec<u32> = versions.iter().map(|v| v.definition.version).collect();
        let mut combined_results = layout.results(combined, &combined_def, k);
        combined_results.versions = all_versions;
        for (q, same) in combined_results.questions.iter_mut().zip(&same_as_current) {
            q.versions = same.iter().map(|&i| versions[i].definition.version).collect();
        }
        AllResults {
            combined: combined_results,
            versions: versions.iter().zip(&views).map(|(v, &view)| layout.results(view, v.definition, k)).collect(),
        }
    }
}

impl SurveyResults {
    /// The published results of a survey with one version, from its stored counters.
    pub fn from_counts(def: &SurveyDefinition, counts: &TallyCounts) -> SurveyResults {
        AllResults::from_versions(&[VersionCounts { definition: def, counts }]).versions.remove(0)
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // the test table is built by index, as the layout is
mod tests {
    use super::*;
    use crate::default_survey::constitution;
    use crate::response::{SubmissionId, SurveyResponse};
    use crate::tally::tally_keys;
    use proptest::prelude::*;

    fn add(counts: &mut TallyCounts, context: &str, answers: serde_json::Value, times: usize) {
        let def = constitution();
        let response = SurveyResponse {
            submission_id: SubmissionId([0; 16]),
            survey_version: 1,
            context: (!context.is_empty()).then(|| context.to_string()),
            answers: serde_json::from_value(answers).unwrap(),
        };
        assert_eq!(crate::validate::validate(&def, &response), vec![]);
        for key in tally_keys(&def, &response) {
            *counts.entry((context.to_string(), key)).or_default() += times as u64;
        }
    }

    fn answers(awareness: &str, focus: &str) -> serde_json::Value {
        serde_json::json!({
            "awareness": awareness,
            "values_lived": {"working_together": 4, "respect_dignity": 5, "commitment_to_quality": 3,
                              "compassion": 4, "improving_lives": 2, "everyone_counts": 5},
            "focus_value": focus,
            "shared_purpose": "agree",
        })
    }

    fn awareness<'a>(r: &'a SurveyResults, option: &str) -> &'a Breakdown {
        &r.questions[0].options.iter().find(|o| o.id == option).unwrap().counts
    }

    #[test]
    fn fewer_than_k_responses_shows_nothing() {
        let mut counts = TallyCounts::new();
        add(&mut counts, "estates", answers("not_heard", "compassion"), 9);
        let r = SurveyResults::from_counts(&constitution(), &counts);
        assert_eq!(r.responses, None);
        assert!(r.questions.is_empty() && r.contexts.is_empty());
        assert!(r.note.starts_with("fewer than 10 responses"), "{}", r.note);
    }

    #[test]
    fn large_groups_are_shown_in_full() {
        let mut counts = TallyCounts::new();
        add(&mut counts, "estates", answers("not_heard", "compassion"), 12);
        add(&mut counts, "clinical", answers("know_whats_in_it", "compassion"), 15);
        let r = SurveyResults::from_counts(&constitution(), &counts);
        assert_eq!(r.responses, Some(27));
        let not_heard = awareness(&r, "not_heard");
        assert_eq!(not_heard.all, Some(12));
        assert_eq!(not_heard.contexts["estates"], Some(12));
        assert_eq!(not_heard.contexts["clinical"], Some(0));
        assert_eq!(awareness(&r, "know_whats_in_it").all, Some(15));
        assert_eq!(
            r.contexts.iter().map(|c| c.responses).collect::<Vec<_>>(),
            vec![Some(15), Some(0), Some(0), Some(12), Some(0)]
        );
    }

    #[test]
    fn a_small_group_is_hidden_with_a_complement() {
        let mut counts = TallyCounts::new();
        add(&mut counts, "estates", answers("not_heard", "compassion"), 3);
        add(&mut counts, "clinical", answers("know_whats_in_it", "compassion"), 15);
        add(&mut counts, "corporate", answers("know_whats_in_it", "compassion"), 20);
        let r = SurveyResults::from_counts(&constitution(), &counts);
        let ctx: HashMap<_, _> = r.contexts.iter().map(|c| (c.id.as_str(), c.responses)).collect();
        assert_eq!(ctx["estates"], None, "3 responses is a group below k");
        assert_eq!(ctx["clinical"], None, "the smallest other group is hidden so estates is not 38 - 20");
        assert_eq!(ctx["corporate"], Some(20));
        assert_eq!(r.responses, Some(38));
        // Estates' three "not heard" answers are not visible anywhere: not in its column, and the
        // all-staff figure for "not heard" (3) is itself below k.
        assert_eq!(awareness(&r, "not_heard").contexts["estates"], None);
        assert_eq!(awareness(&r, "not_heard").all, None);
        for q in &r.questions {
            assert_eq!(q.respondents.contexts["estates"], None, "{}", q.id);
        }
    }

    #[test]
    fn a_small_count_in_a_large_group_is_hidden_with_its_row_and_column() {
        let mut counts = TallyCounts::new();
        add(&mut counts, "estates", answers("not_heard", "compassion"), 2);
        add(&mut counts, "estates", answers("know_whats_in_it", "compassion"), 30);
        add(&mut counts, "clinical", answers("know_whats_in_it", "compassion"), 40);
        let r = SurveyResults::from_counts(&constitution(), &counts);
        let nh = awareness(&r, "not_heard");
        assert_eq!(nh.contexts["estates"], None);
        assert_eq!(nh.all, None, "2 in all is below k");
        // Within estates, "know" (30) would give away "not heard" as 32 − 30: it is hidden too.
        assert_eq!(awareness(&r, "know_whats_in_it").contexts["estates"], None);
        // And the total for "know" (70) minus clinical (40) would give estates' 30: hidden too.
        assert_eq!(awareness(&r, "know_whats_in_it").all, None);
        assert_eq!(awareness(&r, "heard_not_content").all, Some(0));
    }

    #[test]
    fn follow_up_respondents_match_the_answers_that_opened_it() {
        let mut counts = TallyCounts::new();
        let mut with_story = answers("know_whats_in_it", "compassion");
        with_story["story"] = "We stayed late.".into();
        with_story["story_values"] = serde_json::json!(["compassion"]);
        add(&mut counts, "estates", with_story.clone(), 12);
        add(&mut counts, "clinical", with_story, 14);
        add(&mut counts, "clinical", answers("know_whats_in_it", "compassion"), 3);
        let r = SurveyResults::from_counts(&constitution(), &counts);
        let respondents = |id: &str| r.questions.iter().find(|q| q.id == id).unwrap().respondents.clone();
        let (story, tags) = (respondents("story"), respondents("story_values"));
        assert_eq!(story.all, Some(26));
        assert_eq!(story, tags, "story_values is answered by exactly those who wrote a story");
    }

    fn v2_with_new_awareness_options() -> SurveyDefinition {
        let mut v2 = constitution();
        v2.version = 2;
        v2.title = "Our NHS values, second round".into();
        if let QuestionKind::SingleChoice { options } = &mut v2.questions[0].kind {
            options.push(crate::definition::Choice::new("helped_write_it", "I helped write our local version"));
        }
        v2
    }

    #[test]
    fn versions_combine_the_questions_that_did_not_change() {
        let (v1, v2) = (constitution(), v2_with_new_awareness_options());
        let (mut c1, mut c2) = (TallyCounts::new(), TallyCounts::new());
        add(&mut c1, "estates", answers("know_whats_in_it", "compassion"), 12);
        add(&mut c2, "estates", answers("know_whats_in_it", "everyone_counts"), 15);
        let all = AllResults::from_versions(&[
            VersionCounts { definition: &v1, counts: &c1 },
            VersionCounts { definition: &v2, counts: &c2 },
        ]);
        assert_eq!(all.versions.len(), 2);
        assert_eq!(all.versions[0].responses, Some(12));
        assert_eq!(all.versions[1].responses, Some(15));
        let combined = &all.combined;
        assert_eq!(
            (combined.responses, combined.versions.clone(), combined.title.as_str()),
            (Some(27), vec![1, 2], "Our NHS values, second round")
        );
        let q = |id: &str| combined.questions.iter().find(|q| q.id == id).unwrap();
        // focus_value did not change: both versions add up.
        assert_eq!(q("focus_value").versions, vec![1, 2]);
        assert_eq!(q("focus_value").respondents.all, Some(27));
        // awareness gained an option: only version 2, which asked it this way, counts.
        assert_eq!(q("awareness").versions, vec![2]);
        assert_eq!(q("awareness").respondents.all, Some(15));
    }

    #[test]
    fn a_version_that_only_adds_welsh_or_rewords_counts_with_the_one_before() {
        let mut english = constitution();
        for (_, text) in english.texts() {
            assert!(text.cy.is_some());
        }
        // Version 1 as it was before Welsh: the same questions, English only, one label reworded.
        let json = serde_json::to_string(&english).unwrap();
        let mut v1: SurveyDefinition = serde_json::from_str(&json).unwrap();
        strip_welsh(&mut v1);
        let QuestionKind::SingleChoice { options } = &mut v1.questions[0].kind else { panic!() };
        options[0].label = "Never heard of it".into();
        english.version = 2;
        let (mut c1, mut c2) = (TallyCounts::new(), TallyCounts::new());
        add(&mut c1, "estates", answers("know_whats_in_it", "compassion"), 12);
        add(&mut c2, "estates", answers("know_whats_in_it", "compassion"), 15);
        let all = AllResults::from_versions(&[
            VersionCounts { definition: &v1, counts: &c1 },
            VersionCounts { definition: &english, counts: &c2 },
        ]);
        for q in &all.combined.questions {
            assert_eq!(q.versions, vec![1, 2], "{} should add up both versions", q.id);
        }
        let awareness = &all.combined.questions[0];
        assert_eq!(awareness.respondents.all, Some(27));
    }

    fn strip_welsh(def: &mut SurveyDefinition) {
        let json = serde_json::to_value(&*def).unwrap();
        fn walk(v: serde_json::Value) -> serde_json::Value {
            match v {
                serde_json::Value::Object(map) if map.contains_key("cy") && map.contains_key("en") => map["en"].clone(),
                serde_json::Value::Object(map) => map.into_iter().map(|(k, v)| (k, walk(v))).collect(),
                serde_json::Value::Array(items) => items.into_iter().map(walk).collect(),
                other => other,
            }
        }
        *def = serde_json::from_value(walk(json)).unwrap();
        assert_eq!(def.languages(), vec![crate::lang::Lang::En]);
    }

    #[test]
    fn a_small_version_cannot_be_recovered_by_subtracting_views() {
        let (v1, v2) = (constitution(), v2_with_new_awareness_options());
        let (mut c1, mut c2) = (TallyCounts::new(), TallyCounts::new());
        add(&mut c1, "estates", answers("know_whats_in_it", "compassion"), 4);
        add(&mut c2, "estates", answers("know_whats_in_it", "everyone_counts"), 20);
        add(&mut c2, "clinical", answers("not_heard", "everyone_counts"), 20);
        let all = AllResults::from_versions(&[
            VersionCounts { definition: &v1, counts: &c1 },
            VersionCounts { definition: &v2, counts: &c2 },
        ]);
        assert_eq!(all.versions[0].responses, None, "4 responses to version 1: nothing shown");
        let combined_total = all.combined.responses;
        let v2_total = all.versions[1].responses;
        assert!(
            combined_total.is_none() || v2_total.is_none(),
            "44 − 40 would give version 1's 4: {combined_total:?} {v2_total:?}"
        );
        // Likewise per figure: the combined focus_value=compassion (4) is not shown.
        let compassion = |r: &SurveyResults| {
            r.questions
                .iter()
                .find(|q| q.id == "focus_value")
                .unwrap()
                .options
                .iter()
                .find(|o| o.id == "compassion")
                .unwrap()
                .counts
                .all
        };
        assert_eq!(compassion(&all.combined), None);
    }

    /// A table of `cols` contexts × `rows` options of a single-choice question, as the layout makes.
    fn table(cells: &[Vec<u64>]) -> Table {
        let cols = cells[0].len();
        let rows = cells.len();
        // Column-major layout: for each column, a responses cell then one cell per option; column 0 is all.
        let mut values = vec![];
        let mut idx = vec![vec![0; rows + 1]; cols + 1];
        for c in 0..=cols {
            for r in 0..=rows {
                idx[c][r] = values.len();
                let v = match (c, r) {
                    (0, 0) => cells.iter().flatten().sum(),
                    (0, r) => cells[r - 1].iter().sum(),
                    (c, 0) => cells.iter().map(|row| row[c - 1]).sum(),
                    (c, r) => cells[r - 1][c - 1],
                };
                values.push(v);
            }
        }
        let mut sums = vec![];
        for r in 0..=rows {
            sums.push((idx[0][r], (1..=cols).map(|c| idx[c][r]).collect()));
        }
        for c in 0..=cols {
            sums.push((idx[c][0], (1..=rows).map(|r| idx[c][r]).collect()));
        }
        let columns = (1..=cols).map(|c| Column { group: 0, responses: idx[c][0], cells: idx[c].clone() }).collect();
        Table { hidden: vec![false; values.len()], values, sums, columns }
    }

    proptest! {
        #[test]
        fn no_hidden_count_can_be_worked_out(
            cells in (1usize..5, 1usize..6).prop_flat_map(|(rows, cols)| {
                proptest::collection::vec(proptest::collection::vec(prop_oneof![0u64..12, 0u64..200], cols), rows)
            }),
            k in 5u64..12,
        ) {
            let mut t = table(&cells);
            suppress(&mut t, k);
            for (i, &v) in t.values.iter().enumerate() {
                prop_assert!(!(v > 0 && v < k) || t.hidden[i], "cell {i} = {v} shown");
            }
            for col in &t.columns {
                let size = t.values[col.responses];
                if size > 0 && size < k {
                    prop_assert!(col.cells.iter().all(|&i| t.hidden[i]), "small group partly shown");
                }
            }
            for (total, parts) in &t.sums {
                let hidden = parts.iter().chain([total]).filter(|&&i| t.hidden[i]).count();
                prop_assert!(hidden != 1, "a sum with exactly one hidden member gives it away");
            }
        }
    }
}
