//! The six NHS values, in the words of the NHS Constitution.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// One of the NHS values. The ids are what travel on the wire and sit in results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NhsValue {
    WorkingTogether,
    RespectDignity,
    CommitmentToQuality,
    Compassion,
    ImprovingLives,
    EveryoneCounts,
}

impl NhsValue {
    pub const ALL: [NhsValue; 6] = [
        NhsValue::WorkingTogether,
        NhsValue::RespectDignity,
        NhsValue::CommitmentToQuality,
        NhsValue::Compassion,
        NhsValue::ImprovingLives,
        NhsValue::EveryoneCounts,
    ];

    pub fn id(self) -> &'static str {
        match self {
            NhsValue::WorkingTogether => "working_together",
            NhsValue::RespectDignity => "respect_dignity",
            NhsValue::CommitmentToQuality => "commitment_to_quality",
            NhsValue::Compassion => "compassion",
            NhsValue::ImprovingLives => "improving_lives",
            NhsValue::EveryoneCounts => "everyone_counts",
        }
    }

    /// The value as the NHS Constitution names it.
    pub fn label(self) -> &'static str {
        match self {
            NhsValue::WorkingTogether => "Working together for patients",
            NhsValue::RespectDignity => "Respect and dignity",
            NhsValue::CommitmentToQuality => "Commitment to quality of care",
            NhsValue::Compassion => "Compassion",
            NhsValue::ImprovingLives => "Improving lives",
            NhsValue::EveryoneCounts => "Everyone counts",
        }
    }

    /// The first sentence the NHS Constitution gives the value.
    pub fn description(self) -> &'static str {
        match self {
            NhsValue::WorkingTogether => "Patients come first in everything we do.",
            NhsValue::RespectDignity => {
                "We value every person – whether patient, their families or carers, or staff – as an individual, \
                 respect their aspirations and commitments in life, and seek to understand their priorities, needs, \
                 abilities and limits."
            }
            NhsValue::CommitmentToQuality => {
                "We earn the trust placed in us by insisting on quality and striving to get the basics of quality of \
                 care – safety, effectiveness and patient experience – right every time."
            }
            NhsValue::Compassion => {
                "We ensure that compassion is central to the care we provide and respond with humanity and kindness \
                 to each person's pain, distress, anxiety or need."
            }
            NhsValue::ImprovingLives => {
                "We strive to improve health and well-being and people's experiences of the NHS."
            }
            NhsValue::EveryoneCounts => {
                "We maximise our resources for the benefit of the whole community, and make sure nobody is excluded, \
                 discriminated against or left behind."
            }
        }
    }

    /// The value's name in Welsh.
    pub fn label_cy(self) -> &'static str {
        match self {
            NhsValue::WorkingTogether => "Cydweithio er budd cleifion",
            NhsValue::RespectDignity => "Parch ac urddas",
            NhsValue::CommitmentToQuality => "Ymrwymiad i ansawdd gofal",
            NhsValue::Compassion => "Tosturi",
            NhsValue::ImprovingLives => "Gwella bywydau",
            NhsValue::EveryoneCounts => "Mae pawb yn cyfrif",
        }
    }

    /// The value's name in `lang`.
    pub fn label_in(self, lang: Lang) -> &'static str {
        lang.pick(self.label(), self.label_cy())
    }

    pub fn from_id(id: &str) -> Option<NhsValue> {
        NhsValue::ALL.into_iter().find(|v| v.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_serde() {
        for v in NhsValue::ALL {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.id()));
            assert_eq!(NhsValue::from_id(v.id()), Some(v));
        }
        assert_eq!(NhsValue::from_id("kindness"), None);
    }
}
