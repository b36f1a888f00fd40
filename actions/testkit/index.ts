// The Actions test kit: event builder, api recorder, flow runner and the node:vm bundle loader.
export * from './event-builder.js';
export * from './api-recorder.js';
export * from './run-flow.js';
export * from './load-bundle.js';
export * from './credentials-exchange.js';
