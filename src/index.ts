// The library entry: the event catalogue and the validator, for use from code.
export { eventTypes, eventCatalogue, loadFixture, eventSchema, closestEventTypes } from "./catalog/catalog.js";
export { WtbhookError, ExitCode } from "./errors.js";
