// What every browser test needs: a real `pulse serve` on a free port with a fresh data directory,
// a plain "intranet" web server on another origin, Debian's Chromium driven by playwright-core, and
// axe-core for accessibility checks.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, mkdirSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, dirname, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, "..", "..");
export const artifacts = join(repo, "tests", "artifacts");
mkdirSync(artifacts, { recursive: true });
// PULSE_BIN runs another build (a debug one, say, while working on a page).
const pulseBin = process.env.PULSE_BIN ?? join(repo, "target", "release", "pulse");

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/// A running `pulse serve`. `restart()` keeps the data directory and port. `demo` serves the demo
/// pages (and loads the demo responses), as the README's run command does.
/// `clock` ("2027-03-02 12:00:00") runs it under Debian's faketime, for a test that spans waves.
export async function startPulse({ embedOrigins = [], dataDir, port, demo = false, args: extra = [], env = {}, clock } = {}) {
  if (!existsSync(pulseBin)) throw new Error(`build the server first: ${pulseBin} is missing`);
  dataDir ??= mkdtempSync(join(tmpdir(), "pulse-e2e-"));
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ["serve", "--data", dataDir, "--bind", `127.0.0.1:${port}`];
  for (const o of embedOrigins) args.push("--embed-origin", o);
  if (demo) args.push("--demo");
  args.push(...(typeof extra === "function" ? extra(port) : extra));
  // libfaketime loaded into pulse itself (not the faketime wrapper, which would outlive a stop and
  // keep the database locked), with the monotonic clock left alone for the runtime's timers.
  const faked = clock
    ? { LD_PRELOAD: "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", FAKETIME: `@${clock}`, FAKETIME_DONT_FAKE_MONOTONIC: "1" }
    : {};
  const child = spawn(pulseBin, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "info", ...faked, ...env } });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  for (let i = 0; i < 200 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return {
    url,
    port,
    dataDir,
    log: () => log,
    /// Resolves with the exit code when the server stops (or refuses to start).
    exited,
    stop,
    /// The same data and port again; `changes` may set another clock.
    restart: async (changes = {}) => {
      await stop();
      return startPulse({ embedOrigins, dataDir, port, demo, args: extra, env, clock, ...changes });
    },
    /** Runs `pulse ARGS --data DIR` (through the running server's control socket) and returns its output. */
    cli: (...cliArgs) => execFileSync(pulseBin, [...cliArgs, "--data", dataDir], { stdio: ["ignore", "pipe", "pipe"] }).toString(),
    token: () =>
      execFileSync(pulseBin, ["admin", "token", "create", "--name", `e2e-${Math.random().toString(36).slice(2, 8)}`, "--role", "owner", "--data", dataDir], { stdio: ["ignore", "pipe", "ignore"] })
        .toString()
        .trim(),
  };
}

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".wasm": "application/wasm" };

/// A plain intranet web server on its own origin. Pages come from tests/e2e/pages with {{PULSE}}
/// replaced by the pulse URL; /widget/ serves a self-hosted copy of dist/ (for strict CSP pages).
/// `headers(name)` may add response headers per page.
export async function startHost(pulseUrl, headers = () => ({}), port) {
  port ??= await freePort();
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    try {
      if (path.startsWith("/widget/")) {
        const body = readFileSync(join(repo, "dist", path.slice("/widget/".length)));
        res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
        return res.end(body);
      }
      const name = path.slice(1) || "index.html";
      const html = readFileSync(join(here, "pages", name), "utf8").replaceAll("{{PULSE}}", pulseUrl);
      res.writeHead(200, { "content-type": types[extname(name)] ?? types[".html"], ...headers(name) });
      res.end(html);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/// The open shadow root's form, found through the host element (Playwright locators pierce open
/// shadow roots).
export const widget = (page, n = 0) => page.locator("[data-pulse-survey]").nth(n);

/// Runs axe-core in a page or frame on the widget's host element with the WCAG 2.2 AA rule set; returns violations.
export async function axe(page, host = "[data-pulse-survey]") {
  // Evaluated rather than added as a <script>, so pages with a strict CSP (the iframe page) are checked too.
  await page.evaluate(readFileSync(join(repo, "tests", "node_modules", "axe-core", "axe.min.js"), "utf8"));
  return page.evaluate(async (selector) => {
    const result = await window.axe.run(document.querySelector(selector), {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target) }));
  }, host);
}

/// Answers every required question of the default survey with the mouse.
export async function completeWithMouse(root, { story } = {}) {
  await root.getByLabel("I know what's in it").check();
  await root.getByLabel("My induction").check();
  for (const value of ["Working together for patients", "Respect and dignity", "Commitment to quality of care", "Compassion", "Improving lives", "Everyone counts"]) {
    await root.getByRole("group", { name: value, exact: true }).getByLabel("Often").check();
  }
  await root.getByRole("group", { name: /Which one value/ }).getByLabel("Compassion").check();
  await root.getByLabel("Agree", { exact: true }).check();
  if (story) {
    await root.getByLabel(/Share an example/).fill(story);
    await root.getByRole("group", { name: /Which NHS values does your example show/ }).getByLabel("Compassion").check();
  }
}

/// A valid response for posting straight to the API (to bring a survey up to k).
export function apiResponse(n, context = "estates") {
  return {
    submission_id: n.toString(16).padStart(32, "0"),
    survey_version: 1,
    context,
    answers: {
      awareness: "heard_not_content",
      values_lived: { working_together: 4, respect_dignity: 4, commitment_to_quality: 4, compassion: 4, improving_lives: 4, everyone_counts: 4 },
      focus_value: "everyone_counts",
      shared_purpose: "agree",
    },
  };
}

export async function postResponses(pulseUrl, from, count, context) {
  for (let n = from; n < from + count; n++) {
    const r = await fetch(`${pulseUrl}/api/v1/surveys/constitution/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(apiResponse(n, context)),
    });
    if (r.status !== 201) throw new Error(`seed response ${n}: ${r.status} ${await r.text()}`);
  }
}

export async function results(pulse, token) {
  const r = await fetch(`${pulse.url}/api/v1/surveys/constitution/results`, { headers: { authorization: `Bearer ${token}` } });
  return r.json();
}

/**
 * Opens `url` in `page`, waits for `ready()` and the network to settle, and returns what the network
 * carried for each /widget/ file, as Chromium records it: its URL, whether it came from the browser's
 * cache without a request, its content encoding and the bytes on the wire (headers included).
 */
export async function widgetTransfers(page, url, ready) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const seen = new Map();
  cdp.on("Network.responseReceived", (e) => {
    if (!e.response.url.includes("/widget/")) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const cached = e.response.fromDiskCache || e.response.fromMemoryCache;
    seen.set(e.requestId, { url: e.response.url, cached, encoding: headers["content-encoding"] ?? "identity", bytes: 0 });
  });
  cdp.on("Network.requestServedFromCache", (e) => seen.has(e.requestId) && (seen.get(e.requestId).cached = true));
  cdp.on("Network.loadingFinished", (e) => seen.has(e.requestId) && (seen.get(e.requestId).bytes = e.encodedDataLength));
  await page.goto(url);
  await ready();
  await page.waitForLoadState("networkidle");
  await cdp.detach();
  return [...seen.values()];
}
