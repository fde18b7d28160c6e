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
//!   `path`. A reference to a `bulkId` no operation has is `invalidValue`; circular references
//!   are a 409 naming the cycle (RFC 7644 §3.7.1 allows 409 instead of breaking the cycle).
//! - Order: each operation after those it refers to; otherwise request order.

mod plan;
mod request;
mod response;

pub use plan::{BULK_ID_PREFIX, BulkPlan, PlannedOperation, plan, resolve};
pub use request::{BulkLimits, BulkMethod, BulkOperation, BulkRequest};
pub use response::{BulkResponse, BulkRunner, OperationOutcome, OperationResult, error_from_value, outcome_from_value};

#[cfg(test)]
mod tests;
