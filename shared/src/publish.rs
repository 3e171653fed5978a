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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::definition::{Protect, Question, QuestionKind, SurveyDefinition, CONSENT_YES};
use crate::results::{
    Breakdown, Cell, ContextResults, Heading, OptionResults, PerContext, QuestionResults, ResponseRate, RowResults,
    ScoreResults, Shares, SurveyResults, TallyCounts, ALL, DIVISION_PREFIX, NO_CONTEXT,
};
use crate::score::{Estimate, Score};
use crate::sentence::Sentence;
use crate::tally::TallyKey;
use crate::values::NhsValue;
use crate::wave::{Headcount, Wave, NO_WAVE};
use crate::{Lang, Text};

/// The id under which results name the responses from before a survey had waves.
pub const BEFORE_WAVES: &str = "_before";

/// One version's definition and its stored counters, by wave.
pub struct VersionCounts<'a> {
    pub definition: &'a SurveyDefinition,
    /// The counters of each wave the version's responses arrived in, by wave id ([`NO_WAVE`] for
    /// responses from before the survey had waves).
    pub waves: Vec<(&'a str, &'a TallyCounts)>,
}

impl<'a> VersionCounts<'a> {
    /// A version of a survey that has never had waves.
    pub fn new(definition: &'a SurveyDefinition, counts: &'a TallyCounts) -> VersionCounts<'a> {
        VersionCounts { definition, waves: vec![(NO_WAVE, counts)] }
    }
}

/// Everything about a survey that may leave the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    /// All versions and waves together, under the current definition: each question adds up the
    /// versions that asked it the same way (listed in its `versions`).
    pub combined: SurveyResults,
    /// Each version on its own (all waves), oldest first.
    pub versions: Vec<SurveyResults>,
    /// Each wave on its own (all versions, combined as in `combined`), in the order they ran; the
    /// responses from before the survey had waves first, as wave [`BEFORE_WAVES`], when there are
    /// any. Empty for a survey without waves.
    pub waves: Vec<SurveyResults>,
    /// Whether the survey's stories may be listed, downloaded, moderated and shown: it has at least
    /// `k_text` responses in the groups shown.
    pub stories: bool,
    /// The groups shown for their responses, as (version, wave id or "", context or ""): only their
    /// stories are ever listed, so that a list of stories minus the story figures says nothing about
    /// a hidden group.
    pub groups: HashSet<(u32, String, String)>,
}

impl Publication {
    /// Whether a story written in `version`, in wave `wave` ("" for none), from `context` may be
    /// listed (once `stories` allows).
    pub fn shows_story_from(&self, version: u32, wave: &str, context: Option<&str>) -> bool {
        self.stories && self.groups.contains(&(version, wave.to_string(), context.unwrap_or("").to_string()))
    }

    /// One wave's results, by its published id.
    pub fn wave(&self, id: &str) -> Option<&SurveyResults> {
        self.waves.iter().find(|r| r.wave.as_ref().is_some_and(|w| w.id == id))
    }
}

/// What may be published of a survey on `today`, from the released counters of each of its versions
/// (oldest first; the last is current), its waves (in any order) and the headcounts recorded for
/// them. The survey's `k` is the largest any version asks for ([`survey_k`]), and so is `k_text`.
///
/// The counters given are what has been **released**, so that no output moves by fewer than `k`
/// people in any group (see [`release_due`]):
/// - a wave's counters are its live ones: while it is open (today is one of its days) only its
///   number of responses is used, in its own view ("still open"), and none of its answers
///   anywhere; once it closes no response can join it, and it is released in full;
/// - the counters without a wave (a survey without waves, or the responses from before its first
///   wave) are the snapshot the store took at the group's last release.
pub fn publish(
    versions: &[VersionCounts],
    waves: &[Wave],
    headcounts: &[Headcount],
    today: crate::Date,
) -> Publication {
    let current = versions.last().expect("a survey has at least one version").definition;
    let k = survey_k(versions.iter().map(|v| v.definition));
    let k_text = versions.iter().map(|v| v.definition.text_threshold()).max().unwrap_or(k);
    let cells = versions
        .iter()
        .flat_map(|v| &v.definition.questions)
        .filter(|q| q.protect == Protect::Cells)
        .map(|q| q.id.as_str())
        .collect();
    // The waves in the order they ran, after the responses from before the survey had waves (a
    // survey without waves has only those). That wave is there whether or not any such responses
    // exist, so that its being listed says nothing; it is left out of the per-wave results only
    // when it shows no response.
    let mut ordered: Vec<Wave> = waves.to_vec();
    ordered.sort_by_key(|w| w.opens);
    let day = crate::Date::from_days_since_epoch(0);
    let label = if ordered.is_empty() { "All responses" } else { before_waves(Lang::En) };
    ordered.insert(0, Wave { id: NO_WAVE.into(), label: label.into(), opens: day, closes: day });
    // A wave that has not opened yet holds nothing; one that has closed can take nothing more.
    let open: Vec<bool> = ordered.iter().map(|w| w.id != NO_WAVE && w.holds(today)).collect();
    let groups = Groups::new(versions, &ordered, &open, u64::from(k), cells);

    // The combined view: for each question, the versions that asked it as the current one does.
    let mut combined_def = current.clone();
    // Contexts of every version, so old responses in a since-retired context are counted, and the
    // divisions they were in.
    for v in versions {
        for c in &v.definition.contexts {
            if !combined_def.has_context(&c.id) {
                combined_def.contexts.push(c.clone());
            }
        }
        for d in &v.definition.divisions {
            if !combined_def.divisions.iter().any(|x| x.id == d.id) {
                combined_def.divisions.push(d.clone());
            }
        }
    }
    let all_versions: Vec<usize> = (0..versions.len()).collect();
    let all_waves: Vec<usize> = (0..ordered.len()).collect();
    let scopes: BTreeMap<String, Vec<usize>> = combined_def
        .questions
        .iter()
        .map(|q| {
            let same = (0..versions.len())
                .filter(|&i| versions[i].definition.question(&q.id).is_some_and(|p| same_question(p, q)));
            (q.id.clone(), same.collect())
        })
        .collect();
    let combined_view = View::new(&combined_def, scopes.clone(), all_versions.clone(), all_waves.clone());
    let mut combined = groups.results(&combined_view, k);
    let version_notes = |results: &mut SurveyResults| {
        results.versions = versions.iter().map(|v| v.definition.version).collect();
        if versions.len() > 1 {
            for q in &mut results.questions {
                q.versions = combined_view.scope_of(&q.id).iter().map(|&i| versions[i].definition.version).collect();
                if q.versions.len() < versions.len() {
                    let list = q.versions.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                    let many = q.versions.len() > 1;
                    q.versions_note = Some(Sentence::new(|l| match l {
                        Lang::En => format!("version{} {list} only: the question changed", if many { "s" } else { "" }),
                        Lang::Cy => format!(
                            "{} {list} yn unig: newidiodd y cwestiwn",
                            if many { "fersiynau" } else { "fersiwn" }
                        ),
                    }));
                }
            }
        }
    };
    version_notes(&mut combined);
    let per_version = (0..versions.len())
        .map(|i| {
            let def = versions[i].definition;
            let scopes = def.questions.iter().map(|q| (q.id.clone(), vec![i])).collect();
            groups.results(&View::new(def, scopes, vec![i], all_waves.clone()), k)
        })
        .collect();
    // A survey without waves has one pseudo-wave holding everything: no per-wave results.
    let has_waves = !waves.is_empty();
    let per_wave = all_waves
        .iter()
        .filter(|_| has_waves)
        .map(|&w| {
            let mut view = View::new(&combined_def, scopes.clone(), all_versions.clone(), vec![w]);
            view.counts_only = open[w];
            let mut results = groups.results(&view, k);
            version_notes(&mut results);
            let wave = &ordered[w];
            results.wave = Some(crate::results::WaveHeading {
                id: if wave.id.is_empty() { BEFORE_WAVES.into() } else { wave.id.clone() },
                label: wave.label.en.clone(),
                opens: (!wave.id.is_empty()).then_some(wave.opens),
                closes: (!wave.id.is_empty()).then_some(wave.closes),
                open: open[w],
            });
            add_rates(&mut results, &wave.id, headcounts);
            results
        })
        .filter(|r| r.responses.is_some() || r.wave.as_ref().is_some_and(|w| w.id != BEFORE_WAVES))
        .collect();
    let stories = combined.responses.is_some_and(|n| n >= u64::from(k_text));
    let shown_groups = groups
        .all
        .iter()
        .enumerate()
        .filter(|(g, group)| !open[group.wave] && groups.shown(*g, None))
        .map(|(_, g)| (versions[g.version].definition.version, ordered[g.wave].id.clone(), g.context.to_string()))
        .collect();
    Publication { combined, versions: per_version, waves: per_wave, stories, groups: shown_groups }
}

/// The `k` a survey's groups are judged by: the largest any of its versions asks for.
pub fn survey_k<'a>(versions: impl IntoIterator<Item = &'a SurveyDefinition>) -> u32 {
    versions.into_iter().map(|d| d.k).max().unwrap_or(crate::definition::DEFAULT_K)
}

/// Whether a group without a wave that has `live` responses, of which `released` were in its last
/// release, is due a new one: at least `k` people have answered since. The store takes the new
/// snapshot in the same transaction as the response that makes it due, so every output built from
/// releases moves by at least `k` people in each group that changed, never by one arrival.
pub fn release_due(live: u64, released: u64, k: u32) -> bool {
    live >= released + u64::from(k)
}

/// Response rates beside a wave's counts: each context's responses over its headcount, and "All
/// staff" over the sum of the headcounts given. A rate is shown only where the count is, and one
/// above 100% is flagged as a headcount error rather than drawn.
fn add_rates(results: &mut SurveyResults, wave: &str, headcounts: &[Headcount]) {
    let given: Vec<&Headcount> = headcounts.iter().filter(|h| h.wave == wave && !wave.is_empty()).collect();
    let rate = |responses: Option<u64>, headcount: Option<u64>| {
        let (rate, rate_problem) = match (responses, headcount) {
            (Some(n), Some(h)) if h > 0 && n <= h => (Some((1000.0 * n as f64 / h as f64).round() / 10.0), None),
            (Some(n), Some(h)) => (
                None,
                Some(Sentence::new(|l| match l {
                    Lang::En => format!("{n} responses against a headcount of {h}: check the headcount"),
                    Lang::Cy => format!("{n} o ymatebion yn erbyn nifer staff o {h}: gwiriwch y nifer staff"),
                })),
            ),
            _ => (None, None),
        };
        ResponseRate { headcount, rate, rate_problem }
    };
    let headcount = |id: &str| given.iter().find(|h| h.context == id).map(|h| h.headcount);
    // A division's headcount is its shown contexts' (the people its responses are from), given
    // only when each of them has one.
    let shown: HashSet<String> = results
        .contexts
        .iter()
        .filter(|c| c.adds_up.is_empty() && c.responses.is_some())
        .map(|c| c.id.clone())
        .collect();
    for c in &mut results.contexts {
        let headcount = match c.adds_up.is_empty() {
            true => headcount(&c.id),
            false if c.responses.is_none() => None,
            false => c.adds_up.iter().filter(|id| shown.contains(*id)).map(|id| headcount(id)).sum(),
        };
        c.rate = rate(c.responses, headcount);
    }
    if !given.is_empty() {
        results.rate = rate(results.responses, Some(given.iter().map(|h| h.headcount).sum()));
    }
}

/// Whether a question is part of a story: free text, or the value tags or consent that go with it.
pub fn is_story(q: &Question) -> bool {
    matches!(q.kind, QuestionKind::FreeText { .. } | QuestionKind::ValueTags | QuestionKind::Consent { .. })
}

/// Whether a question kind, as results name it, is part of a story.
pub fn is_story_kind(kind: &str) -> bool {
    matches!(kind, "free_text" | "value_tags" | "consent")
}

/// Whether a question asks the same thing in two versions, so their answers may be added up: the
/// same kind, option and row ids, limits, condition and requirement. Wording may differ, and so may
/// languages: a version that adds Welsh still counts with the English one before it. A free-text
/// question counts as the same whatever its word limit: it is counted only as stories written.
pub(crate) fn same_question(a: &Question, b: &Question) -> bool {
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

/// One group of people: the responses to one version, in one wave, from one context.
struct Group<'a> {
    version: usize,
    /// Its position in the waves in the order they ran.
    wave: usize,
    context: &'a str,
    counts: HashMap<&'a TallyKey, u64>,
}

/// The groups of a survey — (version, wave, context) — and the rule for showing each.
struct Groups<'a> {
    versions: &'a [VersionCounts<'a>],
    waves: usize,
    /// Whether each wave (in the order they ran) is still open: its groups count only in its own
    /// view, and only their number of responses.
    open: Vec<bool>,
    all: Vec<Group<'a>>,
    k: u64,
    /// Questions that some version protects by cell.
    cells: HashSet<&'a str>,
    /// Whether each group is shown for each question (by id; "" for its number of responses),
    /// decided once per group.
    shown: std::cell::RefCell<Vec<HashMap<String, bool>>>,
}

/// The groups a question shows in each column of a view: everyone, and each context by its
/// published id. A context's shown groups are among everyone's, so "All staff" adds up exactly the
/// contexts shown.
struct ShownColumns {
    all: Vec<usize>,
    /// The view's column ids, and the groups of each.
    ids: Arc<[String]>,
    contexts: Vec<Vec<usize>>,
}

/// A column of a view after "All staff": a context (or the responses without one), or a division
/// adding up the groups of its contexts.
struct Column {
    /// Its id as published.
    id: String,
    label: Text,
    /// The contexts whose groups it adds up, by their ids in the definition ("" for none): one for
    /// a context, a division's contexts for a division.
    members: Vec<String>,
    /// For a division: true. Its figures add up only the groups shown, as "All staff" does, so they
    /// are the sums of its contexts' shown figures and say nothing those do not.
    division: bool,
    /// For a context: its division's column id.
    part_of: Option<String>,
}

/// One view of the results: its labels and questions, and which versions and waves it adds up.
struct View<'a> {
    def: &'a SurveyDefinition,
    /// For each question id: the versions whose groups it adds up.
    scopes: BTreeMap<String, Vec<usize>>,
    /// The versions whose responses the view counts.
    all_versions: Vec<usize>,
    /// The waves whose responses the view counts.
    waves: Vec<usize>,
    /// Columns after "All staff": each division, then each context, then the responses without one.
    columns: Vec<Column>,
    /// Those columns' published ids, sorted (as every figure of the view holds them), with the
    /// contexts each adds up.
    ids: Arc<[String]>,
    members: Vec<Vec<String>>,
    /// The view of a wave still open: its numbers of responses, and none of its answers.
    counts_only: bool,
}

impl<'a> View<'a> {
    fn new(
        def: &'a SurveyDefinition,
        scopes: BTreeMap<String, Vec<usize>>,
        all_versions: Vec<usize>,
        waves: Vec<usize>,
    ) -> View<'a> {
        let divisions = def.divisions.iter().filter_map(|d| {
            let members: Vec<String> = def.contexts_of(&d.id).map(|c| c.id.clone()).collect();
            (!members.is_empty()).then(|| Column {
                id: division_column(&d.id),
                label: d.label.clone(),
                members,
                division: true,
                part_of: None,
            })
        });
        let contexts = def.contexts.iter().map(|c| Column {
            id: column_id(&c.id),
            label: c.label.clone(),
            members: vec![c.id.clone()],
            division: false,
            part_of: c.division.as_deref().filter(|d| def.divisions.iter().any(|x| x.id == *d)).map(division_column),
        });
        let none = Column {
            id: NO_CONTEXT.into(),
            label: Text::both("No context given", "Dim cyd-destun wedi'i roi"),
            members: vec![String::new()],
            division: false,
            part_of: None,
        };
        let columns: Vec<Column> = divisions.chain(contexts).chain([none]).collect();
        let ids = PerContext::<Cell>::ids(columns.iter().map(|c| c.id.clone()));
        let members = ids.iter().map(|id| columns.iter().find(|c| &c.id == id).unwrap().members.clone()).collect();
        View { def, scopes, all_versions, waves, columns, ids, members, counts_only: false }
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

/// A division's column id as published: `division:` and its id, which no context id can be.
pub fn division_column(division: &str) -> String {
    format!("{DIVISION_PREFIX}{division}")
}

impl<'a> Groups<'a> {
    fn new(
        versions: &'a [VersionCounts<'a>],
        waves: &[Wave],
        open: &[bool],
        k: u64,
        cells: HashSet<&'a str>,
    ) -> Groups<'a> {
        let mut all = Vec::new();
        for (v, counts) in versions.iter().enumerate() {
            for (w, wave) in waves.iter().enumerate() {
                let first = all.len();
                let contexts = counts.definition.contexts.iter().map(|c| c.id.as_str()).chain([""]);
                all.extend(contexts.map(|context| Group { version: v, wave: w, context, counts: HashMap::new() }));
                let tallies = counts.waves.iter().find(|(id, _)| *id == wave.id).map(|(_, c)| *c);
                for ((c, key), n) in tallies.into_iter().flatten() {
                    // A counter of a context the version does not list belongs to no group.
                    if let Some(group) = all[first..].iter_mut().find(|g| g.context == c) {
                        group.counts.insert(key, *n);
                    }
                }
            }
        }
        Groups {
            versions,
            waves: waves.len(),
            open: open.to_vec(),
            shown: std::cell::RefCell::new(vec![HashMap::new(); all.len()]),
            all,
            k,
            cells,
        }
    }

    fn count(&self, group: usize, key: &TallyKey) -> u64 {
        self.all[group].counts.get(key).copied().unwrap_or(0)
    }

    /// The rule: whether `group` may show its figures for `question` (or, for `None`, its number
    /// of responses).
    fn shown(&self, group: usize, question: Option<&Question>) -> bool {
        let id = question.map_or("", |q| q.id.as_str());
        if let Some(&known) = self.shown.borrow()[group].get(id) {
            return known;
        }
        let shown = match question {
            None => self.count(group, &TallyKey::Responses) >= self.k,
            Some(q) => {
                self.count(group, &TallyKey::Answered(q.id.clone())) >= self.k
                    && (!self.cells.contains(q.id.as_str())
                        || answer_keys(q).iter().all(|key| {
                            let n = self.count(group, key);
                            n == 0 || n >= self.k
                        }))
            }
        };
        self.shown.borrow_mut()[group].insert(id.to_string(), shown);
        shown
    }

    /// The groups in a column of `view`: of the versions `versions`, and every context (`None`) or
    /// those given.
    fn column(&self, view: &View, versions: &[usize], contexts: Option<&[String]>) -> Vec<usize> {
        (0..self.all.len())
            .filter(|&g| {
                let group = &self.all[g];
                versions.contains(&group.version)
                    && view.waves.contains(&group.wave)
                    && (view.counts_only || !self.open[group.wave])
                    && contexts.is_none_or(|want| want.iter().any(|c| c == group.context))
            })
            .collect()
    }

    /// The groups shown for `question` in every column of a view — everyone, then each context —
    /// worked out once per question, since every figure of the question sums over the same ones.
    fn shown_columns(&self, view: &View, versions: &[usize], question: Option<&Question>) -> ShownColumns {
        let all: Vec<usize> =
            self.column(view, versions, None).into_iter().filter(|&g| self.shown(g, question)).collect();
        let contexts = view
            .members
            .iter()
            .map(|members| all.iter().copied().filter(|&g| members.iter().any(|c| c == self.all[g].context)).collect())
            .collect();
        ShownColumns { all, ids: view.ids.clone(), contexts }
    }

    /// A figure of a column: the sum over its groups that are shown; `None` when none is.
    fn sum(&self, shown: &[usize], key: &TallyKey) -> Cell {
        (!shown.is_empty()).then(|| shown.iter().map(|&g| self.count(g, key)).sum())
    }

    /// A figure in every column of a view.
    fn breakdown(&self, view: &View, versions: &[usize], question: Option<&Question>, key: &TallyKey) -> Breakdown {
        if let Some(q) = question.filter(|q| is_story(q)) {
            return self.story_breakdown(view, versions, q, key);
        }
        self.figure(&self.shown_columns(view, versions, question), key)
    }

    /// A figure in every column, from the groups shown in each.
    fn figure(&self, shown: &ShownColumns, key: &TallyKey) -> Breakdown {
        let contexts = shown.contexts.iter().map(|groups| self.sum(groups, key)).collect();
        Breakdown { all: self.sum(&shown.all, key), contexts: PerContext::new(&shown.ids, contexts) }
    }

    /// Whether a view counts every version and every wave: only such a view shows story figures.
    fn whole_survey(&self, view: &View) -> bool {
        view.all_versions.len() == self.versions.len() && view.waves.len() == self.waves
    }

    /// A story's figures: for everyone across all versions and waves only, from the groups shown
    /// for their responses (whose stories alone are listed), once `k` people in them wrote one.
    fn story_breakdown(&self, view: &View, versions: &[usize], q: &Question, key: &TallyKey) -> Breakdown {
        let mut everyone = self.column(view, versions, None);
        everyone.retain(|&g| self.shown(g, None));
        let total = |key: &TallyKey| everyone.iter().map(|&g| self.count(g, key)).sum::<u64>();
        let answered = total(&TallyKey::Answered(q.id.clone()));
        // A view of some versions or waves only shows no story figure: the whole minus it would be
        // another.
        let all = (self.whole_survey(view) && answered >= self.k).then(|| total(key));
        Breakdown { all, contexts: PerContext::each(&view.ids, |_| None) }
    }

    /// " in each version", " in each wave", or both, for a column that spans several.
    fn each(&self, view: &View, versions: &[usize]) -> impl Fn(Lang) -> &'static str {
        let spans = (versions.len() > 1, view.waves.len() > 1);
        move |l| match spans {
            (true, true) => l.pick(" in each version and wave", " ym mhob fersiwn a thon"),
            (true, false) => l.pick(" in each version", " ym mhob fersiwn"),
            (false, true) => l.pick(" in each wave", " ym mhob ton"),
            (false, false) => "",
        }
    }

    /// Why a column after "All staff" is hidden for a question: a context's reason, or a division's.
    fn column_reason(&self, view: &View, q: &Question, versions: &[usize], column: &Column) -> Sentence {
        if !column.division || is_story(q) {
            return self.reason(view, q, versions, Some(&column.label));
        }
        let each = self.each(view, versions);
        none_in_division(
            self.k as u32,
            &column.label,
            &|l| l.pick("people who answered this", "o bobl a atebodd hyn"),
            &each,
        )
    }

    /// Why a column of a question is hidden.
    fn reason(&self, view: &View, q: &Question, versions: &[usize], column: Option<&Text>) -> Sentence {
        let k = self.k;
        if is_story(q) {
            return Sentence::new(|l| match column {
                Some(_) => l
                    .pick(
                        "stories are counted for everyone only, never by context, so that none can be tied to where \
                         it was written",
                        "dim ond i bawb gyda'i gilydd y caiff straeon eu cyfrif, byth fesul cyd-destun, fel na ellir \
                         cysylltu'r un ohonynt â'r lle y cafodd ei hysgrifennu",
                    )
                    .into(),
                None if !self.whole_survey(view) => l
                    .pick(
                        "stories are counted across all versions and waves together only",
                        "dim ond ar draws pob fersiwn a thon gyda'i gilydd y caiff straeon eu cyfrif",
                    )
                    .into(),
                None => match l {
                    Lang::En => format!("fewer than {k} people answered this"),
                    Lang::Cy => format!("atebodd llai na {k} o bobl hyn"),
                },
            });
        }
        let cells = self.cells.contains(q.id.as_str());
        let or_cell = move |l: Lang| match (cells, l) {
            (false, _) => String::new(),
            (true, Lang::En) => format!(", or chose one of its answers fewer than {k} times"),
            (true, Lang::Cy) => format!(", neu dewiswyd un o'i atebion lai na {k} o weithiau"),
        };
        let each = self.each(view, versions);
        Sentence::new(|l| {
            let (each, or_cell) = (each(l), or_cell(l));
            match (column, l) {
                (Some(label), Lang::En) => {
                    format!("fewer than {k} people in {} answered this{each}{or_cell}", label.en)
                }
                (Some(label), Lang::Cy) => {
                    format!("atebodd llai na {k} o bobl yng ngrŵp {} hyn{each}{or_cell}", label.get(l))
                }
                (None, Lang::En) => format!("no group has {k} or more people who answered this{each}{or_cell}"),
                (None, Lang::Cy) => {
                    format!("nid oes gan unrhyw grŵp {k} neu fwy o bobl a atebodd hyn{each}{or_cell}")
                }
            }
        })
    }

    /// One view's results.
    fn results(&self, view: &View, k: u32) -> SurveyResults {
        let def = view.def;
        let columns: Vec<Heading> = std::iter::once(Heading {
            id: ALL.into(),
            label: crate::relabel::everyone(Lang::En).into(),
            division: false,
        })
        .chain(view.columns.iter().map(|c| Heading {
            id: c.id.clone(),
            label: c.label.en.clone(),
            division: c.division,
        }))
        .collect();
        let mut results = SurveyResults {
            survey: def.id.clone(),
            version: def.version,
            title: def.title.en.clone(),
            k,
            responses: None,
            note: Sentence::new(|l| match l {
                Lang::En => format!(
                    "No group has {k} or more responses yet. Results are shown for each group (a context, or \
                     everyone without one) once it has {k} or more, so that nobody can be singled out."
                ),
                Lang::Cy => format!(
                    "Nid oes gan unrhyw grŵp {k} neu fwy o ymatebion eto. Dangosir canlyniadau pob grŵp (cyd-destun, \
                     neu bawb heb un) pan fydd ganddo {k} neu fwy, fel na ellir adnabod neb."
                ),
            }),
            hidden_label: hidden_label(),
            versions: vec![],
            wave: None,
            rate: ResponseRate::default(),
            columns: columns.clone(),
            contexts: vec![],
            questions: vec![],
            scores: vec![],
            downloads: vec![],
        };
        let responses = self.breakdown(view, &view.all_versions, None, &TallyKey::Responses);
        if responses.all.is_none() {
            return results;
        }
        results.responses = responses.all;
        results.note = Sentence::new(|l| match l {
            Lang::En => format!(
                "A group (the responses from one context, in one version and one wave) is shown for a question \
                 once {k} or more people in it answered the question, with every answer, small numbers \
                 included. A group with fewer is hidden, and every total (All staff, all versions, all waves) \
                 adds up only the groups shown, so that a hidden group can never be worked out from what is \
                 shown, now or later. Stories are counted for everyone only."
            ),
            Lang::Cy => format!(
                "Dangosir grŵp (yr ymatebion o un cyd-destun, mewn un fersiwn ac un don) ar gyfer cwestiwn pan \
                 fydd {k} neu fwy o bobl ynddo wedi ateb y cwestiwn, gyda phob ateb, gan gynnwys niferoedd bach. \
                 Mae grŵp â llai yn gudd, ac nid yw pob cyfanswm (Pob aelod o staff, pob fersiwn, pob ton) yn \
                 adio dim ond y grwpiau a ddangosir, fel na ellir byth gyfrifo grŵp cudd o'r hyn a ddangosir, \
                 nawr nac yn nes ymlaen. Dim ond i bawb gyda'i gilydd y caiff straeon eu cyfrif."
            ),
        });
        if view.counts_only {
            results.note = Sentence::new(|l| match l {
                Lang::En => format!(
                    "This wave is still open. Its numbers of responses are shown, for each group of {k} or more, \
                     so that you can follow who is taking part; its answers are released, in full, when it \
                     closes, and until then they are in no figure, download or trend. Showing them while people \
                     are still answering would let one person's answers be read from two fetches."
                ),
                Lang::Cy => format!(
                    "Mae'r don hon ar agor o hyd. Dangosir ei niferoedd o ymatebion, ar gyfer pob grŵp o {k} neu \
                     fwy, fel y gallwch weld pwy sy'n cymryd rhan; caiff ei hatebion eu rhyddhau, yn llawn, pan \
                     fydd yn cau, a than hynny nid ydynt mewn unrhyw ffigur, lawrlwythiad na thuedd. Byddai eu \
                     dangos tra bo pobl yn dal i ateb yn gadael i rywun ddarllen atebion un person o ddau gais."
                ),
            });
        }
        let each = self.each(view, &view.all_versions);
        results.contexts = view
            .columns
            .iter()
            .map(|c| {
                let responses = responses.get(&c.id);
                let hidden = responses.is_none().then(|| match c.division {
                    true => none_in_division(k, &c.label, &|l| l.pick("responses", "o ymatebion"), &each),
                    false => fewer_responses(k, &c.label, &each),
                });
                ContextResults {
                    id: c.id.clone(),
                    label: c.label.en.clone(),
                    adds_up: if c.division { c.members.clone() } else { Vec::new() },
                    division: c.part_of.clone(),
                    responses,
                    hidden,
                    ..Default::default()
                }
            })
            .collect();
        if view.counts_only {
            return results;
        }
        for q in &def.questions {
            results.questions.push(self.question(view, q, view.scope_of(&q.id), &columns));
        }
        for score in Score::of_survey(def) {
            // Every version that asked any of its questions: the bank's wording never changes.
            let versions: Vec<usize> =
                view.all_versions.iter().copied().filter(|&i| score.asked_in(self.versions[i].definition)).collect();
            results.scores.push(self.score(view, score, &versions));
        }
        results
    }

    /// A score in every column of a view, under the rule of any question: the people at each of
    /// its values in the groups shown for it (`k` or more people have it), summed, and no figure
    /// of a hidden group.
    fn score(&self, view: &View, score: Score, versions: &[usize]) -> ScoreResults {
        let q = score.as_question(view.def);
        let shown = self.shown_columns(view, versions, Some(&q));
        let respondents = self.figure(&shown, &TallyKey::Answered(q.id.clone()));
        let keys: Vec<(u32, TallyKey)> =
            crate::score::values().map(|u| (u, TallyKey::Chose(q.id.clone(), u.to_string()))).collect();
        let estimate = |groups: &[usize]| -> Option<Estimate> {
            if groups.is_empty() {
                return None;
            }
            Estimate::of(keys.iter().map(|(u, key)| (*u, groups.iter().map(|&g| self.count(g, key)).sum())))
        };
        let mut hidden = BTreeMap::new();
        for c in &view.columns {
            if respondents.get(&c.id).is_none() {
                hidden.insert(c.id.clone(), self.column_reason(view, &q, versions, c));
            }
        }
        if respondents.all.is_none() {
            hidden.insert(ALL.into(), self.reason(view, &q, versions, None));
        }
        ScoreResults {
            id: score.id().into(),
            label: score.name(Lang::En).into(),
            all: estimate(&shown.all),
            contexts: PerContext::new(&shown.ids, shown.contexts.iter().map(|g| estimate(g)).collect()),
            respondents,
            hidden,
        }
    }

    fn question(&self, view: &View, q: &Question, versions: &[usize], columns: &[Heading]) -> QuestionResults {
        let shown = (!is_story(q)).then(|| self.shown_columns(view, versions, Some(q)));
        let figure = |key: TallyKey| match &shown {
            Some(shown) => self.figure(shown, &key),
            None => self.breakdown(view, versions, Some(q), &key),
        };
        let respondents = figure(TallyKey::Answered(q.id.clone()));
        let option = |id: &str, label: &str| {
            let counts = figure(TallyKey::Chose(q.id.clone(), id.to_string()));
            OptionResults {
                id: id.into(),
                label: label.into(),
                shares: Shares::of(&counts, &respondents),
                counts,
                positive: false,
            }
        };
        let mut out = QuestionResults {
            id: q.id.clone(),
            prompt: q.prompt.en.clone(),
            kind: q.kind.name().to_string(),
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
            for o in &mut out.options {
                o.positive = q.positive.contains(&o.id);
            }
            let chosen: Vec<&OptionResults> = out.options.iter().filter(|o| q.positive.contains(&o.id)).collect();
            if let Some(first) = chosen.first() {
                let positive = chosen[1..].iter().fold(first.counts.clone(), |sum, o| add(&sum, &o.counts));
                let labels: Vec<&str> = chosen.iter().map(|o| o.label.as_str()).collect();
                out.score_label = Some(labels[1..].iter().fold(labels[0].to_string(), |s, l| either(&s, l)));
                out.score = Some(Shares::of(&positive, &respondents));
                out.positive = Some(positive);
            }
        }
        // Why each hidden column is hidden, and what each shown total leaves out, one short line
        // per context. A line never names which version or wave of a context is left out: naming
        // only those someone answered in would tell that a hidden group is not empty, and naming
        // all of them lists versions never asked in a wave.
        let k = self.k;
        let spans = |l: Lang| match (versions.len() > 1, view.waves.len() > 1) {
            (true, true) => l.pick("versions and waves", "fersiynau a thonnau"),
            (true, false) => l.pick("versions", "fersiynau"),
            _ => l.pick("waves", "tonnau"),
        };
        // What a total leaves out, by the context left out.
        let mut all_notes: Vec<(&str, Sentence)> = Vec::new();
        for c in view.columns.iter().filter(|c| !c.division) {
            let (column, label, id) = (c.id.clone(), &c.label, c.members[0].as_str());
            if respondents.get(&column).is_none() {
                out.hidden.insert(column, self.reason(view, q, versions, Some(label)));
                all_notes.push((
                    id,
                    Sentence::new(|l| match l {
                        Lang::En => format!("leaves out {}: fewer than {k} people there answered this", label.en),
                        Lang::Cy => format!("yn hepgor {}: atebodd llai na {k} o bobl yno hyn", label.get(l)),
                    }),
                ));
                continue;
            }
            let some_hidden =
                self.column(view, versions, Some(&c.members)).into_iter().any(|g| !self.shown(g, Some(q)));
            if some_hidden {
                out.notes.insert(
                    column.clone(),
                    vec![Sentence::new(|l| match l {
                        Lang::En => format!(
                            "leaves out the {} where fewer than {k} people in {} answered this",
                            spans(l),
                            label.en
                        ),
                        Lang::Cy => format!(
                            "yn hepgor y {} lle atebodd llai na {k} o bobl yng ngrŵp {} hyn",
                            spans(l),
                            label.get(l)
                        ),
                    })],
                );
                all_notes.push((
                    id,
                    Sentence::new(|l| match l {
                        Lang::En => format!(
                            "leaves out {} in some {}: fewer than {k} people there answered this",
                            label.en,
                            spans(l)
                        ),
                        Lang::Cy => {
                            format!(
                                "yn hepgor {} mewn rhai {}: atebodd llai na {k} o bobl yno hyn",
                                label.get(l),
                                spans(l)
                            )
                        }
                    }),
                ));
            }
        }
        // A division is a total of its contexts: hidden when none is shown, and otherwise saying
        // which of them it leaves out, as "All staff" does.
        for c in view.columns.iter().filter(|c| c.division) {
            if respondents.get(&c.id).is_none() {
                out.hidden.insert(c.id.clone(), self.column_reason(view, q, versions, c));
            } else if !is_story(q) {
                let left_out: Vec<Sentence> = all_notes
                    .iter()
                    .filter(|(id, _)| c.members.iter().any(|m| m == id))
                    .map(|(_, s)| s.clone())
                    .collect();
                if !left_out.is_empty() {
                    out.notes.insert(c.id.clone(), left_out);
                }
            }
        }
        if respondents.all.is_none() {
            out.hidden.insert(ALL.into(), self.reason(view, q, versions, None));
        } else if !is_story(q) && !all_notes.is_empty() {
            out.notes.insert(ALL.into(), all_notes.into_iter().map(|(_, s)| s).collect());
        }
        out.fill_table(columns);
        out
    }
}

/// What a hidden figure reads as in a table.
pub fn hidden_label() -> Sentence {
    Sentence::new(|l| l.pick("hidden", "cudd").into())
}

/// Why a figure is missing where no group shown holds it.
pub fn nobody_shown() -> Sentence {
    Sentence::new(|l| {
        l.pick("no one in the groups shown answered this", "ni atebodd neb yn y grwpiau a ddangosir hyn").into()
    })
}

/// The name of the responses from before a survey had waves ([`BEFORE_WAVES`]).
pub fn before_waves(lang: Lang) -> &'static str {
    lang.pick("Before waves", "Cyn y tonnau")
}

/// Why a context's responses are hidden: fewer than `k` of them (`each`: in each version or wave).
pub fn fewer_responses(k: u32, label: &Text, each: &dyn Fn(Lang) -> &'static str) -> Sentence {
    Sentence::new(|l| match l {
        Lang::En => format!("fewer than {k} responses from {}{}", label.en, each(l)),
        Lang::Cy => format!("llai na {k} o ymatebion yng ngrŵp {}{}", label.get(l), each(l)),
    })
}

/// Why a division's figure is hidden: none of its contexts has `k` or more of `what` (`each`: in
/// each version or wave).
pub fn none_in_division(
    k: u32,
    label: &Text,
    what: &dyn Fn(Lang) -> &'static str,
    each: &dyn Fn(Lang) -> &'static str,
) -> Sentence {
    Sentence::new(|l| match l {
        Lang::En => format!("no context in {} has {k} or more {}{}", label.en, what(l), each(l)),
        Lang::Cy => format!("nid oes gan unrhyw gyd-destun yn {} {k} neu fwy {}{}", label.get(l), what(l), each(l)),
    })
}

/// "Agree" and "Strongly agree" → "Agree or strongly agree".
fn either(a: &str, b: &str) -> String {
    crate::relabel::either(a, b, crate::Lang::En)
}

/// Two breakdowns of the same groups, added column by column.
fn add(a: &Breakdown, b: &Breakdown) -> Breakdown {
    let plus = |x: Cell, y: Cell| Some(x? + y?);
    Breakdown { all: plus(a.all, b.all), contexts: a.contexts.map(|c, &x| plus(x, b.get(c))) }
}

impl SurveyResults {
    /// The published results of a survey with one version, from its stored counters.
    pub fn from_counts(def: &SurveyDefinition, counts: &TallyCounts) -> SurveyResults {
        publish(&[VersionCounts::new(def, counts)], &[], &[], crate::Date::from_days_since_epoch(0)).versions.remove(0)
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

    /// The default survey with its contexts in two divisions: clinical and community in "Care",
    /// corporate and estates in "Support".
    fn divided() -> SurveyDefinition {
        let mut def = constitution();
        def.divisions = vec![
            crate::Division { id: "care".into(), label: Text::both("Care", "Gofal") },
            crate::Division { id: "support".into(), label: Text::both("Support", "Cymorth") },
        ];
        for c in &mut def.contexts {
            let care = c.id == "clinical" || c.id == "community";
            c.division = Some(if care { "care" } else { "support" }.into());
        }
        assert_eq!(def.check(), vec![]);
        def
    }

    #[test]
    fn a_division_adds_up_only_its_contexts_shown() {
        let def = divided();
        let mut counts = TallyCounts::new();
        add_to(&def, &mut counts, "clinical", answers("know_whats_in_it", "compassion"), 12);
        add_to(&def, &mut counts, "community", answers("not_heard", "compassion"), 4);
        add_to(&def, &mut counts, "corporate", answers("not_heard", "compassion"), 3);
        let r = SurveyResults::from_counts(&def, &counts);
        let ids: Vec<&str> = r.columns.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            ["all", "division:care", "division:support", "clinical", "community", "corporate", "estates", "_none"]
        );
        assert!(r.columns[1].division && !r.columns[3].division);
        let care = r.contexts.iter().find(|c| c.id == "division:care").unwrap();
        assert_eq!((care.responses, care.adds_up.clone()), (Some(12), vec!["clinical".into(), "community".into()]));
        assert_eq!(r.contexts.iter().find(|c| c.id == "clinical").unwrap().division.as_deref(), Some("division:care"));
        // Care is clinical alone: community's four are in no figure of it.
        let heard = option(&r, "awareness", "not_heard");
        assert_eq!((heard.all, heard.get("division:care"), heard.get("community")), (Some(0), Some(0), None));
        assert_eq!(question(&r, "awareness").respondents.get("division:care"), Some(12));
        assert!(question(&r, "awareness").notes["division:care"][0].as_str().contains("leaves out Community services"));
        // Support has no context shown: hidden, saying why.
        assert_eq!(question(&r, "awareness").respondents.get("division:support"), None);
        let why = &question(&r, "awareness").hidden["division:support"];
        assert_eq!(why.as_str(), "no context in Support has 10 or more people who answered this");
        assert!(why.clone().into_lang(Lang::Cy).starts_with("nid oes gan unrhyw gyd-destun yn Cymorth"));
        let support = r.contexts.iter().find(|c| c.id == "division:support").unwrap();
        assert_eq!(support.hidden.as_ref().unwrap().as_str(), "no context in Support has 10 or more responses");
        // A lead of some contexts sees no division: it could hold a context they are not given.
        let lead = r.clone().scoped(&["clinical".to_string(), "community".to_string()], Lang::En);
        assert!(lead.columns.iter().all(|c| !c.division) && lead.contexts.iter().all(|c| c.adds_up.is_empty()));
    }

    #[test]
    fn a_retired_division_still_adds_up_its_old_responses() {
        // Version 2 retires clinical and community, and with them the division Care.
        let old = divided();
        let mut new = constitution();
        new.version = 2;
        new.contexts.retain(|c| c.id == "corporate" || c.id == "estates");
        let mut counts = TallyCounts::new();
        add_to(&old, &mut counts, "clinical", answers("know_whats_in_it", "compassion"), 12);
        let none = TallyCounts::new();
        let versions = [VersionCounts::new(&old, &counts), VersionCounts::new(&new, &none)];
        let p = publish(&versions, &[], &[], crate::Date::from_days_since_epoch(0));
        let care = p.combined.contexts.iter().find(|c| c.id == "division:care").unwrap();
        assert_eq!(care.responses, Some(12));
        let clinical = p.combined.contexts.iter().find(|c| c.id == "clinical").unwrap();
        assert_eq!(clinical.division.as_deref(), Some("division:care"));
        assert!(p.versions[1].columns.iter().all(|c| !c.division), "version 2 alone has none");
    }

    #[test]
    fn a_divisions_rate_is_over_the_headcounts_of_its_contexts_shown() {
        let def = divided();
        let mut counts = TallyCounts::new();
        add_to(&def, &mut counts, "clinical", answers("know_whats_in_it", "compassion"), 12);
        add_to(&def, &mut counts, "community", answers("know_whats_in_it", "compassion"), 20);
        add_to(&def, &mut counts, "corporate", answers("know_whats_in_it", "compassion"), 2);
        let wave = Wave {
            id: "w1".into(),
            label: "Spring".into(),
            opens: crate::Date::from_days_since_epoch(10),
            closes: crate::Date::from_days_since_epoch(20),
        };
        let headcount = |context: &str, headcount| Headcount { wave: "w1".into(), context: context.into(), headcount };
        let headcounts = [headcount("clinical", 40), headcount("community", 60), headcount("corporate", 5)];
        let version = VersionCounts { definition: &def, waves: vec![("w1", &counts)] };
        let p = publish(&[version], &[wave], &headcounts, crate::Date::from_days_since_epoch(30));
        let rate = |id: &str| p.waves[0].contexts.iter().find(|c| c.id == id).unwrap().rate.clone();
        assert_eq!((rate("division:care").headcount, rate("division:care").rate), (Some(100), Some(32.0)));
        // Support shows no context: no rate, and no headcount to set one against.
        assert_eq!(rate("division:support"), ResponseRate::default());
        // The trend follows a division as it follows a context: its responses and rate by wave, and
        // its figures' lines.
        let trend = crate::trend::trend(&p.combined, &p.waves);
        let care = trend.participation.iter().find(|s| s.column == "division:care").unwrap();
        assert_eq!((care.waves[0].responses, care.waves[0].rate.rate), (Some(32), Some(32.0)));
        let line = trend.questions.iter().flat_map(|q| &q.lines).next().unwrap();
        assert!(line.series.iter().any(|s| s.column == "division:care" && s.points[0].value.is_some()));
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
                // One short line per hidden context, whether or not anyone there answered: which of
                // them are empty is itself hidden.
                assert!(
                    q.notes["all"].contains(
                        &"leaves out Estates and facilities: fewer than 10 people there answered this".into()
                    ) && q.notes["all"]
                        .contains(&"leaves out Community services: fewer than 10 people there answered this".into()),
                    "{}: {:?}",
                    q.id,
                    q.notes
                );
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
        let all = publish(
            &[VersionCounts::new(&v1, &c1), VersionCounts::new(&v2, &c2)],
            &[],
            &[],
            crate::Date::from_days_since_epoch(0),
        );
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
        let before = publish(&[VersionCounts::new(&v1, &c1)], &[], &[], crate::Date::from_days_since_epoch(0));
        assert_eq!(option(&before.combined, "awareness", "not_heard").contexts["estates"], Some(20));
        // Version 2: 8 more estates responses, all "not heard": a group of 8, hidden.
        let mut c2 = TallyCounts::new();
        add_to(&v2, &mut c2, "estates", answers("not_heard", "compassion"), 8);
        add_to(&v2, &mut c2, "clinical", answers("know_whats_in_it", "compassion"), 22);
        let after = publish(
            &[VersionCounts::new(&v1, &c1), VersionCounts::new(&v2, &c2)],
            &[],
            &[],
            crate::Date::from_days_since_epoch(0),
        );
        assert_eq!(option(&after.versions[1], "awareness", "not_heard").contexts["estates"], None);
        // All versions add up only the groups shown: estates still reads 20, never 28.
        let combined = option(&after.combined, "awareness", "not_heard");
        assert_eq!((combined.contexts["estates"], combined.all), (Some(20), Some(20)));
        assert_eq!(after.combined.responses, Some(62), "20 + 20 + 22, without the 8");
        let note = &question(&after.combined, "awareness").notes["estates"];
        assert_eq!(
            note,
            &["leaves out the versions where fewer than 10 people in Estates and facilities answered this"]
        );
        // Clinical's groups are all shown, and no line names a group no one answered in.
        assert!(!question(&after.combined, "awareness").notes.contains_key("clinical"));
    }

    #[test]
    fn a_note_is_one_short_line_per_context_and_names_no_version_or_wave() {
        // Version 1 ran in spring; version 2 only in summer; autumn has not opened.
        let (v1, v2) = (constitution(), constitution_v2());
        let day = |s: &str| s.parse::<crate::Date>().unwrap();
        let wave = |id: &str, label: &str, o: &str, c: &str| Wave {
            id: id.into(),
            label: crate::Text::from(label),
            opens: day(o),
            closes: day(c),
        };
        let waves = [
            wave("spring", "Spring pulse", "2026-03-01", "2026-03-31"),
            wave("summer", "Summer pulse", "2026-06-01", "2026-06-30"),
            wave("autumn", "Autumn pulse", "2026-09-01", "2026-09-30"),
        ];
        let mut c1 = TallyCounts::new();
        add_to(&v1, &mut c1, "clinical", answers("know_whats_in_it", "compassion"), 12);
        add_to(&v1, &mut c1, "estates", answers("not_heard", "compassion"), 3);
        let mut c2 = TallyCounts::new();
        add_to(&v2, &mut c2, "clinical", answers("know_whats_in_it", "compassion"), 14);
        add_to(&v2, &mut c2, "estates", answers("not_heard", "compassion"), 12);
        let versions = [
            VersionCounts { definition: &v1, waves: vec![("spring", &c1)] },
            VersionCounts { definition: &v2, waves: vec![("summer", &c2)] },
        ];
        let p = publish(&versions, &waves, &[], "2026-12-01".parse().unwrap());
        let q = question(&p.combined, "awareness");
        assert_eq!(
            q.notes["estates"],
            ["leaves out the versions and waves where fewer than 10 people in Estates and facilities answered this"]
        );
        assert!(q.notes["all"].contains(
            &"leaves out Estates and facilities in some versions and waves: fewer than 10 people there answered this"
                .into()
        ));
        // No line names a version or wave: naming only those someone answered in would say a hidden
        // group is not empty; naming every one lists groups that never existed.
        let every_line =
            q.notes.values().flatten().chain(q.hidden.values()).map(|s| s.as_str()).collect::<Vec<_>>().join("\n");
        assert!(!every_line.contains("pulse") && !every_line.contains("version 1"), "{every_line}");
        assert!(q.notes.values().flatten().all(|line| line.len() < 120), "{every_line}");
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
        let publication = |counts: &TallyCounts| {
            publish(&[VersionCounts::new(&def, counts)], &[], &[], crate::Date::from_days_since_epoch(0))
        };
        assert!(!publication(&counts).stories, "15 shown (the 4 are hidden): below 20");
        add_to(&def, &mut counts, "clinical", answers("know_whats_in_it", "compassion"), 6);
        assert!(publication(&counts).stories, "15 + 10 shown");
    }
}
