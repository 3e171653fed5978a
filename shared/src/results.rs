//! Results as admins see them: the published shapes (counts, shares and scores per question,
//! option and context; why a figure is hidden; what a total leaves out), and every figure of a
//! question as labelled lines, which the dashboard's tables and the downloads both read. What may
//! be published is decided in [`crate::publish`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::sentence::Sentence;
use crate::tally::TallyKey;

/// A count as published: `None` when it is hidden.
pub type Cell = Option<u64>;

/// A share as published, in percent to one decimal place: `None` when its count is hidden (or
/// nobody answered).
pub type Share = Option<f64>;

/// The id under which responses that carried no context are reported.
pub const NO_CONTEXT: &str = "_none";

/// The id of the column that adds up every context.
pub const ALL: &str = "all";

/// What a division's column id starts with, before the division's id (`division:community`).
pub const DIVISION_PREFIX: &str = "division:";

/// Stored counters: (context id, or "" for none; counter) → count. Missing keys count as zero.
pub type TallyCounts = HashMap<(String, TallyKey), u64>;

/// A figure per context, by published context id, read and written as a JSON object.
///
/// The ids are held once per view and shared by every figure in it, not copied into a map per
/// figure: a survey at the wave limit holds some 300,000 figures, and their keys were most of the
/// server's memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerContext<T> {
    /// Sorted and distinct.
    ids: Arc<[String]>,
    /// One per id, in the same order.
    values: Vec<T>,
}

impl<T> Default for PerContext<T> {
    fn default() -> Self {
        PerContext { ids: Arc::from(Vec::new()), values: Vec::new() }
    }
}

impl<T> PerContext<T> {
    /// The ids a view's figures share, sorted (and with repeats dropped).
    pub fn ids(ids: impl IntoIterator<Item = String>) -> Arc<[String]> {
        let mut ids: Vec<String> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into()
    }

    /// A figure for each of `ids` (made by [`PerContext::ids`]), by `figure`.
    pub fn each(ids: &Arc<[String]>, figure: impl FnMut(&str) -> T) -> PerContext<T> {
        PerContext { ids: ids.clone(), values: ids.iter().map(|id| id.as_str()).map(figure).collect() }
    }

    /// Figures for `ids` (made by [`PerContext::ids`]), one each, in their order.
    pub(crate) fn new(ids: &Arc<[String]>, values: Vec<T>) -> PerContext<T> {
        debug_assert_eq!(ids.len(), values.len());
        PerContext { ids: ids.clone(), values }
    }

    pub fn get(&self, id: &str) -> Option<&T> {
        self.ids.binary_search_by(|k| k.as_str().cmp(id)).ok().map(|i| &self.values[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.ids.iter().map(String::as_str).zip(&self.values)
    }

    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.values.iter()
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Another figure for the same contexts, sharing their ids.
    pub fn map<U>(&self, mut f: impl FnMut(&str, &T) -> U) -> PerContext<U> {
        PerContext { ids: self.ids.clone(), values: self.iter().map(|(id, v)| f(id, v)).collect() }
    }

    /// Only the contexts `keep` keeps.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        let (ids, values): (Vec<String>, Vec<T>) = std::mem::take(&mut self.ids)
            .iter()
            .cloned()
            .zip(std::mem::take(&mut self.values))
            .filter(|(id, _)| keep(id))
            .unzip();
        *self = PerContext { ids: ids.into(), values };
    }
}

impl<T> FromIterator<(String, T)> for PerContext<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(pairs: I) -> Self {
        let sorted: BTreeMap<String, T> = pairs.into_iter().collect();
        let (ids, values): (Vec<String>, Vec<T>) = sorted.into_iter().unzip();
        PerContext { ids: ids.into(), values }
    }
}

impl<T> std::ops::Index<&str> for PerContext<T> {
    type Output = T;
    fn index(&self, id: &str) -> &T {
        self.get(id).unwrap_or_else(|| panic!("no context {id:?}"))
    }
}

impl<T: Serialize> Serialize for PerContext<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PerContext<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(BTreeMap::<String, T>::deserialize(d)?.into_iter().collect())
    }
}

/// A figure's label: what it is about, then what it counts ("I look forward to going to work: Often
/// or always"), without the full stop a statement ends with; after a question, its question mark.
pub fn labelled(subject: &str, measure: &str) -> String {
    let subject = subject.trim_end();
    match subject.strip_suffix('.') {
        _ if subject.ends_with('?') => format!("{subject} {measure}"),
        Some(statement) => format!("{statement}: {measure}"),
        None => format!("{subject}: {measure}"),
    }
}

/// A column's name as a reader sees it: a division's says it is one ("Care (division)"), so that
/// it is never read as a context of the same name.
pub fn column_name(label: &str, division: bool, lang: crate::Lang) -> String {
    match division {
        true => format!("{label} ({})", lang.pick("division", "is-adran")),
        false => label.to_string(),
    }
}

impl Heading {
    /// Its name as a reader sees it ([`column_name`]).
    pub fn name(&self, lang: crate::Lang) -> String {
        column_name(&self.label, self.division, lang)
    }
}

/// One figure for everyone, and the same figure per context.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub all: Cell,
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Option<u64>>))]
    pub contexts: PerContext<Cell>,
}

/// The figure of column `column` ([`ALL`] or a context id), of a breakdown or its shares.
fn in_column<T: Copy>(all: Option<T>, contexts: &PerContext<Option<T>>, column: &str) -> Option<T> {
    if column == ALL {
        all
    } else {
        contexts.get(column).copied().flatten()
    }
}

impl Breakdown {
    /// The figure of column `column` ([`ALL`] or a context id).
    pub fn get(&self, column: &str) -> Cell {
        in_column(self.all, &self.contexts, column)
    }
}

/// Shares beside a [`Breakdown`], per column.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shares {
    // A share is a decimal (93.7): said so, as the alias alone would name it like a count.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub all: Share,
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Option<f64>>))]
    pub contexts: PerContext<Share>,
}

impl Shares {
    /// The share of column `column` ([`ALL`] or a context id).
    pub fn get(&self, column: &str) -> Share {
        in_column(self.all, &self.contexts, column)
    }

    /// `part` as a share of `whole`, column by column.
    pub fn of(part: &Breakdown, whole: &Breakdown) -> Shares {
        let share = |p: Cell, w: Cell| match (p, w) {
            (Some(p), Some(w)) if w > 0 => Some((1000.0 * p as f64 / w as f64).round() / 10.0),
            _ => None,
        };
        Shares { all: share(part.all, whole.all), contexts: part.contexts.map(|c, &p| share(p, whole.get(c))) }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionResults {
    pub id: String,
    pub label: String,
    pub counts: Breakdown,
    /// Each count as a share of the people who answered the question in its column.
    pub shares: Shares,
    /// One of the question's `positive` options: a rise in its share is good news.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub positive: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowResults {
    pub id: String,
    pub label: String,
    pub respondents: Breakdown,
    /// Counts for points 1 to 5 of the scale.
    pub points: Vec<Breakdown>,
    /// Each point's count as a share of the row's respondents.
    pub shares: Vec<Shares>,
    /// People who answered positively: points 4 and 5 of the scale.
    pub positive: Breakdown,
    /// The row's score: the share answering positively, as the NHS Staff Survey reports it.
    pub score: Shares,
}

/// A line of a question's table: a label, and the figure in each of the results' `columns`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableLine {
    pub label: String,
    pub counts: Vec<Cell>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Says which versions the figures come from, when not all of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions_note: Option<Sentence>,
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
    /// What the score counts, e.g. "Often or always"; absent when the question has no score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_label: Option<String>,
    /// A single choice with positive options: the people who chose one of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub positive: Option<Breakdown>,
    /// A single choice with positive options: the share who chose one of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Shares>,
    /// Why each hidden column ([`ALL`] or a context id) is hidden, in words.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hidden: BTreeMap<String, Sentence>,
    /// What a shown column's figures leave out, one line per group left out (a total adds up only
    /// the groups shown).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notes: BTreeMap<String, Vec<Sentence>>,
    /// Every figure of the question as a line, in the order of the results' `columns`.
    pub table: Vec<TableLine>,
}

/// A column of the results: everyone, or one context.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    pub id: String,
    pub label: String,
    /// The column is a division: it adds up the contexts of the division shown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub division: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ContextResults {
    pub id: String,
    pub label: String,
    /// For a division: the ids of its contexts. Its figures add up those shown, as "All staff"
    /// adds up every context shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adds_up: Vec<String>,
    /// For a context in a division: the division's id (a column id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub division: Option<String>,
    pub responses: Cell,
    /// Why its responses are hidden, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Sentence>,
    /// One wave's results: its headcount and response rate.
    #[serde(flatten)]
    pub rate: ResponseRate,
}

/// A response rate beside a count of responses in one wave.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResponseRate {
    /// The headcount an admin recorded (for everyone: the sum of those recorded), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headcount: Option<u64>,
    /// The responses as a percentage of the headcount: shown only where the count is, never above
    /// 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub rate: Share,
    /// Why a rate that could be worked out is not drawn (more responses than the headcount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_problem: Option<Sentence>,
}

/// The wave a set of results covers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveHeading {
    /// The wave's id; `_before` for the responses from before the survey had waves.
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<crate::Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<crate::Date>,
    /// The wave is still open: these results hold its numbers of responses only, none of its
    /// answers (they are released when it closes).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
}

/// A download of these results, as the dashboard offers it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Download {
    /// The button's words, e.g. "Download CSV".
    pub label: String,
    /// The API path to fetch, with the query that chose these results.
    pub href: String,
    /// The name to save it under.
    pub filename: String,
}

/// One of the NHS Staff Survey's engagement scores (0 to 10; see [`crate::score`]), for everyone
/// and per context: the mean of the respondents' scores, with its 95% interval.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreResults {
    /// `engagement`, `motivation`, `involvement` or `advocacy`.
    pub id: String,
    pub label: String,
    /// People with the score: those who answered at least one of its questions.
    pub respondents: Breakdown,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<crate::score::Estimate>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub contexts: PerContext<Option<crate::score::Estimate>>,
    /// Why each hidden column ([`ALL`] or a context id) is hidden, in words.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hidden: BTreeMap<String, Sentence>,
}

impl ScoreResults {
    /// The estimate of column `column` ([`ALL`] or a context id).
    pub fn get(&self, column: &str) -> Option<crate::score::Estimate> {
        in_column(self.all, &self.contexts, column)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub survey: String,
    pub version: u32,
    pub title: String,
    pub k: u32,
    /// Responses in the groups shown; `None` while no group has `k` or more (then `questions` is
    /// empty too).
    pub responses: Cell,
    /// How to read the figures: what is hidden, and what the totals add up.
    pub note: Sentence,
    /// What a hidden figure reads as in a table cell.
    pub hidden_label: Sentence,
    /// For all versions combined: the versions counted. Empty for a single version's results.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<u32>,
    /// One wave's results: which wave. Absent for results across all waves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave: Option<WaveHeading>,
    /// One wave's results: the response rate of everyone, over the sum of the headcounts given.
    #[serde(flatten)]
    pub rate: ResponseRate,
    /// The columns of every question's `table`: everyone ([`ALL`]), then each context.
    pub columns: Vec<Heading>,
    pub contexts: Vec<ContextResults>,
    pub questions: Vec<QuestionResults>,
    /// The NHS engagement scores the survey's questions give (none unless it asks the Staff
    /// Survey's engagement questions from the question bank).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scores: Vec<ScoreResults>,
    /// The downloads of these results (filled in by the server, which knows its routes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub downloads: Vec<Download>,
}

/// One figure of a question, with what it counts.
pub struct Figure<'a> {
    /// For matrices: the row; `("", "")` otherwise.
    pub row: (&'a str, &'a str),
    /// The option or scale point (id and label); id `""` for respondents and scores.
    pub option: (String, String),
    pub counts: &'a Breakdown,
    /// The counts as shares of the question's (or row's) respondents; none for respondents.
    pub shares: Option<&'a Shares>,
}

impl QuestionResults {
    /// Every figure of the question, in the order of the survey: respondents, each option (and the
    /// score's count), and for matrices each row's respondents, points and score's count.
    pub fn figures(&self) -> Vec<Figure<'_>> {
        self.figures_in(crate::Lang::En)
    }

    /// [`Self::figures`], with the lines' own words (respondents, score) in `lang`.
    pub fn figures_in(&self, lang: crate::Lang) -> Vec<Figure<'_>> {
        let none = ("", "");
        let answered =
            |label: &str, counts| Figure { row: none, option: (String::new(), label.into()), counts, shares: None };
        let score = lang.pick("Score", "Sgôr");
        let mut out =
            vec![answered(lang.pick("Answered this question", "Wedi ateb y cwestiwn hwn"), &self.respondents)];
        for o in &self.options {
            out.push(Figure {
                row: none,
                option: (o.id.clone(), o.label.clone()),
                counts: &o.counts,
                shares: Some(&o.shares),
            });
        }
        if let (Some(counts), Some(label)) = (&self.positive, &self.score_label) {
            let option = (String::new(), format!("{score}: {label}"));
            out.push(Figure { row: none, option, counts, shares: self.score.as_ref() });
        }
        for r in &self.rows {
            let row = (r.id.as_str(), r.label.as_str());
            out.push(Figure {
                row,
                option: (String::new(), lang.pick("Answered this row", "Wedi ateb y rhes hon").into()),
                counts: &r.respondents,
                shares: None,
            });
            for (point, counts) in r.points.iter().enumerate() {
                let label = self.scale.get(point).cloned().unwrap_or_default();
                out.push(Figure { row, option: ((point + 1).to_string(), label), counts, shares: r.shares.get(point) });
            }
            if let Some(label) = &self.score_label {
                let option = (String::new(), format!("{score}: {label}"));
                out.push(Figure { row, option, counts: &r.positive, shares: Some(&r.score) });
            }
        }
        out
    }

    /// Fills `table` from the figures, in the order of `columns`.
    pub fn fill_table(&mut self, columns: &[Heading]) {
        self.fill_table_in(columns, crate::Lang::En);
    }

    /// [`Self::fill_table`], with the lines' own words in `lang`.
    pub fn fill_table_in(&mut self, columns: &[Heading], lang: crate::Lang) {
        let lines = self
            .figures_in(lang)
            .iter()
            .map(|f| {
                let label =
                    if f.row.1.is_empty() { f.option.1.clone() } else { format!("{}: {}", f.row.1, f.option.1) };
                TableLine { label, counts: columns.iter().map(|c| f.counts.get(&c.id)).collect() }
            })
            .collect();
        self.table = lines;
    }
}

impl Breakdown {
    /// Only the contexts in `scope`, and no figure for everyone.
    fn scope(&mut self, scope: &[String]) {
        self.all = None;
        self.contexts.retain(|c| scope.iter().any(|s| s == c));
    }
}

impl Shares {
    fn scope(&mut self, scope: &[String]) {
        self.all = None;
        self.contexts.retain(|c| scope.iter().any(|s| s == c));
    }
}

impl SurveyResults {
    /// The results as an admin limited to the contexts in `scope` (a directorate lead) may see them:
    /// those contexts' figures, each still suppressed on its own, and nothing else. No figure for
    /// everyone is kept, not even a response count or rate, because everyone less the contexts shown
    /// would be the contexts hidden from this admin.
    /// Its sentences are written in `lang`, with its labels as they are (relabelled first, if at all).
    pub fn scoped(mut self, scope: &[String], lang: crate::Lang) -> SurveyResults {
        self.columns.retain(|c| scope.contains(&c.id));
        self.contexts.retain(|c| scope.contains(&c.id));
        self.rate = ResponseRate::default();
        // What the contexts shown add up to, which anyone could add up from them.
        let shown: Vec<u64> = self.contexts.iter().filter_map(|c| c.responses).collect();
        self.responses = (!shown.is_empty()).then(|| shown.iter().sum());
        let names: Vec<&str> = self.columns.iter().map(|c| c.label.as_str()).collect();
        let k = self.k;
        self.note = Sentence::new(|l| {
            let names = match names.is_empty() {
                true => l.pick("none of this survey's groups", "dim un o grwpiau'r arolwg hwn").to_string(),
                false => names.join(", "),
            };
            match l {
                crate::Lang::En => format!(
                    "You see the groups you are responsible for ({names}), each on its own; a group with fewer \
                     than {k} responses shows nothing. No total for everyone is shown to you."
                ),
                crate::Lang::Cy => format!(
                    "Rydych yn gweld y grwpiau rydych yn gyfrifol amdanynt ({names}), pob un ar ei ben ei hun; nid \
                     yw grŵp â llai na {k} o ymatebion yn dangos dim. Ni ddangosir cyfanswm i bawb i chi."
                ),
            }
        });
        // With none of their groups shown, each of their groups reads as hidden and there are no
        // questions, whether or not other groups have reached k: that is not theirs to know.
        if self.responses.is_none() {
            self.questions.clear();
            self.scores.clear();
            self.contexts = self
                .columns
                .iter()
                .map(|c| ContextResults {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    responses: None,
                    hidden: Some(crate::publish::fewer_responses(k, &c.label.as_str().into(), &|_| "")),
                    ..Default::default()
                })
                .collect();
        }
        let columns = self.columns.clone();
        for q in &mut self.questions {
            q.respondents.scope(scope);
            for o in &mut q.options {
                o.counts.scope(scope);
                o.shares.scope(scope);
            }
            for r in &mut q.rows {
                r.respondents.scope(scope);
                r.positive.scope(scope);
                r.score.scope(scope);
                r.points.iter_mut().for_each(|p| p.scope(scope));
                r.shares.iter_mut().for_each(|s| s.scope(scope));
            }
            if let Some(p) = &mut q.positive {
                p.scope(scope);
            }
            if let Some(s) = &mut q.score {
                s.scope(scope);
            }
            q.hidden.retain(|c, _| scope.contains(c));
            // A note says what a total leaves out; totals are gone.
            q.notes.retain(|c, _| scope.contains(c));
            q.fill_table_in(&columns, lang);
        }
        for score in &mut self.scores {
            score.respondents.scope(scope);
            score.all = None;
            score.contexts.retain(|c| scope.iter().any(|s| s == c));
            score.hidden.retain(|c, _| scope.contains(c));
        }
        self.say_in(lang);
        self
    }

    /// Every sentence of these results sent in `lang` from now on.
    pub fn say_in(&mut self, lang: crate::Lang) {
        self.note.choose(lang);
        self.hidden_label.choose(lang);
        self.rate.say_in(lang);
        for c in &mut self.contexts {
            if let Some(hidden) = &mut c.hidden {
                hidden.choose(lang);
            }
            c.rate.say_in(lang);
        }
        for q in &mut self.questions {
            q.versions_note
                .iter_mut()
                .chain(q.hidden.values_mut())
                .chain(q.notes.values_mut().flatten())
                .for_each(|s| s.choose(lang));
        }
        for score in &mut self.scores {
            score.hidden.values_mut().for_each(|s| s.choose(lang));
            score.label = crate::score::Score::from_id(&score.id)
                .map_or(std::mem::take(&mut score.label), |s| s.name(lang).to_string());
        }
    }
}

impl ResponseRate {
    fn say_in(&mut self, lang: crate::Lang) {
        if let Some(problem) = &mut self.rate_problem {
            problem.choose(lang);
        }
    }
}
