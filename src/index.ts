// The library entry: the event catalogue, the validator and the event types, for use from code.
export {
  eventTypes,
  eventCatalogue,
  isEventType,
  assertEventType,
  closestEventTypes,
  loadFixture,
  eventSchema,
  loadSchemaFiles,
  type EventTypeInfo,
  type JsonSchema,
} from "./catalog/catalog.js";
export { bundleEventSchema } from "./catalog/bundle.js";
export { eventFields, summariseCatalogue, CONFIDENCE_LEVELS, type FieldInfo, type EventSummary } from "./catalog/describe.js";
export {
  validateEvent,
  findUnknownFields,
  type EventCheck,
  type ValidateEventOptions,
  type Problem,
  type Severity,
} from "./validation/validate-event.js";
export { WtbhookError, ExitCode, type ErrorCode, type ExitCodeValue } from "./errors.js";
export type * from "./catalog/event-types.generated.js";
