// Times the widget in headless Chromium: from the survey element becoming visible to the survey
// being interactive, and the long tasks (> 50 ms) on the page after it became visible. Prints one
// RESULT line with medians over RUNS page loads. Usage: node browser.mjs PULSE_URL [RUNS] [PAGE_PORT]
// (the page's origin, http://127.0.0.1:PAGE_PORT, must be allowed to embed: pulse serve --embed-origin).
import { startHost, launch } from "../e2e/harness.mjs";

const [pulseUrl, runsArg, portArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 7);
const host = await startHost(pulseUrl, () => ({}), portArg ? Number(portArg) : undefined);
const browser = await launch();
const samples = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${host.url}/bench.html`);
  await page.waitForFunction(() => window.timing.interactive !== null, null, { timeout: 20_000 });
  await page.waitForTimeout(200);
  const t = await page.evaluate(() => window.timing);
  const added = t.longTasks.filter((l) => l.start + l.duration >= t.visible);
  samples.push({ ms: t.interactive - t.visible, longTasks: added.length, longest: Math.max(0, ...added.map((l) => l.duration)) });
  await context.close();
}
await browser.close();
await host.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `RESULT runs=${runs} visible_to_interactive_ms=${median(samples.map((s) => s.ms)).toFixed(1)} ` +
    `max_visible_to_interactive_ms=${Math.max(...samples.map((s) => s.ms)).toFixed(1)} ` +
    `long_tasks_added=${Math.max(...samples.map((s) => s.longTasks))} longest_task_ms=${Math.max(...samples.map((s) => s.longest)).toFixed(1)}`,
);
