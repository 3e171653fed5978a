//! What may be published, decided in one place: every figure an admin can fetch — results per
//! version and combined, the survey list's total, and whether stories may be read at all — comes
//! from [`publish`].
//!
//! The unit of protection is a **group of people**: the responses to one version from one context
//! (or from pages that named no context). A group is shown for a question only when at least `k`
//! people in it answered that question, and then in full, small counts and zeros included.
//!
//! Every published figure is a sum over groups that are themselves shown, and nothing else: "All
//! staff" adds up the contexts shown, "all versions" adds up the versions' groups shown, and a
//! hidden group contributes to no figure at all. So no hidden group can be worked out from any pair
//! of figures — a total minus the rest, one view minus another, or figures fetched at different
//! times: a group's number of answers only grows, so a group hidden now was hidden before too, and
//! no figure ever fetched held any of it. (The price: a total leaves out the hidden groups, and says
//! so.)
//!
//! Two kinds of question are treated apart:
//! - **Stories** (free text, and the value tags and consent that go with it) are counted only for
//!   everyone, across all versions, and never by context or version, so that no story can be tied
//!   to where or when it was written. They are counted, listed and shown only from groups shown for
//!   their responses, and only once the survey has `k_text` responses in those groups.
//! - **`protect: cells`**: a group is also hidden when any of its answers to the question was
//!   chosen by 1 to `k` − 1 people.

use std::collections::{BTreeMap, HashSet};

use crate::definition::{Protect, Question, QuestionKind, SurveyDefinition, CONSENT_YES};
use crate::results::{
    Breakdown, Cell, ContextResults, Heading, OptionResults, QuestionResults, RowResults, Shares, SurveyResults,
    TallyCounts, ALL, NO_CONTEXT,
};
use crate::tally::TallyKey;
use crate::values::NhsValue;

/// One version's definition and its stored counters.
pub struct VersionCounts<'a> {
    pub definition: &'a SurveyDefinition,
    pub counts: &'a TallyCounts,
}

/// Everything about a survey that may leave the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    /// All versions together, under the current definition: each question adds up the versions
    /// that asked it the same way (listed in its `versions`).
    pub combined: SurveyResults,
    /// Each version on its own, oldest first.
    pub versions: Vec<SurveyResults>,
    /// Whether the survey's stories may be listed, downloaded, moderated and shown: it has at least
    /// `k_text` responses in the groups shown.
    pub stories: bool,
    /// The groups shown for their responses, as (version, context or "" for none): only their
    /// stories are ever listed, so that a list of stories minus the story figures says nothing about
    /// a hidden group.
    pub groups: HashSet<(u32, String)>,
}

impl Publication {
    /// Whether a story written in `version` from `context` may be listed (once `stories` allows).
    pub fn shows_story_from(&self, version: u32, context: Option<&str>) -> bool {
        self.stories && self.groups.contains(&(version, context.unwrap_or("").to_string()))
    }
}

/// What may be published of a survey, from the counters of each of its versions (oldest first; the
/// last is current). The survey's `k` is the largest any version asks for, and so is `k_text`.
pub fn publish(versions: &[VersionCounts]) -> Publication {
    let current = versions.last().expect("a survey has at least one version").definition;
    let k = versions.iter().map(|v| v.definition.k).max().unwrap_or(current.k);
    let k_text = versions.iter().map(|v| v.definition.text_threshold()).max().unwrap_or(k);
    let cells = versions
        .iter()
        .flat_map(|v| &v.definition.questions)
        .filter(|q| q.protect == Protect::Cells)
        .map(|q| q.id.as_str())
        .collect();
    let groups = Groups { versions, k: u64::from(k), cells };

    // The combined view: for each question, the versions that asked it as the current one does.
    let mut combined_def = current.clone();
    // Contexts of every version, so old responses in a since-retired context are counted.
    for v in versions {
        for c in &v.definition.contexts {
            if !combined_def.has_context(&c.id) {
                combined_def.contexts.push(c.clone());
            }
        }
    }
    let all_versions: Vec<usize> = (0..versions.len()).collect();
    let scopes = combined_def
        .questions
        .iter()
        .map(|q| {
            let same = (0..versions.len())
                .filter(|&i| versions[i].definition.question(&q.id).is_some_and(|p| same_question(p, q)));
            (q.id.clone(), same.collect())
        })
        .collect();
    let combined_view = View::new(&combined_def, scopes, all_versions);
    let mut combined = groups.results(&combined_view, k);
    combined.versions = versions.iter().map(|v| v.definition.version).collect();
    if versions.len() > 1 {
        for q in &mut combined.questions {
            q.versions = combined_view.scope_of(&q.id).iter().map(|&i| versions[i].definition.version).collect();
            if q.versions.len() < versions.len() {
                let list = q.versions.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                let s = if q.versions.len() > 1 { "s" } else { "" };
                q.versions_note = Some(format!("version{s} {list} only: the question changed"));
            }
        }
    }
    let per_version = (0..versions.len())
        .map(|i| {
            let def = versions[i].definition;
            let scopes = def.questions.iter().map(|q| (q.id.clone(), vec![i])).collect();
            groups.results(&View::new(def, scopes, vec![i]), k)
        })
        .collect();
    let stories = combined.responses.is_some_and(|n| n >= u64::from(k_text));
    let groups = (0..versions.len())
        .flat_map(|v| groups.contexts(v).map(move |c| (v, c)))
        .filter(|(v, c)| groups.shown(*v, c, None))
        .map(|(v, c)| (versions[v].definition.version, c.to_string()))
        .collect();
    Publication { combined, versions: per_version, stories, groups }
}

/// Whether a question is part of a story: free text, or the value tags or consent that go with it.
pub fn is_story(q: &Question) -> bool {
    matches!(q.kind, QuestionKind::FreeText { .. } | QuestionKind::ValueTags | QuestionKind::Consent { .. })
}

/// Whether a question asks the same thing in two versions, so their answers may be added up: the
/// same kind, option and row ids, limits, condition and requirement. Wording may differ, and so may
/// languages: a version that adds Welsh still counts with the English one before it. A free-text
/// question counts as the same whatever its word limit: it is counted only as stories written.
fn same_question(a: &Question, b: &Question) -> bool {
    let ids = |choices: &[crate::definition::Choice]| choices.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    let same_kind = match (&a.kind, &b.kind) {
        (QuestionKind::SingleChoice { options: x }, QuestionKind::SingleChoice { options: y }) => ids(x) == ids(y),
        (
            QuestionKind::MultipleChoice { options: x, max: mx },
            QuestionKind::MultipleChoice { options: y, max: my },
        ) => ids(x) == ids(y) && mx == my,
        (QuestionKind::LikertMatrix { rows: x, .. }, QuestionKind::LikertMatrix { rows: y, .. }) => ids(x) == ids(y),
        (QuestionKind::FreeText { .. }, QuestionKind::FreeText { .. }) => true,
        (QuestionKind::ValueTags, QuestionKind::ValueTags) => true,
        (QuestionKind::Consent { of: x, .. }, QuestionKind::Consent { of: y, .. }) => x == y,
        _ => false,
    };
    a.id == b.id && same_kind && a.show_if == b.show_if && a.required == b.required
}

/// The counters of a question's answers (not its respondents).
fn answer_keys(q: &Question) -> Vec<TallyKey> {
    match &q.kind {
        QuestionKind::LikertMatrix { rows, .. } => rows
            .iter()
            .flat_map(|r| {
                std::iter::once(TallyKey::Row(q.id.clone(), r.id.clone()))
                    .chain((1..=5).map(|p| TallyKey::Point(q.id.clone(), r.id.clone(), p)))
            })
            .collect(),
        kind => kind.option_ids().into_iter().map(|o| TallyKey::Chose(q.id.clone(), o.to_string())).collect(),
    }
}

/// The groups of a survey — (version, context) — and the rule for showing each.
struct Groups<'a> {
    versions: &'a [VersionCounts<'a>],
    k: u64,
    /// Questions that some version protects by cell.
    cells: HashSet<&'a str>,
}

/// One view of the results: its labels and questions, and which versions each question adds up.
struct View<'a> {
    def: &'a SurveyDefinition,
    /// For each question id: the versions whose groups it adds up.
    scopes: BTreeMap<String, Vec<usize>>,
    /// The versions whose responses the view counts.
    all_versions: Vec<usize>,
    /// Columns after "All staff": each context id (with "" for none) and its label.
    contexts: Vec<(String, String)>,
}

impl<'a> View<'a> {
    fn new(def: &'a SurveyDefinition, scopes: BTreeMap<String, Vec<usize>>, all_versions: Vec<usize>) -> View<'a> {
        let contexts = def
            .contexts
            .iter()
            .map(|c| (c.id.clone(), c.label.en.clone()))
            .chain([(String::new(), "No context given".to_string())])
            .collect();
        View { def, scopes, all_versions, contexts }
    }

    fn scope_of(&self, question: &str) -> &[usize] {
        self.scopes.get(question).map_or(&[], Vec::as_slice)
    }
}

/// A column's id as published: `_none` for responses without a context.
fn column_id(context: &str) -> String {
    if context.is_empty() {
        NO_CONTEXT.to_string()
    } else {
        context.to_string()
    }
}

impl Groups<'_> {
    fn count(&self, version: usize, context: &str, key: &TallyKey) -> u64 {
        self.versions[version].counts.get(&(context.to_string(), key.clone())).copied().unwrap_or(0)
    }

    /// The contexts a version's responses can carry, "" (none) last.
    fn contexts(&self, version: usize) -> impl Iterator<Item = &str> {
        self.versions[version].definition.contexts.iter().map(|c| c.id.as_str()).chain([""])
    }

    /// The rule: whether group (`version`, `context`) may show its figures for `question` (or, for
    /// `None`, its number of responses).
    fn shown(&self, version: usize, context: &str, question: Option<&Question>) -> bool {
        let Some(q) = question else {
            return self.count(version, context, &TallyKey::Responses) >= self.k;
        };
        if self.count(version, context, &TallyKey::Answered(q.id.clone())) < self.k {
            return false;
        }
        !self.cells.contains(q.id.as_str())
            || answer_keys(q).iter().all(|key| {
                let n = self.count(version, context, key);
                n == 0 || n >= self.k
            })
    }

    /// The groups in a column: every context of each version (`None`), or one context.
    fn column(&self, versions: &[usize], context: Option<&str>) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for &v in versions {
            for c in self.contexts(v) {
                if context.is_none_or(|want| want == c) {
                    out.push((v, c.to_string()));
                }
            }
        }
        out
    }

    /// A figure of a column: the sum over its groups that are shown; `None` when none is.
    fn sum(&self, groups: &[(usize, String)], question: Option<&Question>, key: &TallyKey) -> Cell {
        let shown: Vec<_> = groups.iter().filter(|(v, c)| self.shown(*v, c, question)).collect();
        (!shown.is_empty()).then(|| shown.iter().map(|(v, c)| self.count(*v, c, key)).sum())
    }

    /// A figure in every column of a view.
    fn breakdown(&self, view: &View, versions: &[usize], question: Option<&Question>, key: &TallyKey) -> Breakdown {
        if let Some(q) = question.filter(|q| is_story(q)) {
            return self.story_breakdown(view, versions, q, key);
        }
        let contexts = view.contexts.iter().map(|(id, _)| {
            let figure = self.sum(&self.column(versions, Some(id)), question, key);
            (column_id(id), figure)
        });
        Breakdown { all: self.sum(&self.column(versions, None), question, key), contexts: contexts.collect() }
    }

    /// A story's figures: for everyone across all versions only, from the groups shown for their
    /// responses (whose stories alone are listed), once `k` people in them wrote one.
    fn story_breakdown(&self, view: &View, versions: &[usize], q: &Question, key: &TallyKey) -> Breakdown {
        let mut everyone = self.column(versions, None);
        everyone.retain(|(v, c)| self.shown(*v, c, None));
        let total = |key: &TallyKey| everyone.iter().map(|(v, c)| self.count(*v, c, key)).sum::<u64>();
        let answered = total(&TallyKey::Answered(q.id.clone()));
        // A view of some versions only shows no story figure: all versions minus it would be another.
        let whole_survey = view.all_versions.len() == self.versions.len();
        let all = (whole_survey && answered >= self.k).then(|| total(key));
        Breakdown { all, contexts: view.contexts.iter().map(|(id, _)| (column_id(id), None)).collect() }
    }

    /// Why a column of a question is hidden.
    fn reason(&self, view: &View, q: &Question, versions: &[usize], column: Option<(&str, &str)>) -> String {
        let k = self.k;
        if is_story(q) {
            return match column {
                Some(_) => "stories are counted for everyone only, never by context, so that none can be tied to \
                            where it was written"
                    .into(),
                None if view.all_versions.len() < self.versions.len() => {
                    "stories are counted across all versions together only".into()
                }
                None => format!("fewer than {k} people answered this"),
            };
        }
        let or_cell = if self.cells.contains(q.id.as_str()) {
            format!(", or chose one of its answers fewer than {k} times")
        } else {
            String::new()
        };
        let each = if versions.len() > 1 { " in each version" } else { "" };
        match column {
            Some((_, label)) => format!("fewer than {k} people in {label} answered this{each}{or_cell}"),
            None => format!("no group has {k} or more people who answered this{each}{or_cell}"),
        }
    }

    /// One view's results.
    fn results(&self, view: &View, k: u32) -> SurveyResults {
        let def = view.def;
        let columns: Vec<Heading> = std::iter::once(Heading { id: ALL.into(), label: "All staff".into() })
            .chain(view.contexts.iter().map(|(id, label)| Heading { id: column_id(id), label: label.clone() }))
            .collect();
        let mut results = SurveyResults {
            survey: def.id.clone(),
            version: def.version,
            title: def.title.en.clone(),
            k,
            responses: None,
            note: format!(
                "No group has {k} or more responses yet. Results are shown for each group (a context, or \
                 everyone without one) once it has {k} or more, so that nobody can be singled out."
            ),
            hidden_label: "hidden".into(),
            versions: vec![],
            columns: columns.clone(),
            contexts: vec![],
            questions: vec![],
            downloads: vec![],
        };
        let responses = self.breakdown(view, &view.all_versions, None, &TallyKey::Responses);
        if responses.all.is_none() {
            return results;
        }
        results.responses = responses.all;
        results.note = format!(
            "A group (the responses from one context, in one version) is shown for a question once {k} or \
             more people in it answered the question, with every answer, small numbers included. A group \
             with fewer is hidden, and every total (All staff, and all versions together) adds up only the \
             groups shown, so that a hidden group can never be worked out from what is shown, now or later. \
             Stories are counted for everyone only."
        );
        let each = if view.all_versions.len() > 1 { " in each version" } else { "" };
        results.contexts = view
            .contexts
            .iter()
            .map(|(id, label)| {
                let responses = responses.get(&column_id(id));
                let hidden = responses.is_none().then(|| format!("fewer than {k} responses from {label}{each}"));
                ContextResults { id: column_id(id), label: label.clone(), responses, hidden }
            })
            .collect();
        for q in &def.questions {
            results.questions.push(self.question(view, q, view.scope_of(&q.id), &columns));
        }
        results
    }

    fn question(&self, view: &View, q: &Question, versions: &[usize], columns: &[Heading]) -> QuestionResults {
        let figure = |key: TallyKey| self.breakdown(view, versions, Some(q), &key);
        let respondents = figure(TallyKey::Answered(q.id.clone()));
        let option = |id: &str, label: &str| {
            let counts = figure(TallyKey::Chose(q.id.clone(), id.to_string()));
            OptionResults { id: id.into(), label: label.into(), shares: Shares::of(&counts, &respondents), counts }
        };
        let mut out = QuestionResults {
            id: q.id.clone(),
            prompt: q.prompt.en.clone(),
            kind: kind_name(&q.kind).to_string(),
            versions: vec![],
            versions_note: None,
            respondents: respondents.clone(),
            options: vec![],
            rows: vec![],
            scale: vec![],
            score_label: None,
            positive: None,
            score: None,
            hidden: BTreeMap::new(),
            notes: BTreeMap::new(),
            table: vec![],
        };
        match &q.kind {
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                out.options = options.iter().map(|o| option(&o.id, &o.label.en)).collect();
            }
            QuestionKind::ValueTags => {
                out.options = NhsValue::ALL.iter().map(|v| option(v.id(), v.label())).collect();
            }
            QuestionKind::Consent { label, .. } => out.options = vec![option(CONSENT_YES, &label.en)],
            QuestionKind::LikertMatrix { rows, scale } => {
                out.scale = scale.iter().map(|s| s.en.clone()).collect();
                out.score_label = Some(either(&scale[3].en, &scale[4].en));
                out.rows = rows
                    .iter()
                    .map(|r| {
                        let respondents = figure(TallyKey::Row(q.id.clone(), r.id.clone()));
                        let points: Vec<Breakdown> =
                            (1..=5).map(|p| figure(TallyKey::Point(q.id.clone(), r.id.clone(), p))).collect();
                        let positive = add(&points[3], &points[4]);
                        RowResults {
                            id: r.id.clone(),
                            label: r.label.en.clone(),
                            shares: points.iter().map(|p| Shares::of(p, &respondents)).collect(),
                            score: Shares::of(&positive, &respondents),
                            positive,
                            points,
                            respondents,
                        }
                    })
                    .collect();
            }
            QuestionKind::FreeText { .. } => {}
        }
        if !q.positive.is_empty() {
            let chosen: Vec<&OptionResults> = out.options.iter().filter(|o| q.positive.contains(&o.id)).collect();
            if let Some(first) = chosen.first() {
                let positive = chosen[1..].iter().fold(first.counts.clone(), |sum, o| add(&sum, &o.counts));
                let labels: Vec<&str> = chosen.iter().map(|o| o.label.as_str()).collect();
                out.score_label = Some(labels[1..].iter().fold(labels[0].to_string(), |s, l| either(&s, l)));
                out.score = Some(Shares::of(&positive, &respondents));
                out.positive = Some(positive);
            }
        }
        // Why each hidden column is hidden, and what each shown total leaves out.
        let mut hidden_contexts = Vec::new();
        for (id, label) in &view.contexts {
            let column = column_id(id);
            if respondents.get(&column).is_none() {
                out.hidden.insert(column, self.reason(view, q, versions, Some((id, label))));
                hidden_contexts.push(label.clone());
            } else if versions.len() > 1 {
                let left_out: Vec<String> = self
                    .column(versions, Some(id))
                    .iter()
                    .filter(|(v, c)| !self.shown(*v, c, Some(q)))
                    .map(|(v, _)| self.versions[*v].definition.version.to_string())
                    .collect();
                if !left_out.is_empty() {
                    let s = if left_out.len() > 1 { "s" } else { "" };
                    out.notes.insert(
                        column.clone(),
                        format!(
                            "leaves out version{s} {}, where fewer than {} people in {label} answered this",
                            left_out.join(", "),
                            self.k
                        ),
                    );
                    hidden_contexts.push(format!("{label} (version{s} {})", left_out.join(", ")));
                }
            }
        }
        if respondents.all.is_none() {
            out.hidden.insert(ALL.into(), self.reason(view, q, versions, None));
        } else if !is_story(q) && !hidden_contexts.is_empty() {
            out.notes.insert(
                ALL.into(),
                format!("adds up only the groups shown; it leaves out {}", hidden_contexts.join("; ")),
            );
        }
        out.fill_table(columns);
        out
    }
}

/// "Agree" and "Strongly agree" → "Agree or strongly agree".
fn either(a: &str, b: &str) -> String {
    let mut chars = b.chars();
    let b = chars.next().map(|c| c.to_lowercase().chain(chars).collect::<String>()).unwrap_or_default();
    format!("{a} or {b}")
}

/// Two breakdowns of the same groups, added column by column.
fn add(a: &Breakdown, b: &Breakdown) -> Breakdown {
    let plus = |x: Cell, y: Cell| Some(x? + y?);
    Breakdown {
        all: plus(a.all, b.all),
        contexts: a.contexts.iter().map(|(c, &x)| (c.clone(), plus(x, b.get(c)))).collect(),
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

impl SurveyResults {
    /// The published results of a survey with one version, from its stored counters.
    pub fn from_counts(def: &SurveyDefinition, counts: &TallyCounts) -> SurveyResults {
        publish(&[VersionCounts { definition: def, counts }]).versions.remove(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_survey::constitution;
    use crate::response::{SubmissionId, SurveyResponse};
    use crate::tally::tally_keys;

    fn add(counts: &mut TallyCounts, context: &str, answers: serde_json::Value, times: usize) {
        add_to(&constitution(), counts, context, answers, times)
    }

    fn add_to(
        def: &SurveyDefinition,
        counts: &mut TallyCounts,
        context: &str,
        answers: serde_json::Value,
        times: usize,
    ) {
        let response = SurveyResponse {
            submission_id: SubmissionId([0; 16]),
            survey_version: def.version,
            context: (!context.is_empty()).then(|| context.to_string()),
            answers: serde_json::from_value(answers).unwrap(),
        };
        assert_eq!(crate::validate::validate(def, &response), vec![]);
        for key in tally_keys(def, &response) {
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

    fn question<'a>(r: &'a SurveyResults, id: &str) -> &'a QuestionResults {
        r.questions.iter().find(|q| q.id == id).unwrap()
    }

    fn option<'a>(r: &'a SurveyResults, q: &str, option: &str) -> &'a Breakdown {
        &question(r, q).options.iter().find(|o| o.id == option).unwrap().counts
    }

    #[test]
    fn no_group_of_k_shows_nothing() {
        let mut counts = TallyCounts::new();
        add(&mut counts, "estates", answers("not_heard", "compassion"), 9);
        let r = SurveyResults::from_counts(&constitution(), &counts);
        assert_eq!(r.responses, None);
        assert!(r.questions.is_empty() && r.contexts.is_empty());
        assert!(r.note.starts_with("No group has 10 or more responses"), "{}", r.note);
    }

    #[test]
    fn a_shown_group_shows_every_answer_small_ones_and_zeros_included() {
        let mut counts = TallyCounts::new();
        add(&mut counts, "estates", answers("not_heard", "compassion"), 2);
        add(&mut counts, "estates", answers("know_whats_in_it", "compassion"), 30);
        add(&mut counts, "clinical", answers("know_whats_in_it", "compassion"), 40);
        let r = SurveyResults::from_counts(&constitution(), &counts);
        assert_eq!(r.responses, Some(72));
        let nh = option(&r, "awareness", "not_heard");
        assert_eq!((nh.all, nh.contexts["estates"], nh.contexts["clinical"]), (Some(2), Some(2), Some(0)));
        assert_eq!(option(&r, "awareness", "heard_not_content").all, Some(0));
        let share = &question(&r, "awareness").options[0].shares;
        assert_eq!(share.contexts["estates"], Some(6.3), "2 of 32");
        // Every row of the matrix is drawn, with its score: points 4 and 5.
        let matrix = question(&r, "values_lived");
        assert_eq!(matrix.score_label.as_deref(), Some("Often or always"));
        for row in &matrix.rows {
            assert!(row.points.iter().all(|p| p.all.is_some()), "{}", row.id);
        }
        let improving = matrix.rows.iter().find(|r| r.id == "improving_lives").unwrap();
        assert_eq!((improving.positive.all, improving.score.all), (Some(0), Some(0.0)));
        let compassion = matrix.rows.iter().find(|r| r.id == "compassion").unwrap();
        assert_eq!((compassion.positive.all, compassion.score.all), (Some(72), Some(100.0)));
        let purpose = question(&r, "shared_purpose");
        assert_eq!(purpose.score_label.as_deref(), Some("Agree or strongly agree"));
        assert_eq!(purpose.score.as_ref().unwrap().all, Some(100.0));
        for id in ["awareness", "values_lived", "focus_value", "shared_purpose"] {
            let hidden = &question(&r, id).hidden;
            assert!(["all", "estates", "clinical"].iter().all(|c| !hidden.contains_key(*c)), "{id}: {hidden:?}");
        }
    }

    #[test]
    fn a_small_group_is_hidden_everywhere_and_no_total_counts_it() {
        let mut counts = TallyCounts::new();
        add(&mut counts, "estates", answers("not_heard", "compassion"), 3);
        add(&mut counts, "clinical", answers("know_whats_in_it", "compassion"), 15);
        add(&mut counts, "corporate", answers("know_whats_in_it", "compassion"), 20);
        let r = SurveyResults::from_counts(&constitution(), &counts);
        let ctx: BTreeMap<_, _> = r.contexts.iter().map(|c| (c.id.as_str(), c.responses)).collect();
        assert_eq!((ctx["estates"], ctx["clinical"], ctx["corporate"]), (None, Some(15), Some(20)));
        assert_eq!(r.responses, Some(35), "All staff adds up the groups shown: 15 + 20");
        assert_eq!(option(&r, "awareness", "not_heard").all, Some(0), "estates' 3 are in no figure");
        for q in &r.questions {
            assert_eq!(q.respondents.contexts["estates"], None, "{}", q.id);
            if q.respondents.all.is_some() && !is_story(constitution().question(&q.id).unwrap()) {
                assert!(q.notes["all"].contains("Estates and facilities"), "{}: {:?}", q.id, q.notes);
            }
        }
        assert_eq!(
            question(&r, "awareness").hidden["estates"],
            "fewer than 10 people in Estates and facilities answered this"
        );
        assert_eq!(
            r.contexts.iter().find(|c| c.id == "estates").unwrap().hidden.as_deref(),
            Some("fewer than 10 responses from Estates and facilities")
        );
    }

    #[test]
    fn story_figures_are_for_everyone_only_so_no_zero_gives_a_writer_away() {
        // 60 responses in estates, 4 of them with a story all tagged compassion.
        let mut counts = TallyCounts::new();
        let mut with_story = answers("know_whats_in_it", "compassion");
        with_story["story"] = "We stayed late.".into();
        with_story["story_values"] = serde_json::json!(["compassion"]);
        add(&mut counts, "estates", with_story, 4);
        add(&mut counts, "estates", answers("know_whats_in_it", "compassion"), 56);
        let r = SurveyResults::from_counts(&constitution(), &counts);
        for id in ["story", "story_values", "story_consent"] {
            let q = question(&r, id);
            assert!(q.respondents.contexts.values().all(Option::is_none), "{id}");
            assert_eq!(q.respondents.all, None, "{id}: 4 writers in all is fewer than 10");
            for o in &q.options {
                assert!(o.counts.all.is_none() && o.counts.contexts.values().all(Option::is_none), "{id}");
            }
        }
        assert!(question(&r, "story_values").hidden["estates"].contains("never by context"));
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
        add_to(&v2, &mut c2, "estates", answers("know_whats_in_it", "everyone_counts"), 15);
        let all =
            publish(&[VersionCounts { definition: &v1, counts: &c1 }, VersionCounts { definition: &v2, counts: &c2 }]);
        assert_eq!((all.versions[0].responses, all.versions[1].responses), (Some(12), Some(15)));
        let combined = &all.combined;
        assert_eq!(
            (combined.responses, combined.versions.clone(), combined.title.as_str()),
            (Some(27), vec![1, 2], "Our NHS values, second round")
        );
        assert_eq!(question(combined, "focus_value").versions, vec![1, 2]);
        assert_eq!(question(combined, "focus_value").respondents.all, Some(27));
        assert_eq!(question(combined, "awareness").versions, vec![2]);
        assert_eq!(
            question(combined, "awareness").versions_note.as_deref(),
            Some("version 2 only: the question changed")
        );
        assert_eq!(question(combined, "awareness").respondents.all, Some(15));
    }

    #[test]
    fn a_figure_shown_before_a_new_version_cannot_be_subtracted_from_a_later_total() {
        // Version 1: estates shows 20 "not heard of it".
        let (v1, v2) = (constitution(), constitution_v2());
        let mut c1 = TallyCounts::new();
        add(&mut c1, "estates", answers("not_heard", "compassion"), 20);
        add(&mut c1, "clinical", answers("know_whats_in_it", "compassion"), 20);
        let before = publish(&[VersionCounts { definition: &v1, counts: &c1 }]);
        assert_eq!(option(&before.combined, "awareness", "not_heard").contexts["estates"], Some(20));
        // Version 2: 8 more estates responses, all "not heard": a group of 8, hidden.
        let mut c2 = TallyCounts::new();
        add_to(&v2, &mut c2, "estates", answers("not_heard", "compassion"), 8);
        add_to(&v2, &mut c2, "clinical", answers("know_whats_in_it", "compassion"), 22);
        let after =
            publish(&[VersionCounts { definition: &v1, counts: &c1 }, VersionCounts { definition: &v2, counts: &c2 }]);
        assert_eq!(option(&after.versions[1], "awareness", "not_heard").contexts["estates"], None);
        // All versions add up only the groups shown: estates still reads 20, never 28.
        let combined = option(&after.combined, "awareness", "not_heard");
        assert_eq!((combined.contexts["estates"], combined.all), (Some(20), Some(20)));
        assert_eq!(after.combined.responses, Some(62), "20 + 20 + 22, without the 8");
        let note = &question(&after.combined, "awareness").notes["estates"];
        assert!(note.contains("leaves out version 2"), "{note}");
    }

    /// Version 2 asks the same questions as version 1.
    fn constitution_v2() -> SurveyDefinition {
        let mut v2 = constitution();
        v2.version = 2;
        v2
    }

    #[test]
    fn protect_cells_also_hides_a_group_with_a_small_answer() {
        let mut def = constitution();
        def.questions[0].protect = Protect::Cells;
        let mut counts = TallyCounts::new();
        add_to(&def, &mut counts, "estates", answers("not_heard", "compassion"), 2);
        add_to(&def, &mut counts, "estates", answers("know_whats_in_it", "compassion"), 30);
        add_to(&def, &mut counts, "clinical", answers("know_whats_in_it", "compassion"), 40);
        let r = SurveyResults::from_counts(&def, &counts);
        let awareness = question(&r, "awareness");
        assert_eq!(awareness.respondents.contexts["estates"], None, "2 chose not_heard in estates");
        assert!(awareness.hidden["estates"].contains("fewer than 10 times"));
        assert_eq!(option(&r, "awareness", "not_heard").all, Some(0), "estates adds nothing to All staff");
        assert_eq!(option(&r, "awareness", "know_whats_in_it").all, Some(40));
        // Other questions keep showing estates in full.
        assert_eq!(question(&r, "focus_value").respondents.contexts["estates"], Some(32));
    }

    #[test]
    fn stories_need_k_text_responses_in_the_groups_shown() {
        let mut def = constitution();
        def.k_text = Some(20);
        let mut counts = TallyCounts::new();
        add_to(&def, &mut counts, "estates", answers("know_whats_in_it", "compassion"), 15);
        add_to(&def, &mut counts, "clinical", answers("know_whats_in_it", "compassion"), 4);
        let publication = |counts: &TallyCounts| publish(&[VersionCounts { definition: &def, counts }]);
        assert!(!publication(&counts).stories, "15 shown (the 4 are hidden): below 20");
        add_to(&def, &mut counts, "clinical", answers("know_whats_in_it", "compassion"), 6);
        assert!(publication(&counts).stories, "15 + 10 shown");
    }
}
