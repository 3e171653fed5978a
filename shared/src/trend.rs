//! How each answer moved between waves: for every option share, matrix row score and matrix row
//! mean, its value in each wave, per context and for everyone, with a 95% interval, and the change
//! since the previous wave with its own interval. "Up" and "down" are said only when the interval
//! of the change leaves out zero; otherwise "no clear change".
//!
//! A trend is read entirely from each wave's published results ([`crate::Publication::waves`]), so
//! it holds no figure those results do not: a point hidden in a wave is hidden in the trend.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::results::{
    Breakdown, Cell, Heading, QuestionResults, ResponseRate, ScoreResults, SurveyResults, WaveHeading, ALL,
};
use crate::sentence::Sentence;
use crate::Lang;

/// The normal quantile for a two-sided 95% interval.
pub(crate) const Z: f64 = 1.959_963_984_540_054;

/// Wilson's score interval for a proportion `x` of `n`, as fractions.
pub fn wilson(x: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 || x > n {
        return None;
    }
    let (n, p) = (n as f64, x as f64 / n as f64);
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Newcombe's hybrid score interval (his method 10) for the difference `x2/n2 − x1/n1` of two
/// independent proportions, as fractions.
pub fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<(f64, f64, f64)> {
    let (l1, u1) = wilson(x1, n1)?;
    let (l2, u2) = wilson(x2, n2)?;
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let d = p2 - p1;
    let low = d - ((p2 - l2).powi(2) + (u1 - p1).powi(2)).sqrt();
    let high = d + ((u2 - p2).powi(2) + (p1 - l1).powi(2)).sqrt();
    Some((d, low, high))
}

/// The mean of a 1–5 scale from the number of people at each point, its sample variance and the
/// number of people.
pub fn scale_mean(points: &[u64]) -> Option<(f64, f64, u64)> {
    weighted_mean(&points.iter().enumerate().map(|(i, &c)| ((i + 1) as f64, c as f64)).collect::<Vec<_>>())
}

/// The mean of values held by numbers of people, as (value, people), its sample variance and the
/// number of people; `None` for fewer than two.
pub fn weighted_mean(counts: &[(f64, f64)]) -> Option<(f64, f64, u64)> {
    let n: f64 = counts.iter().map(|(_, c)| c).sum();
    if n < 2.0 {
        return None;
    }
    let mean = counts.iter().map(|(v, c)| v * c).sum::<f64>() / n;
    let ss = counts.iter().map(|(v, c)| c * (v - mean).powi(2)).sum::<f64>();
    Some((mean, ss / (n - 1.0), n as u64))
}

/// Which way a figure moved, read from the interval of the change only.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
    NoClearChange,
}

impl Direction {
    /// Up when the whole interval is above zero, down when it is all below, else no clear change.
    pub fn of(low: f64, high: f64) -> Direction {
        if low > 0.0 {
            Direction::Up
        } else if high < 0.0 {
            Direction::Down
        } else {
            Direction::NoClearChange
        }
    }

    pub fn words(self) -> &'static str {
        self.words_in(crate::Lang::En)
    }

    /// [`Self::words`] in `lang`.
    pub fn words_in(self, lang: crate::Lang) -> &'static str {
        match self {
            Direction::Up => lang.pick("up", "i fyny"),
            Direction::Down => lang.pick("down", "i lawr"),
            Direction::NoClearChange => lang.pick("no clear change", "dim newid clir"),
        }
    }
}

/// Whether a change is good news, read from the question's `positive` options: a rise in the share
/// of a positive answer (or of a score, or a matrix row's mean) is better, a rise in the share of any
/// other answer of such a question worse, and a change where the question names no positive
/// answer is neither. No clear change is always neutral.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Better,
    Worse,
    Neutral,
}

impl Tone {
    /// The tone of a move in `direction` of a figure whose rise is good (`polarity` 1), bad (-1) or
    /// neither (0).
    pub fn of(direction: Direction, polarity: i8) -> Tone {
        let sign = match direction {
            Direction::Up => polarity,
            Direction::Down => -polarity,
            Direction::NoClearChange => 0,
        };
        match sign {
            1 => Tone::Better,
            -1 => Tone::Worse,
            _ => Tone::Neutral,
        }
    }
}

/// The change of a figure since the previous wave.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The wave compared with.
    pub since: String,
    /// This wave's value minus that wave's, in the figure's unit (percentage points, or points of
    /// the scale).
    pub difference: f64,
    /// The 95% interval of the difference.
    pub low: f64,
    pub high: f64,
    pub direction: Direction,
    /// Whether the move is toward the question's positive answers.
    pub tone: Tone,
}

impl Tone {
    /// The tone's name, as the dashboard's classes use it.
    pub fn name(self) -> &'static str {
        match self {
            Tone::Better => "better",
            Tone::Worse => "worse",
            Tone::Neutral => "neutral",
        }
    }
}

impl Direction {
    /// The direction as the dashboard marks it, with an arrow for a clear change, in `lang`.
    pub fn marked_in(self, lang: crate::Lang) -> &'static str {
        match self {
            Direction::Up => lang.pick("▲ up", "▲ i fyny"),
            Direction::Down => lang.pick("▼ down", "▼ i lawr"),
            Direction::NoClearChange => self.words_in(lang),
        }
    }
}

impl Change {
    /// The change as the dashboard marks it (arrow, direction and tone), in `lang`.
    pub fn marked_in(&self, lang: crate::Lang) -> String {
        format!("{}{}", self.direction.marked_in(lang), self.tone_in(lang))
    }

    /// " (better)", " (worse)" or nothing.
    fn tone_in(&self, lang: crate::Lang) -> &'static str {
        match self.tone {
            Tone::Better => lang.pick(" (better)", " (gwell)"),
            Tone::Worse => lang.pick(" (worse)", " (gwaeth)"),
            Tone::Neutral => "",
        }
    }

    /// Which way it moved and, where the question says which answers are positive, whether that is
    /// better or worse: "down (better)".
    pub fn words(&self) -> String {
        self.words_in(crate::Lang::En)
    }

    /// [`Self::words`] in `lang`.
    pub fn words_in(&self, lang: crate::Lang) -> String {
        format!("{}{}", self.direction.words_in(lang), self.tone_in(lang))
    }
}

/// A figure in one wave, for one column.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TrendPoint {
    pub wave: String,
    /// The share in percent, or the mean score; absent when hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The count behind a share (people who chose it); absent for means and hidden points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Cell,
    /// The people the share or mean is of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Cell,
    /// The value's 95% interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// Why the point is hidden, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Sentence>,
    /// The change since the previous wave, when both points are shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

/// One figure's points in every wave, for one column.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendSeries {
    /// [`ALL`] or a context id.
    pub column: String,
    pub points: Vec<TrendPoint>,
    /// The series in words: its last shown point and how it moved, for those who do not read the
    /// chart.
    pub summary: String,
}

/// A figure followed across waves: an option's share, or a matrix row's score or mean.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendLine {
    /// The option id, or `row` / `row:mean` for a matrix row's score / mean.
    pub id: String,
    pub label: String,
    /// `share` (percent), `mean` (1 to 5) or `score` (an NHS score, 0 to 10).
    pub measure: String,
    /// One series per column, in the order of the trend's `columns`.
    pub series: Vec<TrendSeries>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionTrend {
    pub id: String,
    pub prompt: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub lines: Vec<TrendLine>,
}

/// Responses and response rate in one wave, for one column.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participation {
    pub wave: String,
    pub responses: Cell,
    #[serde(flatten)]
    pub rate: ResponseRate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Sentence>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipationSeries {
    pub column: String,
    pub waves: Vec<Participation>,
}

/// How a survey's answers moved between its waves.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyTrend {
    pub survey: String,
    pub title: String,
    pub k: u32,
    /// How to read the trend.
    pub note: Sentence,
    /// What a hidden point reads as.
    pub hidden_label: Sentence,
    pub waves: Vec<WaveHeading>,
    /// Everyone ([`ALL`]), then each context.
    pub columns: Vec<Heading>,
    /// Responses and response rates, per column.
    pub participation: Vec<ParticipationSeries>,
    pub questions: Vec<QuestionTrend>,
    /// The NHS engagement scores (0 to 10), when the survey asks their questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scores: Vec<TrendLine>,
}

/// One decimal place.
impl SurveyTrend {
    /// Every sentence of the trend sent in `lang` from now on, its summaries written again in it
    /// (from its labels as they are: relabel them first).
    pub fn say_in(&mut self, lang: Lang) {
        self.note.choose(lang);
        self.hidden_label.choose(lang);
        for p in &mut self.participation {
            for w in &mut p.waves {
                w.hidden.iter_mut().chain(w.rate.rate_problem.iter_mut()).for_each(|s| s.choose(lang));
            }
        }
        let columns = &self.columns;
        for score in &mut self.scores {
            if let Some(s) = crate::score::Score::from_id(&score.id) {
                score.label = s.label(lang);
            }
        }
        for line in self.questions.iter_mut().flat_map(|q| q.lines.iter_mut()).chain(self.scores.iter_mut()) {
            for series in &mut line.series {
                series.points.iter_mut().filter_map(|p| p.hidden.as_mut()).for_each(|s| s.choose(lang));
                let column = columns.iter().find(|c| c.id == series.column).map_or("", |c| c.label.as_str());
                series.summary = summary(&line.label, column, &series.points, &self.waves, &line.measure, lang);
            }
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Two decimal places, for means.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// What a line is read from in one wave's results.
enum Source<'a> {
    /// A count over the question's or row's respondents.
    Share { counts: &'a Breakdown, of: &'a Breakdown },
    /// A matrix row's points 1 to 5.
    Mean { points: &'a [Breakdown] },
    /// An NHS engagement score (0 to 10).
    Score(&'a ScoreResults),
}

impl Source<'_> {
    /// The point of one column in one wave, before its change is known.
    fn point(&self, wave: &str, column: &str, hidden: Option<&Sentence>) -> TrendPoint {
        let mut point = TrendPoint { wave: wave.to_string(), ..Default::default() };
        match self {
            Source::Share { counts, of } => {
                if let (Some(x), Some(n)) = (counts.get(column), of.get(column)) {
                    point.count = Some(x);
                    point.of = Some(n);
                    if let Some((low, high)) = wilson(x, n) {
                        point.value = Some(round1(100.0 * x as f64 / n as f64));
                        (point.low, point.high) = (Some(round1(100.0 * low)), Some(round1(100.0 * high)));
                    }
                }
            }
            Source::Mean { points } => {
                let counts: Option<Vec<u64>> = points.iter().map(|p| p.get(column)).collect();
                if let Some((mean, variance, n)) = counts.as_deref().and_then(scale_mean) {
                    let half = Z * (variance / n as f64).sqrt();
                    point.of = Some(n);
                    point.value = Some(round2(mean));
                    (point.low, point.high) = (Some(round2(mean - half)), Some(round2(mean + half)));
                }
            }
            Source::Score(score) => {
                if let Some(e) = score.get(column) {
                    (point.value, point.low, point.high, point.of) =
                        (Some(e.value), Some(e.low), Some(e.high), Some(e.of));
                }
            }
        }
        if point.of.is_none() {
            point.hidden = Some(hidden.cloned().unwrap_or_else(crate::publish::nobody_shown));
        }
        point
    }

    /// The change from `before` to `now` (both read from this kind of source).
    fn change(&self, since: &str, before: &Self, column: &str, polarity: i8) -> Option<Change> {
        let (d, low, high, scale) = match (self, before) {
            (Source::Share { counts, of }, Source::Share { counts: c1, of: o1 }) => {
                let (x1, n1, x2, n2) = (c1.get(column)?, o1.get(column)?, counts.get(column)?, of.get(column)?);
                let (d, low, high) = newcombe(x1, n1, x2, n2)?;
                (d, low, high, 100.0)
            }
            (Source::Mean { points }, Source::Mean { points: p1 }) => {
                let a: Vec<u64> = p1.iter().map(|p| p.get(column)).collect::<Option<_>>()?;
                let b: Vec<u64> = points.iter().map(|p| p.get(column)).collect::<Option<_>>()?;
                let ((m1, v1, n1), (m2, v2, n2)) = (scale_mean(&a)?, scale_mean(&b)?);
                let half = Z * (v1 / n1 as f64 + v2 / n2 as f64).sqrt();
                (m2 - m1, m2 - m1 - half, m2 - m1 + half, 1.0)
            }
            (Source::Score(now), Source::Score(before)) => {
                let (e1, e2) = (before.get(column)?, now.get(column)?);
                let half = Z * (e1.sd.powi(2) / e1.of as f64 + e2.sd.powi(2) / e2.of as f64).sqrt();
                (e2.value - e1.value, e2.value - e1.value - half, e2.value - e1.value + half, 1.0)
            }
            _ => return None,
        };
        let round = if scale == 1.0 { round2 } else { round1 };
        Some(Change {
            since: since.to_string(),
            difference: round(scale * d),
            low: round(scale * low),
            high: round(scale * high),
            direction: Direction::of(low, high),
            tone: Tone::of(Direction::of(low, high), polarity),
        })
    }
}

/// One line of a question: (id, label, measure, source, polarity), the polarity saying whether a
/// rise is good news (1), bad (-1) or neither (0); see [`Tone`].
type Line<'a> = (String, String, &'static str, Source<'a>, i8);

/// The lines of one question in one wave's results. A matrix's scale runs from worst to best (its
/// score counts the top two points), so its rows' scores and means rise with good news.
fn lines(q: &QuestionResults) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for o in &q.options {
        let polarity = match (&q.positive, o.positive) {
            (None, _) => 0,
            (Some(_), true) => 1,
            (Some(_), false) => -1,
        };
        let source = Source::Share { counts: &o.counts, of: &q.respondents };
        out.push((o.id.clone(), o.label.clone(), "share", source, polarity));
    }
    if let (Some(positive), Some(label)) = (&q.positive, &q.score_label) {
        let source = Source::Share { counts: positive, of: &q.respondents };
        out.push(("score".into(), format!("Score: {label}"), "share", source, 1));
    }
    for r in &q.rows {
        if let Some(label) = &q.score_label {
            let source = Source::Share { counts: &r.positive, of: &r.respondents };
            out.push((r.id.clone(), crate::results::labelled(&r.label, label), "share", source, 1));
        }
        let source = Source::Mean { points: &r.points };
        let label = crate::results::labelled(&r.label, "mean score (1 to 5)");
        out.push((format!("{}:mean", r.id), label, "mean", source, 1));
    }
    out
}

/// The series in words.
pub fn summary(
    label: &str,
    column: &str,
    points: &[TrendPoint],
    waves: &[WaveHeading],
    measure: &str,
    lang: Lang,
) -> String {
    let name = |id: &str| waves.iter().find(|w| w.id == id).map_or(id.to_string(), |w| w.label.clone());
    let value = |v: f64| if measure == "share" { format!("{v}%") } else { format!("{v}") };
    let shown: Vec<&TrendPoint> = points.iter().filter(|p| p.value.is_some()).collect();
    let Some(last) = shown.last() else {
        return match lang {
            Lang::En => format!("{column}: {label} is hidden in every wave."),
            Lang::Cy => format!("{column}: mae {label} yn gudd ym mhob ton."),
        };
    };
    let now = value(last.value.unwrap_or_default());
    let mut out = match lang {
        Lang::En => format!("{column}: {label} was {now} in {}", name(&last.wave)),
        Lang::Cy => format!("{column}: {label}: {now} yn nhon {}", name(&last.wave)),
    };
    match &last.change {
        Some(c) => {
            let was = points.iter().find(|p| p.wave == c.since).and_then(|p| p.value).unwrap_or_default();
            let (words, was, since) = (c.words_in(lang), value(was), name(&c.since));
            let (d, low, high) = (c.difference, c.low, c.high);
            let share = measure == "share";
            out += &match lang {
                Lang::En => format!(
                    ", {words} from {was} in {since} (change {d:+}{}, 95% interval {low:+} to {high:+}).",
                    if share { " points" } else { "" }
                ),
                Lang::Cy => format!(
                    ", {words} o {was} yn nhon {since} (newid o {d:+}{}, cyfwng 95% {low:+} i {high:+}).",
                    if share { " pwynt" } else { "" }
                ),
            };
        }
        None if shown.len() == 1 => {
            out += lang.pick("; no other wave to compare with.", "; dim ton arall i gymharu â hi.")
        }
        None => {
            out += lang.pick(
                "; the wave before it is hidden or has no figure, so no change is given.",
                "; mae'r don cyn hon yn gudd neu heb ffigur, felly ni roddir newid.",
            )
        }
    }
    out
}

/// The trend of a survey from its waves' results, oldest first (see [`crate::Publication::waves`]).
/// `combined` gives the questions and columns: those of the current version.
pub fn trend(combined: &SurveyResults, waves: &[SurveyResults]) -> SurveyTrend {
    // A wave still open holds no answers yet: it joins the trend when it closes.
    let waves: Vec<&SurveyResults> = waves.iter().filter(|w| !w.wave.as_ref().is_some_and(|h| h.open)).collect();
    let headings: Vec<WaveHeading> = waves.iter().filter_map(|w| w.wave.clone()).collect();
    let k = combined.k;
    let mut out = SurveyTrend {
        survey: combined.survey.clone(),
        title: combined.title.clone(),
        k,
        note: Sentence::new(|l| match l {
            Lang::En => format!(
                "Each point is a share (or a mean score) in one wave, with its 95% interval, and the count behind \
                 it. The change since the previous wave is marked up or down only when its 95% interval leaves out \
                 zero; otherwise it reads \"no clear change\", however large the difference looks. A point is \
                 hidden where that wave's results hide it: fewer than {k} people in a group answered."
            ),
            Lang::Cy => format!(
                "Mae pob pwynt yn gyfran (neu'n sgôr gymedrig) mewn un don, gyda'i gyfwng 95%, a'r nifer y tu ôl \
                 iddo. Dim ond pan fydd ei gyfwng 95% yn hepgor sero y nodir bod y newid ers y don flaenorol i fyny \
                 neu i lawr; fel arall mae'n dweud \"dim newid clir\", ni waeth pa mor fawr y mae'r gwahaniaeth yn \
                 edrych. Mae pwynt yn gudd lle mae canlyniadau'r don honno'n ei guddio: atebodd llai na {k} o bobl \
                 mewn grŵp."
            ),
        }),
        hidden_label: crate::publish::hidden_label(),
        waves: headings.clone(),
        columns: combined.columns.clone(),
        participation: vec![],
        questions: vec![],
        scores: vec![],
    };
    for column in &combined.columns {
        let waves = waves
            .iter()
            .zip(&headings)
            .map(|(r, h)| {
                let (responses, rate, hidden) = if column.id == ALL {
                    (r.responses, r.rate.clone(), None)
                } else {
                    match r.contexts.iter().find(|c| c.id == column.id) {
                        Some(c) => (c.responses, c.rate.clone(), c.hidden.clone()),
                        None => (
                            None,
                            ResponseRate::default(),
                            Some(Sentence::new(|l| {
                                l.pick("not asked in this wave", "ni ofynnwyd yn y don hon").into()
                            })),
                        ),
                    }
                };
                let hidden = hidden.or_else(|| {
                    responses.is_none().then(|| {
                        Sentence::new(|l| match l {
                            Lang::En => format!("fewer than {k} responses"),
                            Lang::Cy => format!("llai na {k} o ymatebion"),
                        })
                    })
                });
                Participation { wave: h.id.clone(), responses, rate, hidden }
            })
            .collect();
        out.participation.push(ParticipationSeries { column: column.id.clone(), waves });
    }
    if waves.is_empty() {
        out.note = Sentence::new(|l| {
            l.pick(
                "This survey has no waves yet. Add waves to ask it again and again and follow how each answer moves \
                 between them.",
                "Nid oes gan yr arolwg hwn donnau eto. Ychwanegwch donnau i'w ofyn dro ar ôl tro a dilyn sut mae pob \
                 ateb yn symud rhyngddynt.",
            )
            .into()
        });
        return out;
    }
    for q in &combined.questions {
        if crate::publish::is_story_kind(&q.kind) {
            continue;
        }
        let per_wave: Vec<Option<&QuestionResults>> =
            waves.iter().map(|w| w.questions.iter().find(|x| x.id == q.id)).collect();
        let mut trend_lines = Vec::new();
        for (id, label, measure, _, polarity) in lines(q) {
            let sources: Vec<Option<(Source, &BTreeMap<String, Sentence>)>> = per_wave
                .iter()
                .map(|wq| wq.and_then(|wq| lines(wq).into_iter().find(|l| l.0 == id).map(|l| (l.3, &wq.hidden))))
                .collect();
            let series = all_series(&combined.columns, &headings, &sources, &label, measure, polarity);
            trend_lines.push(TrendLine { id, label, measure: measure.into(), series });
        }
        out.questions.push(QuestionTrend {
            id: q.id.clone(),
            prompt: q.prompt.clone(),
            kind: q.kind.clone(),
            lines: trend_lines,
        });
    }
    for score in &combined.scores {
        let sources: Vec<Option<(Source, &BTreeMap<String, Sentence>)>> = waves
            .iter()
            .map(|w| w.scores.iter().find(|s| s.id == score.id).map(|s| (Source::Score(s), &s.hidden)))
            .collect();
        let label = crate::score::Score::from_id(&score.id).map_or_else(|| score.label.clone(), |s| s.label(Lang::En));
        let series = all_series(&combined.columns, &headings, &sources, &label, "score", 1);
        out.scores.push(TrendLine { id: score.id.clone(), label, measure: "score".into(), series });
    }
    out
}

/// The trend as an admin limited to the contexts in `scope` (a directorate lead) reads it: made
/// from their scoped results alone ([`SurveyResults::scoped`]), so it holds nothing those do not:
/// their contexts' points and response rates, and no figure for everyone.
pub fn scoped_trend(combined: &SurveyResults, waves: &[SurveyResults], scope: &[String]) -> SurveyTrend {
    let waves: Vec<SurveyResults> = waves.iter().map(|w| w.clone().scoped(scope, Lang::En)).collect();
    trend(&combined.clone().scoped(scope, Lang::En), &waves)
}

/// A line's series in every column, from its source in each wave (none where the wave has no
/// results for it), with the change since the wave before wherever both are shown.
fn all_series(
    columns: &[Heading],
    headings: &[WaveHeading],
    sources: &[Option<(Source, &BTreeMap<String, Sentence>)>],
    label: &str,
    measure: &str,
    polarity: i8,
) -> Vec<TrendSeries> {
    columns
        .iter()
        .map(|column| {
            let mut points: Vec<TrendPoint> = Vec::new();
            for (i, (source, h)) in sources.iter().zip(headings).enumerate() {
                let mut point = match source {
                    Some((s, hidden)) => s.point(&h.id, &column.id, hidden.get(&column.id)),
                    None => TrendPoint {
                        wave: h.id.clone(),
                        hidden: Some(Sentence::new(|l| {
                            l.pick("no results in this wave", "dim canlyniadau yn y don hon").into()
                        })),
                        ..Default::default()
                    },
                };
                if i > 0 && point.value.is_some() && points[i - 1].value.is_some() {
                    if let (Some((now, _)), Some((before, _))) = (source, &sources[i - 1]) {
                        point.change = now.change(&headings[i - 1].id, before, &column.id, polarity);
                    }
                }
                points.push(point);
            }
            let summary = summary(label, &column.label, &points, headings, measure, Lang::En);
            TrendSeries { column: column.id.clone(), points, summary }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_and_newcombe_match_published_examples() {
        // Newcombe (1998), table II: 56/70 vs 48/80 → difference 0.2000, interval 0.0524 to 0.3339.
        let (d, low, high) = newcombe(48, 80, 56, 70).unwrap();
        assert!((d - 0.2).abs() < 1e-9);
        assert!((low - 0.0524).abs() < 5e-4, "{low}");
        assert!((high - 0.3339).abs() < 5e-4, "{high}");
        // Wilson: 81 of 263 → 0.2553 to 0.3662 (Newcombe 1998a, example).
        let (l, h) = wilson(81, 263).unwrap();
        assert!((l - 0.2553).abs() < 5e-4 && (h - 0.3662).abs() < 5e-4, "{l} {h}");
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn direction_comes_from_the_interval_only() {
        assert_eq!(Direction::of(0.1, 5.0), Direction::Up);
        assert_eq!(Direction::of(-3.0, -0.2), Direction::Down);
        assert_eq!(Direction::of(-0.1, 12.0), Direction::NoClearChange);
        // 6 of 10 → 9 of 10 looks like +30 points, but ten people cannot show it.
        let (d, low, high) = newcombe(6, 10, 9, 10).unwrap();
        assert!(d > 0.29 && Direction::of(low, high) == Direction::NoClearChange, "{low} {high}");
        // The same shares in a thousand people can.
        let (_, low, high) = newcombe(600, 1000, 900, 1000).unwrap();
        assert_eq!(Direction::of(low, high), Direction::Up);
    }

    #[test]
    fn a_change_is_better_or_worse_only_toward_or_away_from_positive_answers() {
        use crate::results::{OptionResults, Shares};
        let none = || Breakdown { all: None, contexts: Default::default() };
        let option = |id: &str, positive: bool| OptionResults {
            id: id.into(),
            label: id.into(),
            counts: none(),
            shares: Shares { all: None, contexts: Default::default() },
            positive,
        };
        let question = |options: Vec<OptionResults>, positive: bool| QuestionResults {
            id: "q".into(),
            prompt: "Q".into(),
            kind: "single_choice".into(),
            versions: vec![],
            versions_note: None,
            respondents: none(),
            options,
            rows: vec![],
            scale: vec![],
            score_label: positive.then(|| "Agree".to_string()),
            positive: positive.then(none),
            score: None,
            hidden: Default::default(),
            notes: Default::default(),
            table: vec![],
        };
        let polarity = |q: &QuestionResults| lines(q).into_iter().map(|l| (l.0, l.4)).collect::<Vec<_>>();
        // "Not heard of it" falling is not bad news on a question that names no positive answer.
        let awareness = question(vec![option("not_heard", false), option("know", false)], false);
        assert_eq!(polarity(&awareness), [("not_heard".to_string(), 0), ("know".to_string(), 0)]);
        assert_eq!(Tone::of(Direction::Down, 0), Tone::Neutral);
        // With positive answers, a fall in any other answer is better, a fall in the score worse.
        let purpose = question(vec![option("agree", true), option("disagree", false)], true);
        let p = polarity(&purpose);
        assert_eq!(p, [("agree".to_string(), 1), ("disagree".to_string(), -1), ("score".to_string(), 1)]);
        assert_eq!(Tone::of(Direction::Down, -1), Tone::Better);
        assert_eq!(Tone::of(Direction::Down, 1), Tone::Worse);
        assert_eq!(Tone::of(Direction::NoClearChange, 1), Tone::Neutral);
        let change =
            |direction, tone| Change { since: "a".into(), difference: -3.9, low: -6.0, high: -1.0, direction, tone };
        assert_eq!(change(Direction::Down, Tone::Better).words(), "down (better)");
        assert_eq!(change(Direction::Down, Tone::Neutral).words(), "down");
    }

    #[test]
    fn a_scale_mean_and_its_variance() {
        let (mean, var, n) = scale_mean(&[0, 0, 5, 5, 0]).unwrap();
        assert_eq!((mean, n), (3.5, 10));
        assert!((var - 2.5 / 9.0).abs() < 1e-12);
        assert_eq!(scale_mean(&[0, 1, 0, 0, 0]), None);
    }
}
