// `import "scimkit/wasm"` on Node: the WebAssembly build. The ES module re-exports the CommonJS
// entry, so `import` and `require` share one instance.
import api from "./wasm.cjs";

export const {
  implementation,
  ScimError,
  Registry,
  Filter,
  CheckedFilter,
  ResourceSet,
  ListQuery,
  BulkRunner,
  Mapping,
  validate,
  validateText,
  applyPatch,
  applyPatchText,
  diff,
  project,
  sort,
  listResponse,
  fillMeta,
  parsePatchPath,
  parseAttrPath,
  listQueryFromQueryString,
  listQueryFromSearchRequest,
  listResponseFromPage,
  errorFromValue,
  errorResponse,
  serviceProviderConfig,
  etag,
  refuseFilter,
  refuseFilterInQuery,
  evaluatePreconditions,
  bulkPlan,
  _panic,
} = api;
export default api;
