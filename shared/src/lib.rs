//! The rules Values Pulse applies in the browser and on the server alike: what a survey is, what a
//! response may contain, what free text must not contain, and which counts may be shown.
//!
//! This crate depends on serde and plain data only, so it builds for `wasm32-unknown-unknown` and the
//! widget runs exactly the checks the server enforces.

pub mod date;
pub mod default_survey;
pub mod definition;
pub mod response;
pub mod results;
pub mod scrub;
pub mod tally;
pub mod validate;
pub mod values;

pub use date::Date;
pub use definition::{
    Choice, ContextTag, DefinitionError, Question, QuestionKind, ShowIf, SurveyDefinition, DEFAULT_K, MIN_K,
};
pub use response::{Answer, SubmissionId, SurveyResponse};
pub use results::{suppress, Cell, QuestionResults, SurveyResults};
pub use scrub::{scrub, ScrubKind, Scrubbed};
pub use tally::{tally_keys, TallyKey, RESPONSES_KEY};
pub use validate::{validate, word_count, ErrorCode, FieldError};
pub use values::NhsValue;
