//! Every word the widget shows, in one place so that a translation touches one file.

pub const LOADING: &str = "Loading the survey…";
pub const LOAD_FAILED: &str = "The survey could not be loaded. Please try again later.";
pub const TRY_AGAIN: &str = "Try again";
pub const SUBMIT: &str = "Send my answers";
pub const SENDING: &str = "Sending your answers…";
pub const THERE_IS_A_PROBLEM: &str = "There is a problem";
pub const ERROR_PREFIX: &str = "Error:";
pub const OPTIONAL: &str = "(optional)";
pub const ANONYMOUS: &str = "Your answers are anonymous: we do not record your name, your device or when you answered.";
pub const THANKS_TITLE: &str = "Thank you";
pub const THANKS_BODY: &str =
    "Your answers have been sent. Results are only ever shown for groups of people, never for one person.";
pub const ALREADY_TITLE: &str = "Thank you, you've already responded";
pub const ALREADY_BODY: &str = "This device has already sent answers to this survey.";
pub const SAVED_TITLE: &str = "Your answers are saved";
pub const SAVED_BODY: &str =
    "We could not reach the survey just now. Your answers are saved on this device and will be \
                              sent automatically when the connection is back. You do not need to do anything.";
pub const REFUSED_TITLE: &str = "Your answers could not be accepted";

pub fn progress(answered: usize, total: usize) -> String {
    format!("{answered} of {total} questions answered")
}

pub fn words(count: usize, max: u32) -> String {
    format!("{count} of {max} words")
}

/// "Your example seems to include a phone number and an e-mail address. …"
pub fn scrub_warning(found: &[&str]) -> String {
    let list = match found {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    format!(
        "Your example seems to include {list}. To keep everyone anonymous, this will be removed before your \
         answers are stored."
    )
}
