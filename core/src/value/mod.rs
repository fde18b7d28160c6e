//! The value forms RFC 7643 types use as JSON strings: dateTime instants, base64, URIs, and the
//! case-insensitive comparison rule; and a JSON value's kind, for messages.

mod case;
mod datetime;
mod kind;
mod number;
mod text_forms;

pub use case::{cmp_ignore_case, eq_ignore_case, fold_case};
pub use datetime::{Instant, parse_datetime};
pub use kind::kind_of;
pub(crate) use number::whole_double_digits;
pub use text_forms::{is_absolute_uri, is_base64, is_uri_reference, points_into_endpoint};
