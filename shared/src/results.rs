//! Results as admins see them: counts per question, option and context, with every group and every
//! count smaller than the survey's threshold `k` hidden — and enough other counts hidden beside them
//! that no hidden count can be worked out from totals or from the rest of its row or column.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::definition::{QuestionKind, ShowIf, SurveyDefinition};
use crate::tally::{option_key, point_key, question_key, row_key, RESPONSES_KEY};

/// A count as published: `None` when it is suppressed.
pub type Cell = Option<u64>;

/// The id under which responses that carried no context are reported.
pub const NO_CONTEXT: &str = "_none";

/// Stored counters: (context id, or "" for none; tally key) → count. Missing keys count as zero.
pub type TallyCounts = HashMap<(String, String), u64>;

/// One figure for everyone, and the same figure per context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub all: Cell,
    pub contexts: BTreeMap<String, Cell>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionResults {
    pub id: String,
    pub label: String,
    pub counts: Breakdown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowResults {
    pub id: String,
    pub label: String,
    pub respondents: Breakdown,
    /// Counts for points 1 to 5 of the scale.
    pub points: Vec<Breakdown>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResults {
    pub id: String,
    pub prompt: String,
    /// The question's kind, as in the definition's `type`.
    #[serde(rename = "type")]
    pub kind: String,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextResults {
    pub id: String,
    pub label: String,
    pub responses: Cell,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub survey: String,
    pub version: u32,
    pub title: String,
    pub k: u32,
    /// Responses in all; `None` while there are fewer than `k`.
    pub responses: Cell,
    /// Says what a `null` count means, or that there are too few responses to show anything.
    pub note: String,
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
    pub responses: usize,
    pub cells: Vec<usize>,
}

/// Hide what could single anyone out:
/// 1. every context with 1 to k−1 responses, all of its counts, zeros included;
/// 2. if that leaves one context hidden, the smallest other context with responses too, so the hidden
///    one is not everyone minus the rest;
/// 3. every count from 1 to k−1;
/// 4. then, until nothing changes, for every sum with exactly one hidden member, the smallest other
///    member (a non-zero one first), so no hidden count is a total minus the counts beside it.
pub fn suppress(table: &mut Table, k: u64) {
    let v = &table.values;
    let small = |i: usize| v[i] > 0 && v[i] < k;
    let mut hidden_columns: Vec<usize> =
        (0..table.columns.len()).filter(|&c| small(table.columns[c].responses)).collect();
    if hidden_columns.len() == 1 {
        let complement = (0..table.columns.len())
            .filter(|c| !hidden_columns.contains(c) && v[table.columns[*c].responses] > 0)
            .min_by_key(|&c| v[table.columns[c].responses]);
        hidden_columns.extend(complement);
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

/// Builds the table of one survey's counts, remembering which cell holds which figure.
struct Layout {
    /// Column 0 is everyone; then the survey's contexts in order; last, responses with no context.
    contexts: Vec<String>,
    index: HashMap<(usize, String), usize>,
    table: Table,
}

impl Layout {
    fn new(def: &SurveyDefinition) -> Layout {
        let mut contexts: Vec<String> = def.contexts.iter().map(|c| c.id.clone()).collect();
        contexts.push(String::new());
        Layout {
            contexts,
            index: HashMap::new(),
            table: Table { values: vec![], hidden: vec![], sums: vec![], columns: vec![] },
        }
    }

    fn columns(&self) -> usize {
        self.contexts.len() + 1
    }

    /// Adds a figure in every column, with the sum "everyone = Σ contexts".
    fn add(&mut self, key: String, counts: &TallyCounts) -> String {
        let mut cells = Vec::with_capacity(self.columns());
        for col in 0..self.columns() {
            let value = if col == 0 {
                0
            } else {
                counts.get(&(self.contexts[col - 1].clone(), key.clone())).copied().unwrap_or(0)
            };
            let i = self.table.values.len();
            self.table.values.push(value);
            self.table.hidden.push(false);
            self.index.insert((col, key.clone()), i);
            cells.push(i);
        }
        self.table.values[cells[0]] = cells[1..].iter().map(|&i| self.table.values[i]).sum();
        self.table.sums.push((cells[0], cells[1..].to_vec()));
        key
    }

    fn has(&self, key: &str) -> bool {
        self.index.contains_key(&(0, key.to_string()))
    }

    fn cell(&self, col: usize, key: &str) -> usize {
        self.index[&(col, key.to_string())]
    }

    /// In every column, `total` is the sum of `parts`.
    fn sum_in_each_column(&mut self, total: &str, parts: &[String]) {
        for col in 0..self.columns() {
            let t = self.cell(col, total);
            let p = parts.iter().map(|k| self.cell(col, k)).collect();
            self.table.sums.push((t, p));
        }
    }

    fn breakdown(&self, key: &str) -> Breakdown {
        let shown = |i: usize| (!self.table.hidden[i]).then_some(self.table.values[i]);
        let contexts = self.contexts.iter().enumerate().map(|(n, c)| {
            let id = if c.is_empty() { NO_CONTEXT.to_string() } else { c.clone() };
            (id, shown(self.cell(n + 1, key)))
        });
        Breakdown { all: shown(self.cell(0, key)), contexts: contexts.collect() }
    }
}

fn kind_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::SingleChoice { .. } => "single_choice",
        QuestionKind::MultipleChoice { .. } => "multiple_choice",
        QuestionKind::LikertMatrix { .. } => "likert_matrix",
        QuestionKind::FreeText { .. } => "free_text",
        QuestionKind::ValueTags => "value_tags",
    }
}

impl SurveyResults {
    /// The published results of `def` from its stored counters, suppressed with the survey's `k`.
    pub fn from_counts(def: &SurveyDefinition, counts: &TallyCounts) -> SurveyResults {
        let mut layout = Layout::new(def);
        let responses = layout.add(RESPONSES_KEY.to_string(), counts);
        let total = layout.table.values[layout.cell(0, &responses)];
        let k = u64::from(def.k);
        let mut results = SurveyResults {
            survey: def.id.clone(),
            version: def.version,
            title: def.title.clone(),
            k: def.k,
            responses: None,
            note: format!("fewer than {k} responses so far: results are shown once there are {k} or more"),
            contexts: vec![],
            questions: vec![],
        };
        if total < k {
            return results;
        }

        for q in &def.questions {
            let respondents = layout.add(question_key(&q.id), counts);
            // Everyone who is shown a required question answers it, so a reader knows its respondents
            // equal the number shown it: all responses, or those whose earlier answer opened it.
            if q.required {
                let shown_to = match &q.show_if {
                    None => Some(responses.clone()),
                    Some(ShowIf { question, equals: None }) => Some(question_key(question)),
                    Some(ShowIf { question, equals: Some(value) }) => {
                        [option_key(question, value), row_key(question, value)].into_iter().find(|k| layout.has(k))
                    }
                };
                if let Some(shown_to) = shown_to {
                    layout.sum_in_each_column(&shown_to, std::slice::from_ref(&respondents));
                }
            }
            match &q.kind {
                QuestionKind::SingleChoice { options } => {
                    let keys: Vec<String> =
                        options.iter().map(|o| layout.add(option_key(&q.id, &o.id), counts)).collect();
                    layout.sum_in_each_column(&respondents, &keys);
                }
                QuestionKind::MultipleChoice { .. } | QuestionKind::ValueTags => {
                    // People may choose several, so options do not sum to respondents: no sum to add.
                    for o in q.kind.option_ids() {
                        layout.add(option_key(&q.id, o), counts);
                    }
                }
                QuestionKind::LikertMatrix { rows, .. } => {
                    for r in rows {
                        let row = layout.add(row_key(&q.id, &r.id), counts);
                        let points: Vec<String> =
                            (1..=5).map(|p| layout.add(point_key(&q.id, &r.id, p), counts)).collect();
                        layout.sum_in_each_column(&row, &points);
                        if q.required {
                            layout.sum_in_each_column(&respondents, std::slice::from_ref(&row));
                        }
                    }
                }
                QuestionKind::FreeText { .. } => {}
            }
        }
        for (n, _) in layout.contexts.iter().enumerate() {
            let col = n + 1;
            let cells = layout.index.iter().filter(|((c, _), _)| *c == col).map(|(_, &i)| i).collect();
            let responses = layout.cell(col, RESPONSES_KEY);
            layout.table.columns.push(Column { responses, cells });
        }
        suppress(&mut layout.table, k);

        results.responses = Some(total);
        results.note = format!(
            "null means hidden: a count or group smaller than {k}, or a count hidden so that a smaller one cannot be worked out"
        );
        let context_breakdown = layout.breakdown(RESPONSES_KEY);
        results.contexts = def
            .contexts
            .iter()
            .map(|c| (c.id.clone(), c.label.clone()))
            .chain([(NO_CONTEXT.to_string(), "No context given".to_string())])
            .map(|(id, label)| ContextResults { responses: context_breakdown.contexts[&id], id, label })
            .collect();
        for q in &def.questions {
            let mut out = QuestionResults {
                id: q.id.clone(),
                prompt: q.prompt.clone(),
                kind: kind_name(&q.kind).to_string(),
                respondents: layout.breakdown(&question_key(&q.id)),
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
                            label: o.label.clone(),
                            counts: layout.breakdown(&option_key(&q.id, &o.id)),
                        })
                        .collect();
                }
                QuestionKind::ValueTags => {
                    out.options = crate::values::NhsValue::ALL
                        .iter()
                        .map(|v| OptionResults {
                            id: v.id().into(),
                            label: v.label().into(),
                            counts: layout.breakdown(&option_key(&q.id, v.id())),
                        })
                        .collect();
                }
                QuestionKind::LikertMatrix { rows, scale } => {
                    out.scale = scale.to_vec();
                    out.rows = rows
                        .iter()
                        .map(|r| RowResults {
                            id: r.id.clone(),
                            label: r.label.clone(),
                            respondents: layout.breakdown(&row_key(&q.id, &r.id)),
                            points: (1..=5).map(|p| layout.breakdown(&point_key(&q.id, &r.id, p))).collect(),
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
        let columns = (1..=cols).map(|c| Column { responses: idx[c][0], cells: idx[c].clone() }).collect();
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
