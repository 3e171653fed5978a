// What an intranet page downloads for the widget, as Chromium's network records it: the wasm
// arrives compressed, and a second view of the page downloads no widget bytes and asks for no wasm.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startPulse, launch, widget, widgetTransfers } from "./harness.mjs";

let browser, pulse;
before(async () => {
  browser = await launch();
  pulse = await startPulse({ demo: true });
});
after(async () => {
  await browser?.close();
  await pulse?.stop();
});

async function view(page) {
  return widgetTransfers(page, `${pulse.url}/`, () => widget(page).getByRole("heading", { name: "Our NHS values" }).waitFor());
}

test("the wasm arrives compressed, and a second view downloads no widget bytes", async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const first = await view(page);
    const wasm = first.find((r) => r.url.endsWith(".wasm"));
    assert.ok(wasm, JSON.stringify(first));
    assert.match(wasm.url, /pulse-widget_bg\.[0-9a-f]{16}\.wasm$/, "the loader fetches the hashed name");
    assert.ok(["br", "gzip"].includes(wasm.encoding), `wasm encoding: ${wasm.encoding}`);
    console.log(`first view, widget bytes on the wire: ${first.reduce((n, r) => n + r.bytes, 0)} (wasm ${wasm.bytes}, ${wasm.encoding})`);

    const second = await view(await context.newPage());
    const fetched = second.filter((r) => !r.cached && !r.url.endsWith("/embed.js"));
    assert.deepEqual(fetched, [], "nothing but the loader is asked for again");
    assert.ok(!second.some((r) => r.url.endsWith(".wasm") && !r.cached), JSON.stringify(second));
  } finally {
    await context.close();
  }
});
