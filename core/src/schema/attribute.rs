//! The RFC 7643 §2 and §7 attribute model: every characteristic an attribute definition has.

/// The literals as one `&'static str`, separated by ", ".
macro_rules! comma_list {
    ($first:literal $(, $rest:literal)*) => {
        concat!($first $(, ", ", $rest)*)
    };
}

pub(crate) use comma_list;

/// Declares a closed set of names with their wire spelling, `as_str`, case-insensitive
/// `FromStr` (its error lists the names) and `Display`.
macro_rules! wire_names {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The RFC spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire),+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| $crate::error::UnknownName::new($what, s, $crate::schema::comma_list!($($wire),+)))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use wire_names;

wire_names! {
    /// An attribute's data type (RFC 7643 §2.3).
    AttributeType, "attribute type" {
        /// A Unicode string.
        String => "string",
        /// `true` or `false`.
        Boolean => "boolean",
        /// A real number.
        Decimal => "decimal",
        /// A whole number.
        Integer => "integer",
        /// An `xsd:dateTime` with an offset.
        DateTime => "dateTime",
        /// A URI to a resource or elsewhere.
        Reference => "reference",
        /// An object of sub-attributes.
        Complex => "complex",
        /// Base64-encoded bytes.
        Binary => "binary",
    }
}

wire_names! {
    /// Whether and when an attribute may be written (RFC 7643 §7).
    Mutability, "mutability" {
        /// Set by the service provider only.
        ReadOnly => "readOnly",
        /// Read and written freely.
        ReadWrite => "readWrite",
        /// Written once (at creation or when first set), then fixed.
        Immutable => "immutable",
        /// Written but never returned.
        WriteOnly => "writeOnly",
    }
}

wire_names! {
    /// When an attribute is returned (RFC 7643 §7).
    Returned, "returned" {
        /// Always, whatever the request asks.
        Always => "always",
        /// Never.
        Never => "never",
        /// Unless excluded.
        Default => "default",
        /// Only when asked for.
        Request => "request",
    }
}

wire_names! {
    /// The scope in which an attribute's value must be unique (RFC 7643 §7).
    Uniqueness, "uniqueness" {
        /// No constraint.
        None => "none",
        /// Unique within the service provider.
        Server => "server",
        /// Globally unique.
        Global => "global",
    }
}

/// One attribute or sub-attribute definition. Only a registry builds these, so a definition
/// held anywhere is valid: complex attributes have sub-attributes, sub-attributes have none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub(crate) name: String,
    pub(crate) kind: AttributeType,
    pub(crate) multi_valued: bool,
    pub(crate) description: String,
    pub(crate) required: bool,
    pub(crate) canonical_values: Vec<String>,
    pub(crate) case_exact: bool,
    pub(crate) mutability: Mutability,
    pub(crate) returned: Returned,
    pub(crate) uniqueness: Uniqueness,
    pub(crate) reference_types: Vec<String>,
    pub(crate) sub_attributes: Vec<Attribute>,
}

impl Attribute {
    /// The name as the schema spells it.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The data type.
    pub const fn kind(&self) -> AttributeType {
        self.kind
    }
    /// Whether the attribute holds an array of values.
    pub const fn multi_valued(&self) -> bool {
        self.multi_valued
    }
    /// The human description.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// Whether a value is required.
    pub const fn required(&self) -> bool {
        self.required
    }
    /// The suggested values.
    pub fn canonical_values(&self) -> &[String] {
        &self.canonical_values
    }
    /// Whether string comparison is case-sensitive.
    pub const fn case_exact(&self) -> bool {
        self.case_exact
    }
    /// When the attribute may be written.
    pub const fn mutability(&self) -> Mutability {
        self.mutability
    }
    /// When the attribute is returned.
    pub const fn returned(&self) -> Returned {
        self.returned
    }
    /// Whether the attribute's values are secret: `writeOnly` or `returned: never`
    /// (`password`, RFC 7643 §4.1.1). A secret is never read back: PATCH records its changes
    /// without values, filters may only compare it for equality, and nothing sorts by it.
    pub fn is_secret(&self) -> bool {
        self.mutability == Mutability::WriteOnly || self.returned == Returned::Never
    }
    /// The uniqueness scope.
    pub const fn uniqueness(&self) -> Uniqueness {
        self.uniqueness
    }
    /// For references: `uri`, `external`, or resource type names.
    pub fn reference_types(&self) -> &[String] {
        &self.reference_types
    }
    /// For complex attributes: the sub-attributes.
    pub fn sub_attributes(&self) -> &[Attribute] {
        &self.sub_attributes
    }
    /// The sub-attribute called `name` (any case).
    pub fn sub_attribute(&self, name: &str) -> Option<&Attribute> {
        find_attribute(&self.sub_attributes, name)
    }
    /// Whether `value` is one of the canonical values, compared per `caseExact`.
    pub fn is_canonical(&self, value: &str) -> bool {
        self.canonical_values
            .iter()
            .any(|c| if self.case_exact { c == value } else { crate::value::eq_ignore_case(c, value) })
    }

    /// A definition with the RFC 7643 §2.2 defaults, for built-in attributes made in code.
    pub(crate) fn new(name: &str, kind: AttributeType) -> Self {
        Self {
            name: name.to_owned(),
            kind,
            multi_valued: false,
            description: String::new(),
            required: false,
            canonical_values: Vec::new(),
            case_exact: false,
            mutability: Mutability::ReadWrite,
            returned: Returned::Default,
            uniqueness: Uniqueness::None,
            reference_types: Vec::new(),
            sub_attributes: Vec::new(),
        }
    }
}

/// The attribute called `name` in `attributes`, compared without regard to ASCII case
/// (attribute names are ASCII by the RFC 7643 §2.1 grammar).
pub(crate) fn find_attribute<'a>(attributes: &'a [Attribute], name: &str) -> Option<&'a Attribute> {
    attributes.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}

/// Whether `name` follows the RFC 7643 §2.1 grammar `ALPHA *(ALPHA / DIGIT / "-" / "_")`, or
/// is the `$ref` name the RFC itself uses for references.
pub fn is_valid_attribute_name(name: &str) -> bool {
    // Names are case-insensitive (RFC 7643 §2.1), this one too.
    if name.eq_ignore_ascii_case("$ref") {
        return true;
    }
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_case() {
        assert_eq!("READONLY".parse::<Mutability>(), Ok(Mutability::ReadOnly));
        assert_eq!("datetime".parse::<AttributeType>(), Ok(AttributeType::DateTime));
        assert!("sometimes".parse::<Returned>().is_err());
        assert_eq!(Uniqueness::Server.to_string(), "server");
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones() {
        let unknown = |e: Result<AttributeType, crate::error::UnknownName>| e.map_err(|e| e.to_string());
        assert_eq!(
            unknown("strng".parse()),
            Err("unknown attribute type `strng`, expected one of string, boolean, decimal, integer, dateTime, reference, complex, binary".to_owned())
        );
        assert_eq!(
            "x".parse::<crate::patch::Reporting>().map_err(|e| e.to_string()),
            Err("unknown report level `x`, expected one of full, none".to_owned())
        );
    }

    #[test]
    fn attribute_name_grammar() {
        assert!(is_valid_attribute_name("userName"));
        assert!(is_valid_attribute_name("x509-cert_2"));
        assert!(is_valid_attribute_name("$ref"));
        assert!(is_valid_attribute_name("$REF"));
        assert!(!is_valid_attribute_name("$refs"));
        assert!(!is_valid_attribute_name("2fa"));
        assert!(!is_valid_attribute_name(""));
        assert!(!is_valid_attribute_name("a.b"));
    }

    #[test]
    fn canonical_values_follow_case_exact() {
        let mut a = Attribute::new("type", AttributeType::String);
        a.canonical_values = vec!["work".into()];
        assert!(a.is_canonical("WORK"));
        a.case_exact = true;
        assert!(!a.is_canonical("WORK"));
    }
}
