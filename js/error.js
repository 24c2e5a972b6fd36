// The error class of the browser-use-viewer package. The WASM module
// constructs it (imported with #[wasm_bindgen(module = "/js/error.js")]) and
// the package entry re-exports the very same class, so `instanceof` works.

/**
 * A failed API call. `code` is stable and meant for programs; `message` is
 * meant for people.
 */
export class TaskApiError extends Error {
  /**
   * @param {string} message
   * @param {{code: string, status?: number|null, details?: object|null, retryAfterMs?: number|null}} init
   */
  constructor(message, init) {
    super(message);
    const { code, status = null, details = null, retryAfterMs = null } = init ?? {};
    this.name = 'TaskApiError';
    this.code = code ?? 'server';
    this.status = status;
    this.details = details;
    this.retryAfterMs = retryAfterMs;
  }
}
