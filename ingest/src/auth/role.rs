//! Who is asking: the admin a request comes from, and how they got in. (The roles themselves are
//! [`pulse_shared::Role`], which the options and the store name too.)

pub use pulse_shared::Role;

pub use pulse_shared::admin::{Admin, Via};
