// The Actions test kit: event builders, api recorders, the post-login flow runner, the node:vm bundle loader,
// and one descriptor per trigger (triggers/) for the generic helpers in trigger-kit.ts.
export * from './event-builder.js';
export * from './api-recorder.js';
export * from './run-flow.js';
export * from './load-bundle.js';
export * from './trigger-kit.js';
export * from './cache-recorder.js';
export * from './triggers/index.js';
