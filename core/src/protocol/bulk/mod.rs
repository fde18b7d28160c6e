//! Bulk (RFC 7644 §3.7): the library reads and checks the request, plans the order, resolves
//! `bulkId` references and assembles the response; the host runs each operation.
//!
//! - The request: `schemas` exactly the BulkRequest URN; `failOnErrors` an integer ≥ 0;
//!   `Operations` each with `method` (POST, PUT, PATCH, DELETE in any case), `path` (`/Users`
//!   for POST, `/Users/<id>` otherwise), `bulkId` (required for POST, unique), `version`, and
//!   `data` (an object, required for POST/PUT/PATCH, refused for DELETE). Unknown or repeated
//!   members are `invalidSyntax`; wrong values `invalidValue`. Over `maxPayloadSize` (bytes of
//!   the text) or `maxOperations`: 413.
//! - References: a string of `data` that is exactly `bulkId:<id>`, and the id segment of
//!   `path`. An operation referring to a `bulkId` no operation has fails with `invalidValue`.
//!   A cycle of references is broken (RFC 7644 §3.7.1: the service "MUST try"): a POST of it
//!   is sent without the values that refer to the cycle, and a PATCH adds them once those
//!   resources exist (`cycle_break.rs`); the operations of a cycle no POST can break fail
//!   with 409 naming it. Every other operation still runs (§3.7).
//! - Order: request order, except that what an operation refers to (and has not run yet) runs
//!   right before it: only what is needed moves ahead, so an operation the client put first is
//!   never overtaken by an unrelated later one (§3.7: a reordering must keep the client's
//!   intent).

mod cycle_break;
mod order;
mod plan;
mod request;
mod response;

pub use plan::{BULK_ID_PREFIX, BulkPlan, PlannedOperation, plan, resolve};
pub use request::{BulkLimits, BulkMethod, BulkOperation, BulkRequest};
pub use response::{BulkResponse, BulkRunner, OperationOutcome, OperationResult, error_from_value, outcome_from_value};

#[cfg(test)]
mod tests;
