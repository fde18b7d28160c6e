//! `scimkit filter`: try a filter on resources, print its canonical form, or (with `--sql`)
//! the SQL it translates to.

use std::path::PathBuf;
use std::process::ExitCode;

use scimkit::Quirk;
use scimkit::api::{filter_describe, filter_parse, filter_prepare, filter_to_sql, to_json_pretty};
use scimkit::filter::{Filter, FilterLimits};
use serde_json::{Value, json};

use crate::input::{
    RegistryArgs, emit, for_each_resource, note, quirk_hint, read_file, resource_type_hint, usage_error,
};

/// Arguments of `scimkit filter`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The resource type the filter is checked against (`User`, `Group`, or a custom one)
    /// [default: User].
    #[arg(long)]
    resource_type: Option<String>,
    /// strict (the RFC) or a profile whose rules include filterSubAttribute (entra, compat),
    /// which reads Entra ID's `emails[type eq "work"].value eq "…"`; or the JSON object form.
    #[arg(long, default_value = "strict", value_parser = crate::input::profile)]
    profile: scimkit::Profile,
    /// Evaluate without a schema (strings compare case-insensitively, numbers exactly).
    #[arg(long, conflicts_with = "resource_type")]
    no_schema: bool,
    /// Print the canonical form and the parsed tree instead of filtering.
    #[arg(long, conflicts_with = "sql")]
    print: bool,
    /// Print the filter as a parameterized SQL `WHERE` clause for this database instead of
    /// filtering: `{"sql": "…", "params": [...]}`. Needs --mapping.
    #[arg(long, value_name = "DIALECT", value_parser = ["sqlite", "d1", "postgres", "postgresql"], requires = "mapping", conflicts_with = "no_schema")]
    sql: Option<String>,
    /// The storage mapping (JSON) the SQL is written for: the document or columns layout.
    #[arg(long, value_name = "FILE", requires = "sql")]
    mapping: Option<PathBuf>,
    #[command(flatten)]
    registry: RegistryArgs,
    /// The filter, e.g. `userName eq "bjensen"`.
    filter: String,
    /// A resource, a JSON array of resources, a ListResponse, or NDJSON; - for standard input.
    #[arg(default_value = "-")]
    file: PathBuf,
}

fn errors(e: &scimkit::Error) -> ExitCode {
    emit(&to_json_pretty(&json!({"errors": e.errors()})));
    ExitCode::from(1)
}

/// The filter as the profile reads it: Entra ID's `emails[type eq "work"].value eq "…"` as
/// `emails[type eq "work" and value eq "…"]` under rule `filterSubAttribute` (noted on
/// stderr), else as written.
fn filter_read(args: &Args) -> String {
    if !args.profile.allows(Quirk::FilterSubAttribute) {
        return args.filter.clone();
    }
    match Filter::parse_with_sub_attributes(&args.filter, &FilterLimits::default()) {
        Ok((read, true)) => {
            let read = read.to_string();
            note(&format!("note: [quirk {}] the filter was read as `{read}`", Quirk::FilterSubAttribute.as_str()));
            read
        }
        _ => args.filter.clone(),
    }
}

/// After the filter was refused: the hints of a quirk rule that would read it, and of another
/// resource type it fits (when none was named).
fn hints(args: &Args, registry: &scimkit::Registry, resource_type: &str, read: &str) {
    // The filter as rule `filterSubAttribute` reads it: hinted only when it then checks, for
    // this type or (named in the next hint) another.
    let rewritten = match Filter::parse_with_sub_attributes(&args.filter, &FilterLimits::default()) {
        Ok((filter, true)) => Some(filter.to_string()),
        _ => None,
    };
    let candidate = rewritten.as_deref().unwrap_or(read);
    let fits = |t: &str| scimkit::api::filter_check(registry, t, candidate).is_ok();
    if rewritten.is_some() && registry.resource_types().iter().any(|t| fits(t.name())) {
        quirk_hint(args.profile, [Quirk::FilterSubAttribute]);
    }
    if args.resource_type.is_none() && !args.no_schema {
        resource_type_hint(registry, resource_type, candidate);
    }
}

/// Prints the matching resources as a JSON array (exit 0), or the filter's errors (exit 1).
pub fn run(args: &Args) -> ExitCode {
    let resource_type = args.resource_type.as_deref().unwrap_or("User");
    let text = filter_read(args);
    if args.print {
        return match filter_parse(&text) {
            Ok(f) => {
                emit(&to_json_pretty(&filter_describe(&f)));
                ExitCode::SUCCESS
            }
            Err(e) => errors(&e),
        };
    }
    let registry =
        match if args.no_schema { args.registry.registry() } else { args.registry.registry_with(resource_type) } {
            Ok(r) => r,
            Err(e) => return usage_error(&e),
        };
    if let (Some(dialect), Some(mapping)) = (&args.sql, &args.mapping) {
        if args.file.as_os_str() != "-" {
            return usage_error("--sql prints the SQL for the filter and reads no resources: leave out the file");
        }
        let mapping = match read_file(mapping) {
            Ok(text) => text,
            Err(e) => return usage_error(&e),
        };
        return match filter_to_sql(&registry, resource_type, &text, &mapping, dialect) {
            Ok(sql) => {
                emit(&to_json_pretty(&sql));
                ExitCode::SUCCESS
            }
            Err(e) => {
                let code = errors(&e);
                hints(args, &registry, resource_type, &text);
                code
            }
        };
    }
    let checked_for = (!args.no_schema).then_some(resource_type);
    let filter = match filter_prepare(&registry, checked_for, &text) {
        Ok(f) => f,
        Err(e) => {
            let code = errors(&e);
            hints(args, &registry, resource_type, &text);
            return code;
        }
    };
    // Read one at a time: only the matches are held.
    let mut matching: Vec<Value> = Vec::new();
    if let Err(e) = for_each_resource(&args.file, &mut |r| {
        if filter.matches(&r) {
            matching.push(r);
        }
    }) {
        return usage_error(&e);
    }
    emit(&to_json_pretty(&matching));
    ExitCode::SUCCESS
}
