//! The heatmap: every context against every item that has a favourable answer — the NHS
//! engagement scores (0 to 10), then each question's share answering positively — with each cell's
//! difference from the whole organisation and its 95% interval. A cell is marked better or worse
//! only when that interval leaves out zero; otherwise it reads "no clear difference", however far
//! apart the figures look.
//!
//! It is made from published results alone ([`SurveyResults`]), so it shows nothing they do not: a
//! hidden figure is hidden here with the same reason. The dashboard, the board pack and the XLSX
//! all draw it from this one function.
//!
//! Divisions are rows too, each adding up its contexts shown, and read like a context.
//!
//! A context is part of the organisation, so it is compared with the rest of it (the organisation's
//! figure less the context's, both published), and the difference from the whole is that
//! difference scaled by the rest's share of the people: `p − P = (n_rest / N)(p − p_rest)`.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::results::{Breakdown, Cell, Heading, QuestionResults, Shares, SurveyResults, ALL};
use crate::score::Estimate;
use crate::sentence::Sentence;
use crate::trend::{newcombe, Direction, Tone, Z};

/// A column of the heatmap: a score or a question's favourable share.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatItem {
    /// `engagement` (and the other scores), `question.row`, or a question id.
    pub id: String,
    /// The question it comes from (empty for a score).
    pub question: String,
    pub label: String,
    /// `score` (0 to 10) or `share` (percent answering positively).
    pub measure: String,
    /// The whole organisation's figure, when shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<f64>,
}

/// One context's figure for one item.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HeatCell {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The people the figure is of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Cell,
    /// The difference from the whole organisation, and its 95% interval (points, or 0–10 units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// Better or worse than the organisation, only when the interval leaves out zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone: Option<Tone>,
    /// Why the figure is hidden, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Sentence>,
}

/// One context's row.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatRow {
    pub id: String,
    pub label: String,
    /// The row is a division, adding up its contexts shown (compared, like a context, with the
    /// rest of the organisation).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub division: bool,
    pub responses: Cell,
    /// One per item, in the order of the heatmap's `items`.
    pub cells: Vec<HeatCell>,
}

/// Figures published elsewhere, from one source and year, for the heatmap's items: shown beside the
/// organisation's for comparison, never compared, coloured or added into.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatReference {
    pub source: String,
    pub year: u16,
    /// One per item, in the order of the heatmap's `items`; `None` where the source gives none.
    pub values: Vec<Option<f64>>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heatmap {
    pub items: Vec<HeatItem>,
    pub rows: Vec<HeatRow>,
    /// Reference figures an admin recorded ([`crate::reference`]), a row per source and year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<HeatReference>,
    /// How to read it.
    pub note: Sentence,
}

impl Heatmap {
    /// With `references` beside its figures: a row per source and year (in the order first
    /// given), holding the figures for its items; a source with none for them is left out.
    pub fn with_references(mut self, references: &[crate::reference::Reference]) -> Heatmap {
        for r in references {
            let Some(at) = self.items.iter().position(|i| i.id == r.item) else { continue };
            let source = r.source.trim();
            let row = match self.references.iter().position(|x| x.source == source && x.year == r.year) {
                Some(row) => row,
                None => {
                    let values = vec![None; self.items.len()];
                    self.references.push(HeatReference { source: source.to_string(), year: r.year, values });
                    self.references.len() - 1
                }
            };
            self.references[row].values[at] = Some(r.value);
        }
        self
    }
}

/// Where an item's figures are read from.
enum Figures<'a> {
    Share { positive: &'a Breakdown, of: &'a Breakdown, shares: &'a Shares },
    Score { all: Option<Estimate>, get: Box<dyn Fn(&str) -> Option<Estimate> + 'a> },
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Figures<'_> {
    fn all(&self) -> Option<f64> {
        match self {
            Figures::Share { shares, .. } => shares.all,
            Figures::Score { all, .. } => all.map(|e| e.value),
        }
    }

    /// A context's cell, compared with the rest of the organisation.
    fn cell(&self, column: &str, hidden: Option<&Sentence>) -> HeatCell {
        let mut cell = HeatCell::default();
        let compared = match self {
            Figures::Share { positive, of, shares } => {
                let (Some(x), Some(n)) = (positive.get(column), of.get(column)) else {
                    cell.hidden = Some(hidden.cloned().unwrap_or_else(crate::publish::nobody_shown));
                    return cell;
                };
                (cell.value, cell.of) = (shares.get(column), Some(n));
                positive.all.zip(of.all).and_then(|(xa, na)| {
                    let (xr, nr) = (xa.checked_sub(x)?, na.checked_sub(n)?);
                    let (d, low, high) = newcombe(xr, nr, x, n)?;
                    let scale = 100.0 * nr as f64 / na as f64;
                    Some((scale * d, scale * low, scale * high, round1 as fn(f64) -> f64))
                })
            }
            Figures::Score { all, get } => {
                let Some(e) = get(column) else {
                    cell.hidden = Some(hidden.cloned().unwrap_or_else(crate::publish::nobody_shown));
                    return cell;
                };
                (cell.value, cell.of) = (Some(e.value), Some(e.of));
                all.and_then(|a| score_difference(&e, &a))
                    .map(|(d, low, high)| (d, low, high, round2 as fn(f64) -> f64))
            }
        };
        if let Some((d, low, high, round)) = compared {
            let direction = Direction::of(low, high);
            cell.difference = Some(round(d));
            (cell.low, cell.high) = (Some(round(low)), Some(round(high)));
            cell.tone = match direction {
                Direction::NoClearChange => None,
                _ => Some(Tone::of(direction, 1)),
            };
        }
        cell
    }
}

/// A context's mean score less the whole organisation's, and its 95% interval, from the two
/// published estimates: the rest of the organisation's mean and spread follow from them.
fn score_difference(c: &Estimate, all: &Estimate) -> Option<(f64, f64, f64)> {
    let (n, nc) = (all.of as f64, c.of as f64);
    let nr = n - nc;
    if nr < 2.0 {
        return None;
    }
    let mr = (n * all.value - nc * c.value) / nr;
    // The whole's sum of squares is the parts' plus their means' distances from the whole's.
    let ss = (n - 1.0) * all.sd.powi(2)
        - (nc - 1.0) * c.sd.powi(2)
        - nc * (c.value - all.value).powi(2)
        - nr * (mr - all.value).powi(2);
    let vr = (ss / (nr - 1.0)).max(0.0);
    let half = Z * (c.sd.powi(2) / nc + vr / nr).sqrt();
    let scale = nr / n;
    let d = c.value - mr;
    Some((scale * d, scale * (d - half), scale * (d + half)))
}

/// The favourable share of a question, or of each of its rows.
fn share_items(q: &QuestionResults) -> Vec<(HeatItem, Figures<'_>)> {
    let item =
        |id: String, label: String, all| HeatItem { id, question: q.id.clone(), label, measure: "share".into(), all };
    let mut out = Vec::new();
    if let (Some(positive), Some(shares)) = (&q.positive, &q.score) {
        let label = crate::results::labelled(&q.prompt, &q.score_label.clone().unwrap_or_default());
        out.push((item(q.id.clone(), label, shares.all), Figures::Share { positive, of: &q.respondents, shares }));
    }
    if q.score_label.is_some() {
        for r in &q.rows {
            let label = crate::results::labelled(&r.label, &q.score_label.clone().unwrap_or_default());
            let figures = Figures::Share { positive: &r.positive, of: &r.respondents, shares: &r.score };
            out.push((item(format!("{}.{}", q.id, r.id), label, r.score.all), figures));
        }
    }
    out
}

/// The heatmap of a set of results (all waves, or one): its contexts as rows (hidden ones
/// included, reading as hidden), its scores and favourable shares as columns, its own words in
/// `lang` (the survey's are as `results` carries them).
pub fn heatmap(results: &SurveyResults, lang: Lang) -> Heatmap {
    let mut items: Vec<(HeatItem, Figures)> = Vec::new();
    for s in &results.scores {
        let figures = Figures::Score { all: s.all, get: Box::new(move |c: &str| s.get(c)) };
        let label = crate::score::Score::from_id(&s.id).map_or_else(|| s.label.clone(), |x| x.label(lang));
        items.push((
            HeatItem { id: s.id.clone(), question: String::new(), label, measure: "score".into(), all: figures.all() },
            figures,
        ));
    }
    for q in &results.questions {
        items.extend(share_items(q));
    }
    let hidden_of = |item: &HeatItem, column: &str| -> Option<&Sentence> {
        match item.question.as_str() {
            "" => results.scores.iter().find(|s| s.id == item.id)?.hidden.get(column),
            q => results.questions.iter().find(|x| x.id == q)?.hidden.get(column),
        }
    };
    let columns: Vec<&Heading> = results.columns.iter().filter(|c| c.id != ALL).collect();
    let rows = columns
        .iter()
        .map(|c| HeatRow {
            id: c.id.clone(),
            label: c.label.clone(),
            division: c.division,
            responses: results.contexts.iter().find(|x| x.id == c.id).and_then(|x| x.responses),
            cells: items.iter().map(|(item, f)| f.cell(&c.id, hidden_of(item, &c.id))).collect(),
        })
        .collect();
    Heatmap {
        items: items.into_iter().map(|(item, _)| item).collect(),
        rows,
        references: Vec::new(),
        note: Sentence::new(|l| {
            l.pick(
                "Each cell is a context's score (0 to 10) or the share of its people answering positively, beside \
                 the whole organisation's. A cell is marked better or worse only when the 95% interval of its \
                 difference from the organisation leaves out zero; otherwise there is no clear difference, however \
                 far apart the figures look. A hidden cell is one the results hide, for the reason given.",
                "Mae pob cell yn sgôr cyd-destun (0 i 10) neu'n gyfran ei bobl a atebodd yn gadarnhaol, wrth ymyl \
                 un y sefydliad cyfan. Dim ond pan fydd cyfwng 95% ei gwahaniaeth oddi wrth y sefydliad yn hepgor \
                 sero y nodir bod cell yn well neu'n waeth; fel arall nid oes gwahaniaeth clir, ni waeth pa mor bell \
                 oddi wrth ei gilydd y mae'r ffigurau'n edrych. Mae cell gudd yn un y mae'r canlyniadau'n ei \
                 chuddio, am y rheswm a roddir.",
            )
            .into()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate(value: f64, sd: f64, of: u64) -> Estimate {
        Estimate { value, low: 0.0, high: 10.0, sd, of }
    }

    #[test]
    fn a_score_difference_is_the_context_against_the_rest_scaled_to_the_whole() {
        // Two halves of 100 people each, means 6 and 8 with sd 1: the whole is 7 with sd
        // sqrt((99 + 99 + 100 + 100) / 199) ≈ 1.414.
        let all = estimate(7.0, ((99.0 + 99.0 + 100.0 + 100.0) / 199.0f64).sqrt(), 200);
        let (d, low, high) = score_difference(&estimate(6.0, 1.0, 100), &all).unwrap();
        // Against the rest: −2 ± 1.96 × √(1/100 + 1/100) = −2 ± 0.277; half of it against the whole.
        assert!((d + 1.0).abs() < 1e-9, "{d}");
        assert!((low + 1.0 + 0.1386).abs() < 1e-3 && (high + 1.0 - 0.1386).abs() < 1e-3, "{low} {high}");
        // A context that is the whole organisation has nothing to be compared with.
        assert_eq!(score_difference(&estimate(7.0, 1.0, 200), &all), None);
    }

    #[test]
    fn references_sit_beside_the_items_they_are_for_and_are_never_compared() {
        use crate::reference::{items, Reference};
        let def = crate::default_survey::constitution();
        let map = heatmap(&crate::default_survey::results_of("clinical", 12), Lang::En);
        // The items a reference may be for are the heatmap's columns.
        let ids: Vec<String> = map.items.iter().map(|i| i.id.clone()).collect();
        assert_eq!(ids, items(&def).into_iter().map(|i| i.id).collect::<Vec<_>>());
        let reference =
            |item: &str, value, year| Reference { item: item.into(), value, source: " National average ".into(), year };
        let before = map.clone();
        let map = map.with_references(&[
            reference("shared_purpose", 70.0, 2025),
            reference("values_lived.compassion", 80.0, 2025),
            reference("shared_purpose", 68.0, 2024),
        ]);
        assert_eq!(
            (map.items.clone(), map.rows.clone()),
            (before.items, before.rows),
            "the organisation's figures are untouched"
        );
        assert_eq!(map.references.len(), 2, "a row per source and year");
        let row = &map.references[0];
        assert_eq!((row.source.as_str(), row.year), ("National average", 2025));
        let at = |id: &str| ids.iter().position(|i| i == id).unwrap();
        assert_eq!(
            (row.values[at("shared_purpose")], row.values[at("values_lived.compassion")]),
            (Some(70.0), Some(80.0))
        );
        assert_eq!(row.values.iter().flatten().count(), 2, "nothing else in the row");
        assert_eq!(map.references[1].values[at("shared_purpose")], Some(68.0));
    }
}
