// The input limits the reference PE enforces and publishes in zti_limits (DEC-043, DEC-074).
export const ZTI_LIMITS = {
  max_body_bytes: 1_048_576,
  max_depth: 64,
  max_evaluations: 1000,
  max_page_limit: 100,
} as const;
