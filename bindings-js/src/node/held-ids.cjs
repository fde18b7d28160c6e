// On Node a held resource is known to the addon by a number (native/src/held.rs): a method call
// on a napi class instance costs a class check and borrow bookkeeping that a function call does
// not. This gives the shared layer (src/api.js) the backend `HeldResource` it expects.
"use strict";

/** `addon` with a `HeldResource` whose instances hold the number of a resource the addon holds. */
function withHeldIds(addon) {
  // A resource whose object is collected without free() is let go then.
  const collected = new FinalizationRegistry((id) => addon.heldFree(id));

  class HeldResource {
    #id;

    constructor(registry, resourceType, resource, options) {
      this.#id = addon.heldNew(registry, resourceType, resource, options);
      collected.register(this, this.#id, this);
    }

    applyPatch(request, options) {
      return addon.heldApplyPatch(this.#id, request, options);
    }

    restore() {
      return addon.heldRestore(this.#id);
    }

    settle() {
      addon.heldSettle(this.#id);
    }

    resource() {
      return addon.heldResource(this.#id);
    }

    panic(message) {
      return addon.heldPanic(this.#id, message);
    }

    free() {
      collected.unregister(this);
      addon.heldFree(this.#id);
    }
  }
  return { ...addon, HeldResource };
}

module.exports = { withHeldIds };
