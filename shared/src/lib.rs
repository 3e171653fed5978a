//! The rules Values Pulse applies in the browser and on the server alike: what a survey is, what a
//! response may contain, what free text must not contain, and which counts may be shown.
//!
//! This crate depends on serde and plain data only, so it builds for `wasm32-unknown-unknown` and the
//! widget runs exactly the checks the server enforces.

/// Serialise a type as its `Display` text and read it back through `FromStr`, so ids and days
/// travel as plain strings and a malformed one is refused with the type's own message.
#[macro_export]
#[doc(hidden)]
macro_rules! serde_as_text {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// In OpenAPI, a type that travels as text: its pattern and what it is.
#[cfg(feature = "openapi")]
macro_rules! text_schema {
    ($t:ty, $name:literal, $pattern:literal, $description:literal) => {
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .pattern(Some($pattern))
                    .description(Some($description))
                    .into()
            }
        }

        impl utoipa::ToSchema for $t {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed($name)
            }
        }
    };
}

#[cfg(feature = "openapi")]
text_schema!(Date, "Date", "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", "A calendar day, YYYY-MM-DD.");
#[cfg(feature = "openapi")]
text_schema!(
    SubmissionId,
    "SubmissionId",
    "^[0-9a-fA-F]{32}$",
    "128 random bits chosen by the browser, as 32 hex characters."
);

pub mod address;
pub mod admin;
pub mod bank;
pub mod date;
pub mod default_survey;
pub mod definition;
pub mod draft;
pub mod evidence;
pub mod field;
pub mod headlines;
pub mod heatmap;
pub mod lang;
pub mod media;
pub mod publish;
pub mod reference;
pub mod relabel;
pub mod response;
pub mod results;
pub mod role;
pub mod score;
pub mod scrub;
pub mod sentence;
pub mod similar;
pub mod tally;
pub mod trend;
pub mod validate;
pub mod values;
pub mod wave;

pub use date::Date;
pub use definition::{
    is_slug, Choice, ContextTag, DefinitionError, Division, Protect, Question, QuestionKind, ShowIf, SurveyDefinition,
    CONSENT_YES, DEFAULT_K, MIN_K, SLUG_PATTERN,
};
pub use lang::{Lang, Text};
pub use media::StoryLink;
pub use publish::{publish, release_due, survey_k, Publication, VersionCounts, BEFORE_WAVES};
pub use response::{Answer, Answers, Points, SubmissionId, SurveyResponse};
pub use results::{Cell, PerContext, QuestionResults, SurveyResults};
pub use role::Role;
pub use scrub::{likely_names, placeholders_in, scrub, ScrubKind, Scrubbed};
pub use sentence::Sentence;
pub use similar::near_duplicates;
pub use tally::{tally_keys, TallyKey};
pub use trend::{trend, SurveyTrend};
pub use validate::{validate, validate_in, word_count, ErrorCode, FieldError};
pub use values::NhsValue;
pub use wave::{closed_message, parse_headcounts, wave_id_on, wave_on, Headcount, Wave, WaveEdit, NO_WAVE};
