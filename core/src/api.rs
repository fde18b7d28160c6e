//! The boundary every binding calls one-to-one: JSON text (or values) in, JSON out, one
//! [`Error`] type out. Bindings convert arguments and results; everything else is here.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, ScimType};
use crate::schema::Registry;
use crate::validate::{Invalid, Note, ValidateOptions, Validated};

/// Reads an options object (camelCase names) from JSON text; empty text means all defaults.
///
/// # Errors
/// `invalidValue` naming the option that is unknown or malformed.
pub fn options_from_json<T: DeserializeOwned + Default>(text: &str) -> Result<T, Error> {
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    serde_json::from_str(text)
        .map_err(|e| Error::new(ScimType::InvalidValue, format!("invalid options: {}", strip_position(&e))))
}

/// Reads an options object from a JSON value; `null` means all defaults.
///
/// # Errors
/// `invalidValue` naming the option that is unknown or malformed.
pub fn options_from_value<T: DeserializeOwned + Default>(value: Value) -> Result<T, Error> {
    if value.is_null() {
        return Ok(T::default());
    }
    serde_json::from_value(value)
        .map_err(|e| Error::new(ScimType::InvalidValue, format!("invalid options: {}", strip_position(&e))))
}

fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.split(" at line ").next().unwrap_or(&text).to_owned()
}

/// Builds a registry: the built-ins plus custom schemas and resource types, each given as
/// RFC 7643 JSON text (a resource type text may hold an array of types).
///
/// # Errors
/// The first malformed definition, with its location inside that document.
pub fn build_registry<S: AsRef<str>, R: AsRef<str>>(schemas: &[S], resource_types: &[R]) -> Result<Registry, Error> {
    let mut builder = Registry::builder();
    for text in schemas {
        builder = builder.schema_json(text.as_ref())?;
    }
    for text in resource_types {
        builder = builder.resource_type_json(text.as_ref())?;
    }
    builder.build()
}

/// The result of a successful validation as bindings return it.
#[derive(Debug, Serialize)]
pub struct ValidateOutput<'a> {
    /// The normalized resource.
    pub resource: &'a Value,
    /// What normalization changed.
    pub notes: &'a [Note],
}

/// The result of a failed validation as the CLI prints it.
#[derive(Debug, Serialize)]
pub struct ValidateFailure<'a> {
    /// Every error.
    pub errors: &'a [Error],
    /// What was noted before failing.
    pub notes: &'a [Note],
}

/// Validates JSON text with options given as JSON text.
///
/// # Errors
/// [`Invalid`] with every error; bad options are one `invalidValue` error.
pub fn validate_text(
    registry: &Registry,
    resource_type: &str,
    body: &str,
    options: &str,
) -> Result<Validated, Invalid> {
    let options: ValidateOptions = options_from_json(options)?;
    crate::validate::validate_json(registry, resource_type, body, &options)
}

/// The JSON text bindings return for a validation that passed.
pub fn validated_to_json(v: &Validated) -> String {
    to_json(&ValidateOutput { resource: &v.resource, notes: &v.notes })
}

/// The JSON text for a failed validation: `{"errors": […], "notes": […]}`.
pub fn invalid_to_json(v: &Invalid) -> String {
    to_json(&ValidateFailure { errors: v.error.errors(), notes: &v.notes })
}

/// Any serializable value as JSON text. Serializing our own types cannot fail; were it to,
/// the text says so as JSON rather than panicking.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

/// Any serializable value as indented JSON text.
pub fn to_json_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}
