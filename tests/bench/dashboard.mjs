// The dashboard's weight and speed in Chromium: the bytes of the app's own files (/admin and
// /admin/*) on the wire on a first view of a survey's results in a fresh profile, then on a second
// view in the same profile; and the time from navigation to the first chart drawn, on the network
// of Lighthouse's desktop preset (40 ms round trip, 10 Mbit/s), median of RUNS fresh profiles.
// Prints one RESULT line and one FILE line per file of the first view.
// Usage: node dashboard.mjs PULSE_URL TOKEN RUNS (a server in demo mode, so the survey has figures).
import { launch } from "../e2e/harness.mjs";

const [pulseUrl, token, runs = "3"] = process.argv.slice(2);
const browser = await launch();
const results = `${pulseUrl}/admin#/surveys/constitution`;

/** Opens the results in `context` signed in with the token; returns the app's files as the network carried them. */
async function view(context, throttle) {
  const page = await context.newPage();
  await page.addInitScript((t) => {
    sessionStorage.setItem("pulse-admin-token", t);
    // The first chart's time, measured in the page from its navigation.
    const seen = () => {
      if (document.querySelector("svg.bar__track")) window.firstChart = performance.now();
      else requestAnimationFrame(seen);
    };
    requestAnimationFrame(seen);
  }, token);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (throttle) {
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 40, downloadThroughput: (10 * 1024 * 1024) / 8, uploadThroughput: (10 * 1024 * 1024) / 8,
    });
  }
  const seen = new Map();
  cdp.on("Network.responseReceived", (e) => {
    const path = new URL(e.response.url).pathname;
    if (path !== "/admin" && !path.startsWith("/admin/")) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    seen.set(e.requestId, { path, cached: e.response.fromDiskCache || e.response.fromMemoryCache, encoding: headers["content-encoding"] ?? "identity", bytes: 0 });
  });
  cdp.on("Network.requestServedFromCache", (e) => seen.has(e.requestId) && (seen.get(e.requestId).cached = true));
  cdp.on("Network.loadingFinished", (e) => seen.has(e.requestId) && (seen.get(e.requestId).bytes = e.encodedDataLength));
  await page.goto(results);
  await page.waitForFunction(() => window.firstChart !== undefined, null, { timeout: 30_000 });
  const chart = await page.evaluate(() => window.firstChart);
  await page.waitForLoadState("networkidle");
  await cdp.detach();
  await page.close();
  return { files: [...seen.values()], chart };
}

const total = (files) => files.filter((f) => !f.cached).reduce((n, f) => n + f.bytes, 0);
// The app's own files, not the page: the page is never cached (no-store) and names them.
const app = (files) => files.filter((f) => f.path !== "/admin");

const context = await browser.newContext();
const first = await view(context, false);
const second = await view(context, false);
await context.close();
const charts = [];
for (let i = 0; i < Number(runs); i++) {
  const fresh = await browser.newContext();
  charts.push((await view(fresh, true)).chart);
  await fresh.close();
}
await browser.close();
charts.sort((a, b) => a - b);
for (const f of first.files) console.log(`FILE name=${f.path} encoding=${f.encoding} bytes=${f.bytes}`);
console.log(
  `RESULT first_view_bytes=${total(first.files)} first_view_app_bytes=${total(app(first.files))} ` +
    `second_view_app_bytes=${total(app(second.files))} second_view_app_requests=${app(second.files).filter((f) => !f.cached).length} ` +
    `first_chart_ms=${charts[Math.floor(charts.length / 2)].toFixed(1)} first_chart_max_ms=${charts[charts.length - 1].toFixed(1)}`,
);
