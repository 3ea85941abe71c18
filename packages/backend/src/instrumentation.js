// Loaded with `node --require` before the backend (package.json start
// script, the image's CMD), so the OpenTelemetry SDK is in place before any
// module it instruments is loaded. Worker threads load it too; the SDK runs
// in the main thread only. What it starts and how to configure it:
// docs/metrics.md.
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  require('@internal/portal-backend-runtime/telemetry').startTelemetry();
}
