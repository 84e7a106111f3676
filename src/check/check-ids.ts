// The ids of the checks in run order: the one list, kept free of the checks' code so that shell
// completion can offer them without loading it. checks.ts maps each id to its check.

export const CHECK_IDS = [
  "all-types",
  "duplicate",
  "retry-after-failure",
  "unknown-type",
  "unknown-fields",
  "minimal-payload",
  "null-fields",
  "out-of-order",
  "large-payload",
  "hostile-content",
  "concurrent-duplicate",
  "burst",
  "no-data",
  "still-alive",
  "no-redirect",
  "response-time",
] as const;

export type CheckId = (typeof CHECK_IDS)[number];
