//! What staff's pages call, with no sign-in: the survey definition, the response endpoint, the
//! showcase of stories and the headline results shared with staff.

pub mod headlines;
pub mod responses;
pub mod showcase;
pub mod surveys;
