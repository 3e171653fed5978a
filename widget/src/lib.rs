//! The embeddable Values Pulse widget. It renders a survey from `pulse-shared`'s definition inside a
//! shadow root on a host page and posts responses that `pulse-shared` has already validated.
//!
//! Until the Leptos component lands, this crate holds the browser-side entry points that need no DOM:
//! it checks a response exactly as the server will, so the two can never disagree.

use pulse_shared::{validate, FieldError, SurveyDefinition, SurveyResponse};

/// The field errors to show beside the form before anything is sent.
pub fn errors_before_sending(def: &SurveyDefinition, response: &SurveyResponse) -> Vec<FieldError> {
    validate(def, response)
}
