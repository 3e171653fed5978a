//! Reference figures: comparison figures published elsewhere (the NHS Staff Survey's national
//! average, a peer group's) that an admin records, so that the heatmap and the board pack show them
//! beside the organisation's own. They are someone else's figures, typed in by an admin: kept
//! apart from the results, always marked as a reference, and never added into, compared with or
//! coloured like one of the organisation's own.

use serde::{Deserialize, Serialize};

use crate::definition::{DefinitionError, QuestionKind, SurveyDefinition};
use crate::score::Score;

/// The most reference figures a survey keeps.
pub const MAX_REFERENCES: usize = 200;
/// The longest a source may be, in characters.
pub const MAX_SOURCE: usize = 200;
/// The years a published figure may be for.
pub const YEARS: std::ops::RangeInclusive<u16> = 1990..=2100;

/// One published figure for one item.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// What it is a figure of, as the heatmap names its columns: an NHS score (`engagement`,
    /// `motivation` …), a matrix row (`values_lived.compassion`), or a question with favourable
    /// answers (`shared_purpose`).
    pub item: String,
    /// The figure: a score from 0 to 10, or a percentage from 0 to 100, as the item measures.
    pub value: f64,
    /// Who published it, and of whom: "NHS Staff Survey, national average, acute trusts".
    pub source: String,
    /// The year it is for.
    pub year: u16,
}

/// A survey's reference figures, as `GET` gives them and `PUT` replaces them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct References {
    #[serde(default)]
    pub references: Vec<Reference>,
}

/// An item a reference may be for: its id, and whether it is a score (0 to 10) or a share (%).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub score: bool,
}

/// The items of `def` a reference may be for: the heatmap's columns (its NHS scores, then each
/// favourable share).
pub fn items(def: &SurveyDefinition) -> Vec<Item> {
    let mut out: Vec<Item> =
        Score::of_survey(def).into_iter().map(|s| Item { id: s.id().to_string(), score: true }).collect();
    for q in &def.questions {
        match &q.kind {
            QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } if !q.positive.is_empty() => {
                out.push(Item { id: q.id.clone(), score: false });
            }
            QuestionKind::LikertMatrix { rows, .. } => {
                out.extend(rows.iter().map(|r| Item { id: format!("{}.{}", q.id, r.id), score: false }));
            }
            _ => {}
        }
    }
    out
}

impl References {
    /// These figures as they are kept for `def` (each source without spaces at either end), or every
    /// reason they cannot be.
    pub fn kept(mut self, def: &SurveyDefinition) -> Result<References, Vec<DefinitionError>> {
        let errors = self.check(def);
        if !errors.is_empty() {
            return Err(errors);
        }
        for r in &mut self.references {
            r.source = r.source.trim().to_string();
        }
        Ok(self)
    }

    /// Every reason these figures cannot be kept for `def`; empty when sound.
    pub fn check(&self, def: &SurveyDefinition) -> Vec<DefinitionError> {
        let mut errors = Vec::new();
        let mut err = |field: String, message: String| errors.push(DefinitionError { field, message });
        if self.references.len() > MAX_REFERENCES {
            err("references".into(), format!("at most {MAX_REFERENCES} figures, got {}", self.references.len()));
        }
        let items = items(def);
        for (i, r) in self.references.iter().enumerate() {
            let field = |name: &str| format!("references[{i}].{name}");
            match items.iter().find(|x| x.id == r.item) {
                None => err(
                    field("item"),
                    format!("{:?} is not an NHS score or a question with a favourable answer in this survey", r.item),
                ),
                Some(item) => {
                    let (top, unit) =
                        if item.score { (10.0, "a score from 0 to 10") } else { (100.0, "a percentage from 0 to 100") };
                    if !(0.0..=top).contains(&r.value) {
                        err(field("value"), format!("{} must be {unit}", r.value));
                    }
                }
            }
            let source = r.source.trim();
            if source.is_empty() {
                err(field("source"), "say who published it, e.g. \"NHS Staff Survey, national average\"".into());
            } else if source.chars().count() > MAX_SOURCE {
                err(field("source"), format!("at most {MAX_SOURCE} characters"));
            }
            if !YEARS.contains(&r.year) {
                err(field("year"), format!("{} is not a year from {} to {}", r.year, YEARS.start(), YEARS.end()));
            }
            let same = |o: &Reference| o.item == r.item && o.source.trim() == source && o.year == r.year;
            if self.references[..i].iter().any(same) {
                err(field("item"), format!("{:?} already has a figure from this source for {}", r.item, r.year));
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_survey::constitution;

    fn reference(item: &str, value: f64) -> Reference {
        Reference { item: item.into(), value, source: "NHS Staff Survey, national average".into(), year: 2025 }
    }

    #[test]
    fn a_reference_is_for_an_item_of_the_survey_on_its_scale() {
        let def = constitution();
        let ids: Vec<String> = items(&def).into_iter().map(|i| i.id).collect();
        assert!(ids.contains(&"values_lived.compassion".to_string()) && ids.contains(&"shared_purpose".to_string()));
        let good = References {
            references: vec![reference("shared_purpose", 71.5), reference("values_lived.compassion", 0.0)],
        };
        assert_eq!(good.check(&def), vec![]);
        let fields = |refs: Vec<Reference>| -> Vec<String> {
            References { references: refs }.check(&def).into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(vec![reference("awareness", 50.0)]), ["references[0].item"], "no favourable answer");
        assert_eq!(fields(vec![reference("shared_purpose", 100.5)]), ["references[0].value"]);
        assert_eq!(fields(vec![reference("shared_purpose", -1.0)]), ["references[0].value"]);
        let mut old = reference("shared_purpose", 60.0);
        (old.year, old.source) = (1850, " ".into());
        assert_eq!(fields(vec![old]), ["references[0].source", "references[0].year"]);
        let twice = vec![reference("shared_purpose", 60.0), reference("shared_purpose", 61.0)];
        assert_eq!(fields(twice), ["references[1].item"]);
        let mut other_year = reference("shared_purpose", 61.0);
        other_year.year = 2024;
        assert_eq!(fields(vec![reference("shared_purpose", 60.0), other_year]), Vec::<String>::new());
    }

    #[test]
    fn a_score_reference_is_from_0_to_10() {
        let mut def = constitution();
        def.questions = crate::bank::Template::Engagement.build("pulse").questions;
        let ids: Vec<String> = items(&def).into_iter().filter(|i| i.score).map(|i| i.id).collect();
        assert_eq!(ids, ["engagement", "motivation", "involvement", "advocacy"]);
        let refs = |value| References { references: vec![reference("engagement", value)] };
        assert_eq!(refs(6.8).check(&def), vec![]);
        assert_eq!(refs(68.0).check(&def).len(), 1, "a score is not a percentage");
    }
}
