// What an OD lead takes to their board, in Chromium against the demo: the heatmap of the quarterly
// pulse (its contexts against the organisation, sortable, marked better or worse in words as well
// as colour, with its divisions), reference figures an admin sets beside it, and the board pack and
// the values evidence pack printed to A4 as PDFs (the board pack in English and Welsh). Each PDF is
// then drawn page by page with pdf.js in the same browser and checked as pictures: every page has
// content and its number, and nothing runs past the paper's edge.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startPulse, launch, axe, artifacts, repo } from "./harness.mjs";

// The guides' pictures (to tests/screenshots/ when UPDATE_SCREENSHOTS=1).
const shots = process.env.UPDATE_SCREENSHOTS ? join(repo, "tests", "screenshots") : artifacts;

let browser, pulse, token;
before(async () => {
  browser = await launch();
  pulse = await startPulse({ demo: true });
  token = pulse.token();
});
after(async () => {
  await browser?.close();
  await pulse?.stop();
});

async function signIn(context, hash) {
  const page = await context.newPage();
  await page.goto(`${pulse.url}/admin#${hash}`);
  await page.getByLabel(/Admin token|Tocyn gweinyddwr/).fill(token);
  await page.getByRole("button", { name: /^(Sign in|Mewngofnodi)$/ }).click();
  return page;
}

/// The heatmap's cells as text, row by row (the whole organisation first).
async function heatmapText(page) {
  return page.locator("table.heatmap tr").evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.querySelector(".heat__value, button")?.textContent ?? c.firstChild?.textContent ?? "")),
  );
}

test("the heatmap compares every context with the organisation, in words as well as colour, and sorts", async () => {
  const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await signIn(admin, "/heatmap/staff-pulse/all");
  await page.getByRole("heading", { name: "Heatmap: Staff pulse" }).waitFor();
  assert.match(page.url(), /\/admin\/report#\/heatmap\/staff-pulse\/all$/, "the reports app draws it");
  const heads = await page.locator("table.heatmap thead th").allTextContents();
  assert.deepEqual(heads.slice(0, 5), ["Context", "Staff engagement (0 to 10)", "Motivation (0 to 10)", "Involvement (0 to 10)", "Advocacy (0 to 10)"]);
  const rows = await page.locator("table.heatmap tbody tr").count();
  assert.equal(rows, 8, "the organisation, its two divisions, then clinical, community, corporate, estates and no context");
  // A division adds up its contexts shown: Patient care is clinical and community.
  const responses = async (name) =>
    Number((await page.locator("table.heatmap tbody tr th", { hasText: name }).locator(".heat__detail").textContent()).replace(/[^\d]/g, ""));
  const care = await responses("Patient care (division)");
  assert.ok(care > 0, "the division is a row of its own, read as one");
  assert.equal(care, (await responses("Clinical services")) + (await responses("Community services")));
  // Clear differences are said in words; colour only follows them.
  const better = page.locator("td.heat--better");
  const worse = page.locator("td.heat--worse");
  assert.ok((await better.count()) > 0 && (await worse.count()) > 0, "the demo's contexts lean their own ways");
  for (const cell of [better.first(), worse.first()]) {
    assert.match(await cell.locator(".heat__mark").textContent(), /^(▲ better|▼ worse)$/);
    assert.ok(await cell.locator(".heat__word").isVisible(), "the word is on screen, not only the arrow");
  }
  assert.equal(await page.locator("td.heat--same .heat__mark").first().textContent(), "", "no mark without a clear difference");
  // The hidden context reads as hidden, with its reason.
  const none = page.locator("table.heatmap tbody tr", { hasText: "No context given" });
  assert.match(await none.locator("td").first().textContent(), /hidden.*fewer than 10/);
  assert.deepEqual(await axe(page, "body"), [], "the heatmap is accessible");
  // Sorted by engagement, highest first: community leads, estates trails.
  await page.getByRole("button", { name: "Staff engagement (0 to 10)" }).click();
  assert.equal(await page.locator("table.heatmap thead th").nth(1).getAttribute("aria-sort"), "descending");
  const order = await page.locator("table.heatmap tbody tr th").allTextContents();
  assert.match(order[1], /^Community/);
  assert.match(order.at(-2), /^Estates/, "estates trails; only the hidden row is below it");
  await page.screenshot({ path: join(shots, "heatmap.png"), fullPage: true });
  await admin.close();
});

test("an admin sets national figures beside the heatmap, marked as references and refused when wrong", async () => {
  const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await signIn(admin, "/references/staff-pulse");
  await page.getByRole("heading", { name: "Reference figures: Staff pulse" }).waitFor();
  assert.match(page.url(), /\/admin\/report#\/references\/staff-pulse$/, "the reports app keeps them");
  const fill = async (n, item, value, source, year) => {
    await page.locator(`#ref-${n}-item`).selectOption(item);
    await page.locator(`#ref-${n}-value`).fill(value);
    await page.locator(`#ref-${n}-source`).fill(source);
    await page.locator(`#ref-${n}-year`).fill(year);
  };
  await page.getByRole("button", { name: "Add a figure" }).click();
  await fill(0, "engagement", "high", "NHS Staff Survey, national average", "2025");
  await page.getByRole("button", { name: "Save reference figures" }).click();
  await page.locator(".error-summary", { hasText: "the value must be a number" }).waitFor();
  await page.locator("#ref-0-value").fill("6.8");
  await page.getByRole("button", { name: "Save reference figures" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  // The server's own check: a score is from 0 to 10, so 68 (a percentage) is refused, saying why.
  await page.getByRole("button", { name: "Add a figure" }).click();
  await fill(1, "engagement", "68", "Peer group: acute trusts", "2025");
  await page.getByRole("button", { name: "Save reference figures" }).click();
  await page.locator(".error-summary", { hasText: "must be a score from 0 to 10" }).waitFor();
  await page.locator("#ref-1-value").fill("6.9");
  await page.getByRole("button", { name: "Save reference figures" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  assert.deepEqual(await axe(page, "body"), [], "the reference figures form is accessible");
  const kept = await (await fetch(`${pulse.url}/api/v1/surveys/staff-pulse/references`, { headers: { authorization: `Bearer ${token}` } })).json();
  assert.deepEqual(kept.references.map((r) => [r.item, r.value, r.year]), [["engagement", 6.8, 2025], ["engagement", 6.9, 2025]]);

  // In the heatmap, each source is a row of its own, named as a reference, in italics and never coloured.
  await page.goto(`${pulse.url}/admin/report#/heatmap/staff-pulse/all`);
  const national = page.locator("table.heatmap tr.heat__reference", { hasText: "Reference: NHS Staff Survey, national average (2025)" });
  await national.waitFor();
  assert.equal(await national.locator("td").first().textContent(), "6.8");
  assert.equal(await page.locator("table.heatmap tr.heat__reference").count(), 2);
  assert.equal(await page.locator("tr.heat__reference td.heat--better, tr.heat__reference td.heat--worse").count(), 0);
  await page.locator(".legend", { hasText: "Reference: a figure published elsewhere" }).waitFor();
  assert.deepEqual(await axe(page, "body"), [], "the heatmap with references is accessible");
  await admin.close();
});

test("the values evidence pack follows the board pack: a first page with the organisation and date, every page filled and numbered", async () => {
  const admin = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await signIn(admin, "/evidence/constitution/compassion");
  await page.getByRole("heading", { name: "Compassion: values evidence" }).waitFor();
  await page.getByText("Demo NHS Trust").first().waitFor();
  for (const h of ["Summary", "What the survey says"]) await page.getByRole("heading", { name: h }).waitFor();
  assert.deepEqual(await axe(page, "body"), [], "the evidence pack is accessible");
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ format: "A4", printBackground: true, path: join(artifacts, "values-evidence.pdf") });
  const drawn = await pages(admin, pdf, "values-evidence");
  assert.ok(drawn.length >= 2, `${drawn.length} pages: the first page and the figures`);
  drawn.forEach((p, i) => {
    assert.ok(p.ink > 0.01, `page ${i + 1} has content (${(100 * p.ink).toFixed(2)}% ink)`);
    assert.equal(p.atEdge, 0, `nothing on page ${i + 1} runs to the paper's edge`);
    assert.match(p.text, new RegExp(`\\b${i + 1} / ${drawn.length}\\b`), `page ${i + 1} is numbered`);
  });
  assert.match(drawn[0].text, /Demo NHS Trust/);
  assert.match(drawn[0].text, /prepared on \d{4}-\d{2}-\d{2}/);
  assert.doesNotMatch(drawn[0].text, /What the survey says/, "the figures start a page of their own");
  await admin.close();
});

/// Draws each page of a PDF with pdf.js in the browser and measures it: the share of the page's
/// pixels with ink, whether any ink lies within 4 mm of the paper's edge (cut off), and the page's
/// text. Each page is saved as a picture too.
async function pages(context, pdf, name) {
  const page = await context.newPage();
  const lib = join(repo, "tests", "node_modules", "pdfjs-dist", "build");
  await page.route("http://pdf.test/**", (route) => {
    const file = new URL(route.request().url()).pathname.slice(1);
    const body = file === "pack.pdf" ? pdf : file === "index.html" ? "<!doctype html><body></body>" : readFileSync(join(lib, file));
    const type = file.endsWith(".mjs") ? "text/javascript" : file.endsWith(".pdf") ? "application/pdf" : "text/html";
    route.fulfill({ body, contentType: type });
  });
  await page.goto("http://pdf.test/index.html");
  const measured = await page.evaluate(async () => {
    const pdfjs = await import("http://pdf.test/pdf.mjs");
    pdfjs.GlobalWorkerOptions.workerSrc = "http://pdf.test/pdf.worker.mjs";
    const doc = await pdfjs.getDocument("http://pdf.test/pack.pdf").promise;
    const out = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const p = await doc.getPage(n);
      const viewport = p.getViewport({ scale: 1 });
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(viewport.width);
      canvas.height = Math.round(viewport.height);
      document.body.append(canvas);
      await p.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const edge = (4 / 25.4) * 72; // 4 mm in PDF points
      let ink = 0, atEdge = 0;
      for (let y = 0; y < canvas.height; y++) {
        for (let x = 0; x < canvas.width; x++) {
          const i = 4 * (y * canvas.width + x);
          if (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235) {
            ink++;
            if (x < edge || y < edge || x > canvas.width - edge || y > canvas.height - edge) atEdge++;
          }
        }
      }
      const text = (await p.getTextContent()).items.map((t) => t.str).join(" ");
      out.push({ ink: ink / (canvas.width * canvas.height), atEdge, text, png: canvas.toDataURL("image/png") });
    }
    return out;
  });
  measured.forEach((m, i) => {
    const png = Buffer.from(m.png.split(",")[1], "base64");
    writeFileSync(join(artifacts, `${name}-page-${i + 1}.png`), png);
    if (i === 0) writeFileSync(join(shots, `${name}-page-1.png`), png);
  });
  await page.close();
  return measured;
}

for (const [lang, words] of [
  ["en", { title: "Board report: Staff pulse", summary: "Summary", heat: "Heatmap: each context against the organisation", questions: "Every question", trend: "Trend across waves", print: "Print or save as PDF" }],
  ["cy", { title: "Adroddiad i'r bwrdd: Pwls staff", summary: "Crynodeb", heat: "Map gwres: pob cyd-destun yn erbyn y sefydliad", questions: "Pob cwestiwn", trend: "Tuedd ar draws tonnau", print: "Argraffu neu gadw fel PDF" }],
]) {
  test(`the board pack prints to A4 with every page filled and numbered (${lang})`, async () => {
    const admin = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: lang === "cy" ? "cy-GB" : "en-GB" });
    await admin.addInitScript((l) => localStorage.setItem("pulse-admin-lang", l), lang);
    // The heatmap page first, then the pack in the same tab (a token lasts as long as its tab).
    const page = await signIn(admin, "/heatmap/staff-pulse/all");
    await page.locator("table.heatmap").waitFor();
    const onItsPage = await heatmapText(page);
    await page.goto(`${pulse.url}/admin/report#/pack/staff-pulse/all`);
    await page.getByRole("heading", { name: words.title }).waitFor();
    await page.getByText("Demo NHS Trust").first().waitFor();
    for (const h of [words.summary, words.heat, words.trend]) await page.getByRole("heading", { name: h }).waitFor();
    await page.getByRole("heading", { name: new RegExp(`^${words.questions}`) }).waitFor();
    assert.deepEqual(await axe(page, "body"), [], "the board pack is accessible");
    // The pack's heatmap is the heatmap page's, cell for cell.
    assert.deepEqual(await heatmapText(page), onItsPage, "the heatmap reads the same in the pack and the dashboard");

    await page.emulateMedia({ media: "print" });
    assert.equal(await page.getByRole("button", { name: words.print }).isVisible(), false, "no buttons on paper");
    const pdf = await page.pdf({ format: "A4", printBackground: true, path: join(artifacts, `board-pack-${lang}.pdf`) });
    const drawn = await pages(admin, pdf, `board-pack-${lang}`);
    assert.ok(drawn.length >= 4 && drawn.length <= 20, `${drawn.length} pages`);
    drawn.forEach((p, i) => {
      assert.ok(p.ink > 0.01, `page ${i + 1} has content (${(100 * p.ink).toFixed(2)}% ink)`);
      assert.equal(p.atEdge, 0, `nothing on page ${i + 1} runs to the paper's edge`);
      assert.match(p.text, new RegExp(`\\b${i + 1} / ${drawn.length}\\b`), `page ${i + 1} is numbered`);
    });
    assert.match(drawn[0].text, /Demo NHS Trust/);
    assert.match(drawn[0].text, new RegExp(words.summary));
    await admin.close();
  });
}

test("a directorate lead reads every page of their own contexts, and none says something went wrong", async () => {
  const lead = pulse.cli("admin", "token", "create", "--name", "community-lead", "--role", "viewer", "--context", "community").trim();
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${pulse.url}/admin#/surveys/staff-pulse`);
  await page.getByLabel("Admin token").fill(lead);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Results: Community services" }).waitFor();
  const pages = [
    ["/admin#/surveys/staff-pulse", "Results: Community services"],
    ["/admin#/waves/staff-pulse", "Waves and headcounts"],
    ["/admin/report#/trend/staff-pulse", "Trend: Staff pulse"],
    ["/admin/report#/heatmap/staff-pulse/all", "Heatmap: Staff pulse"],
    ["/admin/report#/pack/staff-pulse/all", "Board report: Staff pulse"],
    ["/admin/report#/evidence/constitution/compassion", "Compassion: values evidence"],
  ];
  for (const [address, heading] of pages) {
    await page.goto(`${pulse.url}${address}`);
    await page.getByRole("heading", { name: heading }).waitFor();
    assert.equal(await page.getByRole("heading", { name: "Something went wrong" }).count(), 0, address);
    const text = await page.locator("main").textContent();
    for (const other of ["Clinical services", "Estates and facilities", "Whole organisation", "(division)"]) {
      if (!address.includes("evidence") || other !== "Whole organisation") assert.ok(!text.includes(other), `${address} shows ${other}`);
    }
    assert.deepEqual(await axe(page, "body"), [], `${address} is accessible`);
  }
  // Their response rates, wave by wave, beside their trend.
  await page.goto(`${pulse.url}/admin/report#/trend/staff-pulse`);
  await page.getByRole("heading", { name: "Responses and response rates: Community services" }).waitFor();
  assert.match(await page.locator("table").first().textContent(), /\d+(\.\d)?%/);
  await context.close();
});
