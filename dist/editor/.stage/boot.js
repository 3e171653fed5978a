// Starts the dashboard: its glue, then its wasm. The server serves each file under a name that
// carries a hash of its content, and rewrites the names below to match, so each is cached for good.
const glue = await import(new URL("pulse-dashboard.js", import.meta.url).href);
await glue.default({ module_or_path: new URL("pulse-dashboard_bg.wasm", import.meta.url) });
