// On Node a filter is kept as its text and limits, and the addon reads it again when it is used
// (`FilterText` in native/src/filter.rs): a napi class instance per filter cost five times the
// parse. This gives the shared layer (src/api.js) the backend `Filter` it expects.
"use strict";

/** `addon` with a `Filter` whose instances hold `{text, limits}` (checked to parse). */
function withTextFilters(addon) {
  class Filter {
    constructor(text, limits) {
      addon.filterParse(text, limits);
      this.text = text;
      this.limits = limits;
    }

    canonical() {
      return addon.filterCanonical(this);
    }

    describe() {
      return addon.filterDescribe(this);
    }

    withoutSchema() {
      return addon.filterWithoutSchema(this);
    }
  }
  return { ...addon, Filter };
}

module.exports = { withTextFilters };
