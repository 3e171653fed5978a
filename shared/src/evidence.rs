//! A values evidence pack: for one NHS value, what the survey says about it — the score of each
//! matrix row that asks about it and the share who chose it where a question offers it (the focus
//! value), for everyone and each context, with their trend across waves — beside the approved
//! stories tagged with it. For a board paper or a well-led review.
//!
//! Every figure is read from the published results and the trend built on them, so a figure
//! hidden there is hidden here, with the same reason.

use serde::{Deserialize, Serialize};

use crate::definition::SurveyDefinition;
use crate::media::StoryLink;
use crate::publish::is_story_kind;
use crate::results::{Breakdown, Cell, Heading, QuestionResults, Share, Shares, SurveyResults};
use crate::trend::{SurveyTrend, TrendLine};
use crate::values::NhsValue;

/// One column of a figure: everyone or a context.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceCell {
    /// `all` or a context id.
    pub column: String,
    /// The share in percent; absent when hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub percent: Share,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Cell,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Cell,
    /// Why it is hidden, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<String>,
}

/// A figure about the value: a matrix row's score, or the share who chose it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceFigure {
    pub question: String,
    pub prompt: String,
    /// `score` (a matrix row: the share answering positively) or `chosen` (an option).
    pub kind: String,
    /// What the share counts, e.g. "Compassion: Often or Always".
    pub label: String,
    /// In the order of the pack's `columns`.
    pub cells: Vec<EvidenceCell>,
    /// The same figure in each wave, by column; absent for a survey without waves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<TrendLine>,
}

/// An approved story tagged with the value.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceStory {
    pub text: String,
    /// Every value it was tagged with.
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<StoryLink>,
}

/// Everything the survey says about one NHS value.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueEvidence {
    pub survey: String,
    pub title: String,
    pub k: u32,
    /// The value's id and name.
    pub value: String,
    pub label: String,
    /// The value as the NHS Constitution puts it: in English, the language it is written in.
    pub description: String,
    /// Responses in the groups shown.
    pub responses: Cell,
    /// How to read the pack.
    pub note: String,
    /// Everyone, then each context.
    pub columns: Vec<Heading>,
    /// The waves of the trend, oldest first (empty without waves).
    pub waves: Vec<crate::results::WaveHeading>,
    pub figures: Vec<EvidenceFigure>,
    /// Approved stories only; none while the survey's stories may not be shown.
    pub stories: Vec<EvidenceStory>,
}

fn cells(
    q: &QuestionResults,
    counts: &Breakdown,
    of: &Breakdown,
    shares: &Shares,
    columns: &[Heading],
    lang: crate::Lang,
) -> Vec<EvidenceCell> {
    columns
        .iter()
        .map(|c| {
            let percent = shares.get(&c.id);
            EvidenceCell {
                column: c.id.clone(),
                percent,
                count: percent.and(counts.get(&c.id)),
                of: percent.and(of.get(&c.id)),
                hidden: percent.is_none().then(|| match q.hidden.get(&c.id) {
                    Some(reason) => reason.to_string(),
                    None => crate::publish::nobody_shown().into_lang(lang),
                }),
            }
        })
        .collect()
}

/// The evidence pack for `value`, from the survey's published `combined` results, its trend (for a
/// survey with waves) and its approved `stories`, its own words in `lang` (the survey's are as
/// `combined` and `trend` carry them: see [`crate::relabel`]).
pub fn evidence(
    def: &SurveyDefinition,
    combined: &SurveyResults,
    trend: Option<&SurveyTrend>,
    stories: &[EvidenceStory],
    value: NhsValue,
    lang: crate::Lang,
) -> ValueEvidence {
    let id = value.id();
    let line = |question: &str, line: &str| {
        trend
            .and_then(|t| t.questions.iter().find(|q| q.id == question))
            .and_then(|q| q.lines.iter().find(|l| l.id == line))
            .cloned()
    };
    let mut figures = Vec::new();
    for q in &combined.questions {
        if is_story_kind(&q.kind) {
            continue;
        }
        if let Some(row) = q.rows.iter().find(|r| r.id == id) {
            let measure = q.score_label.clone().unwrap_or_default();
            figures.push(EvidenceFigure {
                question: q.id.clone(),
                prompt: q.prompt.clone(),
                kind: "score".into(),
                label: crate::results::labelled(&row.label, &measure),
                cells: cells(q, &row.positive, &row.respondents, &row.score, &combined.columns, lang),
                trend: line(&q.id, &row.id),
            });
        }
        if let Some(option) = q.options.iter().find(|o| o.id == id) {
            figures.push(EvidenceFigure {
                question: q.id.clone(),
                prompt: q.prompt.clone(),
                kind: "chosen".into(),
                label: format!("{} {}", lang.pick("Chose", "Dewisodd"), option.label),
                cells: cells(q, &option.counts, &q.respondents, &option.shares, &combined.columns, lang),
                trend: line(&q.id, &option.id),
            });
        }
    }
    let k = combined.k;
    ValueEvidence {
        survey: def.id.clone(),
        title: combined.title.clone(),
        k,
        value: id.to_string(),
        label: value.label_in(lang).to_string(),
        description: value.description().to_string(),
        responses: combined.responses,
        note: match lang {
            crate::Lang::En => format!(
                "Scores are the share of people who answered positively; \"chose\" is the share who picked this value \
                 where a question offers it. Every figure adds up only the groups shown: a group in which fewer than {k} \
                 people answered is hidden, everywhere. Stories are those staff agreed to share and an admin approved."
            ),
            crate::Lang::Cy => format!(
                "Sgoriau yw cyfran y bobl a atebodd yn gadarnhaol; \"dewisodd\" yw cyfran y rhai a ddewisodd y gwerth \
                 hwn lle mae cwestiwn yn ei gynnig. Mae pob ffigur yn adio'r grwpiau a ddangosir yn unig: mae grŵp lle \
                 atebodd llai na {k} o bobl wedi'i guddio, ym mhobman. Y straeon yw'r rhai y cytunodd staff i'w rhannu \
                 ac a gymeradwywyd gan weinyddwr."
            ),
        },
        columns: combined.columns.clone(),
        waves: trend.map(|t| t.waves.clone()).unwrap_or_default(),
        figures,
        stories: stories.iter().filter(|s| s.values.iter().any(|v| v == id)).cloned().collect(),
    }
}
