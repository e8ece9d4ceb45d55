// The input limits the reference PE enforces and publishes in zti_limits (DEC-043, DEC-074,
// DEC-110, DEC-111).
export const ZTI_LIMITS = {
  max_body_bytes: 1_048_576,
  max_depth: 64,
  max_evaluations: 1000,
  max_page_limit: 100,
  // DEC-110: the items of one array and the members of one object inside `properties` and
  // `context`. A request's objects may be handed to Cedar once per batch item (defaults), so
  // their size multiplies; these keep one Cedar call small.
  // max_values bounds them together: nested arrays each within max_array_items could
  // otherwise hold max_array_items ** depth values.
  max_array_items: 256,
  max_record_members: 128,
  max_values: 1024,
  // DEC-111: the time one request may take; past it the request is answered 413, undecided.
  max_request_ms: 2000,
} as const;
