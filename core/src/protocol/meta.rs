//! Filling a resource's `meta` (RFC 7643 §3.1): `resourceType`, `created`, `lastModified`,
//! `location` and `version`.
//!
//! - `resourceType` is the type's name; `version` is the weak entity tag of the content
//!   ([`super::etag()`], which leaves `meta` out, so filling `meta` does not change it).
//! - `location` is `<baseUrl><endpoint>/<id>` with the id percent-encoded as a path segment;
//!   without a base URL it is left as it is. Building it needs the resource's `id`.
//! - `created` and `lastModified` come from the options when given (they must be RFC 7643
//!   dateTimes, and `lastModified` may not be before `created`), else stay as they are; a
//!   resource never modified has `lastModified` equal to `created` (§3.1), so a missing
//!   `lastModified` takes `created`.
//! - Other members of `meta` are kept; the members set take the RFC's spelling.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::etag::etag;
use crate::error::{Error, Location, ScimType, excerpt};
use crate::schema::ResourceTypeView;
use crate::value::parse_datetime;

/// What [`fill_meta`] sets besides what it computes. Read from JSON with camelCase names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct MetaOptions {
    /// The service's base URL (`https://example.com/scim/v2`), for `meta.location`.
    pub base_url: Option<String>,
    /// When the resource was created.
    pub created: Option<String>,
    /// When the resource last changed.
    pub last_modified: Option<String>,
}

/// Whether `b` may stand unescaped in a URI path segment (RFC 3986 `pchar` without `%`).
const fn is_pchar(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
        )
}

/// `text` percent-encoded as one URI path segment. A segment of dots only (`.`, `..`) has its
/// dots encoded too: written plainly, it would be a dot-segment, which resolving a URI removes
/// (RFC 3986 §5.2.4), so `…/Users/..` would name `…/`.
pub fn encode_segment(text: &str) -> String {
    if matches!(text, "." | "..") {
        return text.replace('.', "%2E");
    }
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if is_pchar(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF".get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
            out.push(char::from(b"0123456789ABCDEF".get(usize::from(b & 15)).copied().unwrap_or(b'0')));
        }
    }
    out
}

/// The location of the resource `id` served at `endpoint` (`/Users`) under `base_url`.
pub fn resource_location(base_url: &str, endpoint: &str, id: &str) -> String {
    format!("{}{}/{}", base_url.trim_end_matches('/'), endpoint, encode_segment(id))
}

fn instant_option(name: &str, value: Option<&String>) -> Result<Option<crate::value::Instant>, Error> {
    value
        .map(|text| {
            parse_datetime(text).ok_or_else(|| {
                Error::new(ScimType::InvalidValue, format!("`{name}` must be a dateTime, found `{}`", excerpt(text)))
                    .at(Location::root().key(name))
            })
        })
        .transpose()
}

/// Sets `meta` of `resource`, a resource of `view`.
///
/// # Errors
/// `invalidValue` when `resource` is not an object, when a location is asked for and the
/// resource has no string `id`, or when a time is not a dateTime or `lastModified` is before
/// `created`.
pub fn fill_meta(view: ResourceTypeView<'_>, resource: &mut Value, options: &MetaOptions) -> Result<(), Error> {
    let created = instant_option("created", options.created.as_ref())?;
    let modified = instant_option("lastModified", options.last_modified.as_ref())?;
    if let (Some(c), Some(m)) = (&created, &modified) {
        if m < c {
            return Err(Error::new(ScimType::InvalidValue, "`lastModified` is before `created`")
                .at(Location::root().key("lastModified")));
        }
    }
    let version = etag(resource);
    let Value::Object(map) = resource else {
        return Err(Error::new(ScimType::InvalidValue, "a resource must be a JSON object").at(Location::root()));
    };
    let location = match &options.base_url {
        None => None,
        Some(base) => {
            let id = map.iter().find(|(k, _)| k.eq_ignore_ascii_case("id")).and_then(|(_, v)| v.as_str());
            let id = id.ok_or_else(|| {
                Error::new(ScimType::InvalidValue, "the resource needs a string `id` to build `meta.location`")
                    .at(Location::root().key("id"))
            })?;
            // `.` and `..` are dot-segments however they are written (URL parsers and RFC 3986
            // §6.2.2.2 normalization decode `%2E`), so no URI of the resource can end in them.
            if matches!(id, "" | "." | "..") {
                return Err(Error::new(
                    ScimType::InvalidValue,
                    format!("the id `{id}` cannot name a resource in a URI, so `meta.location` cannot be built"),
                )
                .at(Location::root().key("id")));
            }
            Some(resource_location(base, view.definition().endpoint(), id))
        }
    };
    let meta_key = map.keys().find(|k| k.eq_ignore_ascii_case("meta")).cloned().unwrap_or_else(|| "meta".to_owned());
    let mut meta = match map.remove(&meta_key) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut set = |name: &str, value: Value| {
        meta.retain(|k, _| !k.eq_ignore_ascii_case(name));
        meta.insert(name.to_owned(), value);
    };
    set("resourceType", view.definition().name().into());
    if let Some(c) = &options.created {
        set("created", c.clone().into());
    }
    if let Some(m) = &options.last_modified {
        set("lastModified", m.clone().into());
    }
    if let Some(l) = location {
        set("location", l.into());
    }
    set("version", version.into());
    let has = |m: &Map<String, Value>, name: &str| m.keys().any(|k| k.eq_ignore_ascii_case(name));
    if !has(&meta, "lastModified") {
        if let Some(created) = meta.iter().find(|(k, _)| k.eq_ignore_ascii_case("created")).map(|(_, v)| v.clone()) {
            meta.insert("lastModified".to_owned(), created);
        }
    }
    map.insert(meta_key, Value::Object(meta));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Registry;
    use serde_json::json;

    #[test]
    fn fills_every_member() {
        let registry = Registry::builtin();
        let view = registry.resource_type("User").unwrap();
        let mut user = json!({"id": "a b/c", "userName": "bjensen"});
        let options = MetaOptions {
            base_url: Some("https://example.com/v2/".into()),
            created: Some("2024-01-02T03:04:05Z".into()),
            last_modified: None,
        };
        fill_meta(view, &mut user, &options).unwrap();
        let meta = &user["meta"];
        assert_eq!(meta["location"], "https://example.com/v2/Users/a%20b%2Fc");
        assert_eq!(meta["lastModified"], "2024-01-02T03:04:05Z");
        assert_eq!(meta["resourceType"], "User");
        assert_eq!(meta["version"], etag(&user));
    }

    #[test]
    fn refuses_bad_times_and_missing_id() {
        let registry = Registry::builtin();
        let view = registry.resource_type("User").unwrap();
        let mut user = json!({"userName": "x"});
        let bad = MetaOptions { created: Some("yesterday".into()), ..MetaOptions::default() };
        assert!(fill_meta(view, &mut user, &bad).is_err());
        let no_id = MetaOptions { base_url: Some("https://x".into()), ..MetaOptions::default() };
        assert!(fill_meta(view, &mut user, &no_id).is_err());
    }
}
