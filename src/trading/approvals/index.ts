export * from "./alert-sink.js";
export * from "./approval-alerts.js";
export * from "./approval-record.js";
export * from "./approval-service.js";
export * from "./approval-types.js";
export * from "./refusals.js";
