// Bytes on the wire for the survey widget, as Chromium's network records them: a first view of the
// demo page in a fresh browser profile, then a second view in the same profile. Prints one RESULT
// line and one FILE line per file of the first view. Usage: node wire.mjs PULSE_URL (a server in
// demo mode, so its page at / embeds the widget).
import { launch, widget, widgetTransfers } from "../e2e/harness.mjs";

const [pulseUrl] = process.argv.slice(2);
const browser = await launch();
const context = await browser.newContext();
const view = async () => {
  const page = await context.newPage();
  return widgetTransfers(page, `${pulseUrl}/`, () => widget(page).getByRole("heading").first().waitFor());
};
const first = await view();
const second = await view();
await browser.close();
const total = (files) => files.filter((f) => !f.cached).reduce((n, f) => n + f.bytes, 0);
for (const f of first) console.log(`FILE name=${new URL(f.url).pathname.split("/").pop()} encoding=${f.encoding} bytes=${f.bytes}`);
console.log(
  `RESULT first_view_bytes=${total(first)} second_view_bytes=${total(second)} ` +
    `second_view_requests=${second.filter((f) => !f.cached).length} second_view_wasm_requests=${second.filter((f) => !f.cached && f.url.endsWith(".wasm")).length}`,
);
