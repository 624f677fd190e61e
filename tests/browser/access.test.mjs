// The accessible page beside the canvas (web/attnlab-access.js): every view
// is there as headings, controls and readouts, axe-core finds no WCAG 2.1 A
// or AA violation on any view, its controls send the app's commands and show
// the app's state, its tables hold the core's numbers (a sweep's too), and reduced motion
// stops the page's animations and reaches the app.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { openApp, openPage, waitReady } from "./harness.mjs";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

let app, page, errors;
before(async () => {
  app = await openApp();
  ({ page, errors } = app);
  assert.equal(app.ready, true);
  // Evaluated through the DevTools protocol, which the page's CSP (no inline script) does not govern.
  await page.evaluate(axeSource);
});
after(async () => { await app?.close(); });

const state = () => page.evaluate(() => attnlab.state());
// Activates a control of the hidden page as assistive technology and the keyboard do: focus, then a key
// (a mouse click would land on the canvas above it).
async function press(locator, key = "Enter") {
  await locator.focus();
  await locator.press(key);
}
const openTables = async () => {
  for (const b of await page.locator("#access button[aria-controls]").all())
    if ((await b.getAttribute("aria-expanded")) === "false") await press(b);
};
const waitFor = (fn, arg, timeout = 30000) => page.waitForFunction(fn, arg, { timeout, polling: 100 });
// The page's number formats (attnlab-access.js): formatting only, of the core's values.
const num = (v, digits = 3) => String(Number(v.toPrecision(digits)));
const pct = (v) => (100 * v).toFixed(1) + "%";

// What a screen reader user finds in each view: its heading and some of its controls (ARIA snapshot lines).
const EXPECTED = {
  sandbox: ['heading "Softmax sandbox" [level=2]', 'slider "Logit of key k1"', 'spinbutton "Temperature"', 'checkbox "softmax1', 'button "Add a global token"'],
  patterns: ['heading "Pattern explorer" [level=2]', 'spinbutton "Tokens n"', 'checkbox "Causal', "term: Pairs scored per head"],
  training: ['heading "Training lab" [level=2]', 'combobox "Scenario"', 'button "Load scenario"', 'button "Play"', 'button "Step"',
             'combobox "Speed"', 'heading "Lesson" [level=3]', 'table "Measures of each run, at its last measurement"',
             'rowheader "Sink mass"', 'radio "both"', 'button "Apply now"'],
  memory: ['heading "Memory lab" [level=2]', 'combobox "Sweep"', 'button "Start"', 'button "Cancel"', "term: Progress"],
  streaming: ['heading "Streaming lab" [level=2]', 'combobox "Run"', 'button "Start"'],
  exercises: ['heading "Exercises" [level=2]', 'combobox "Exercise"', 'radio "Add a few global tokens', 'button "Check answer"', 'button "Run the experiment"'],
};

test("every view is on the accessible page, and axe-core finds no WCAG 2.1 A/AA violation", async () => {
  await page.evaluate(() => { attnlab.selectView("training"); return attnlab.training.load("window-misses-introduction"); });
  await waitFor(() => attnlab.state().lab.runs.length === 2);
  const report = {};
  for (const [view, lines] of Object.entries(EXPECTED)) {
    await page.evaluate((v) => attnlab.selectView(v), view);
    await waitFor((v) => document.getElementById("access-view-title")?.textContent ===
                         attnlab.state().catalog.views.find((x) => x.id === v).title, view);
    // Every table open, so that axe checks them too.
    await openTables();
    const aria = await page.locator("#access").ariaSnapshot();
    for (const line of lines) assert.ok(aria.includes(line), `${view}: the accessibility tree has no ${line}\n${aria}`);
    const result = await page.evaluate((tags) => axe.run(document, { runOnly: { type: "tag", values: tags } })
      .then((r) => ({ violations: r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) })),
                      passes: r.passes.length })), WCAG21_AA);
    report[view] = { violations: result.violations.length, passes: result.passes };
    assert.deepEqual(result.violations, [], `${view}: axe-core violations`);
  }
  console.log("axe-core " + (await page.evaluate(() => axe.version)) + ", WCAG 2.1 A/AA, per view: " + JSON.stringify(report));
});

test("the controls send the app's commands and show its state back", async () => {
  await page.evaluate(() => { attnlab.selectView("sandbox"); return attnlab.sandbox.reset(); });
  await waitFor(() => document.getElementById("acc-sb-temperature"));
  await page.locator("#acc-sb-temperature").fill("2");
  await page.locator("#acc-sb-temperature").press("Enter");
  await press(page.locator("#acc-sb-softmax1"), "Space");
  let s = await state();
  assert.equal(s.sandbox.temperature, 2);
  assert.equal(s.sandbox.softmax1, true);
  // A logit slider moved with the keyboard (the arrow moves it by 0.1).
  const before = s.sandbox.logits[3];
  await page.locator("#acc-sb-logit-3").press("ArrowRight");
  s = await state();
  assert.ok(Math.abs(s.sandbox.logits[3] - (before + 0.1)) < 1e-4, `logit 3: ${before} -> ${s.sandbox.logits[3]}`);
  // A change made elsewhere (the API, as the canvas's slider would) shows on the page.
  await page.evaluate(() => attnlab.sandbox.set({ temperature: 0.5, globals: [3, 3] }));
  await waitFor(() => document.getElementById("acc-sb-temperature").value === "0.5");
  s = await state();
  const readout = await page.locator("#access dl").allInnerTexts();
  assert.ok(readout.join(" ").includes(num(s.sandbox.measures.entropy) + " nats"), readout.join(" "));
  assert.ok(readout.join(" ").includes(pct(s.sandbox.measures.globalMass)), readout.join(" "));
  // The view buttons select the view, as the tabs do.
  await press(page.locator("#acc-view-patterns"));
  assert.equal((await state()).view, "patterns");
  await page.locator("#acc-pt-window").fill("4");
  await page.locator("#acc-pt-window").press("Enter");
  assert.equal((await state()).patterns.settings.window, 4);
  await page.evaluate(() => attnlab.command({ cmd: "patterns.reset" }));

  // An exercise with a number for its answer: typed, then sent with Enter.
  await press(page.locator("#acc-view-exercises"));
  await page.locator("#acc-ex-open").selectOption("window-layers");
  assert.equal((await state()).exercises.open, "window-layers");
  await waitFor(() => document.getElementById("acc-ex-answer"));
  await page.locator("#acc-ex-answer").fill("7");
  await page.locator("#acc-ex-answer").press("Enter");
  const f = (await state()).exercises.feedback;
  assert.equal(f.shown, true);
  assert.equal(f.answer, "7");

  // Presenter mode, a share link and the CSV, as the header's controls do.
  await press(page.locator("#acc-app-presenter"), "Space");
  assert.equal((await state()).presenter, true);
  await press(page.locator("#acc-app-presenter"), "Space");
  assert.equal((await state()).presenter, false);
  await press(page.locator("#acc-app-share"));
  const url = (await state()).share.url;
  assert.match(url, /#s=/);
  await waitFor((u) => document.getElementById("acc-app-link").textContent.endsWith(u), url, 5000);
  // Nothing trained yet: the app refuses the CSV, and the page says why, in the app's words.
  await press(page.locator("#acc-app-csv"));
  assert.equal((await state()).exports.count, 0);
  assert.match(await page.locator("#access-errors").innerText(), /^Refused: export: there are no measures yet/);
});

test("the plots' tables and summaries hold the core's numbers", async () => {
  await page.evaluate(() => { attnlab.selectView("sandbox"); return attnlab.sandbox.reset(); });
  await waitFor(() => document.getElementById("acc-sb-temperature")?.value === "1");
  const toggle = page.getByRole("button", { name: "Show as a table: Attention weights" });
  // Opened in the first test, and still open: the page remembers it. Closed, then opened again.
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  await press(toggle);
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.equal(await page.locator("#access table").first().isHidden(), true);
  await press(toggle);
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  const s = await state();
  const rows = await page.locator("#access table tbody tr").allInnerTexts();
  assert.equal(rows.length, s.sandbox.weights.length);
  for (let i = 0; i < rows.length; ++i)
    assert.deepEqual(rows[i].split("\t"), ["key k" + (i + 1), num(s.sandbox.logits[i]), num(s.sandbox.weights[i])]);
  const summary = await page.locator("#access .access-summary").first().innerText();
  assert.equal(summary, `The query puts ${pct(s.sandbox.measures.peak)} of its weight on key k${s.sandbox.measures.peakIndex + 1} and ` +
                        `${pct(s.sandbox.measures.globalMass)} on global tokens; its entropy is ${num(s.sandbox.measures.entropyNormalized)} of the maximum.`);

  // The Pattern explorer's mask, in words: at its defaults (n = 256, causal, w = 16) the last query scores 17 keys.
  await page.evaluate(() => { attnlab.selectView("patterns"); return attnlab.command({ cmd: "patterns.reset" }); });
  await waitFor(() => document.getElementById("acc-pt-n"));
  await openTables();
  const p = (await state()).patterns;
  const maskRows = await page.locator("#access table").first().locator("tbody tr").allInnerTexts();
  assert.equal(maskRows.length, p.maskRows.length);
  assert.equal(maskRows[maskRows.length - 1], "position 255\t17\tpositions 239 to 255");
  assert.equal(await page.locator("#access .access-summary").first().innerText(),
               "The last query, at position 255, scores 17 of 256 keys: positions 239 to 255.");

  // The Training lab: each run's heatmap row and last measurements, once it has measured.
  await page.evaluate(() => { attnlab.selectView("training"); attnlab.training.load("window-misses-introduction"); return attnlab.training.step(40); });
  await waitFor(() => attnlab.state().lab.runs.length === 2 && attnlab.state().lab.runs.every((r) => r.step >= 40 && r.curve && r.curve.length >= 2 && r.row &&
                                                                                                  r.heatmap_rows && r.rows_over_time));
  await page.waitForTimeout(500);  // one more poll of the page
  await openTables();
  const t = await state();
  const b = t.lab.runs[1];
  const headText = await page.locator("#access .access-summary").nth(1).innerText();
  assert.match(headText, new RegExp(`^run B \\(window 16 \\+ 1 global\\): head ${b.shown_head.head} of layer ${b.shown_head.layer} puts ` +
                                    pct(b.shown_head.special_mass).replace(".", "\\.") + " of its weight on global"));
  assert.ok(headText.includes(`gives its largest weight, ${num(b.row.peak)}, to key ${b.row.peak_key}.`), headText);
  const tables = page.locator("#access table");
  // Measures, A's and B's rows, A's and B's heatmaps row by row, A's and B's query over time, A's and B's curves.
  assert.equal(await tables.count(), 9);
  const bRow = await tables.nth(2).locator("tbody tr").allInnerTexts();
  assert.equal(bRow.length, b.row.weights.length);
  assert.equal(bRow[b.row.peak_key], `key ${b.row.peak_key}\t${num(b.row.peak)}`);
  // The whole heatmap, a row per query (block): each row's strongest key, from the engine's picture.
  const bMap = await tables.nth(4).locator("tbody tr").allInnerTexts();
  assert.equal(bMap.length, b.heatmap_rows.rows.length);
  const lastRow = b.heatmap_rows.rows[b.heatmap_rows.rows.length - 1];
  assert.equal(bMap[bMap.length - 1], `query ${lastRow.query}\tkey ${lastRow.peak_key}\t${num(lastRow.peak)}`);
  assert.ok((await page.locator("#access .access-summary").nth(3).innerText()).includes(
    `the largest weight, ${num(b.heatmap_rows.top)}, is query ${b.heatmap_rows.top_query}'s on key ${b.heatmap_rows.top_key}.`));
  // The query over time: a row per probe step.
  const bTime = await tables.nth(6).locator("tbody tr").allInnerTexts();
  assert.equal(bTime.length, b.rows_over_time.steps.length);
  const lastStep = b.rows_over_time.steps[b.rows_over_time.steps.length - 1];
  assert.equal(bTime[bTime.length - 1], `step ${lastStep.step}\tkey ${lastStep.peak_key}\t${num(lastStep.peak)}`);
  const bCurve = await tables.nth(8).locator("tbody tr").allInnerTexts();
  assert.equal(bCurve.length, b.curve.length);
  const last = b.curve[b.curve.length - 1];
  assert.equal(bCurve[bCurve.length - 1].split("\t")[0], String(last.step));
  assert.equal(bCurve[bCurve.length - 1].split("\t")[1], num(last.eval_loss));
});

test("a sweep started from the page: its progress, verdict and results table", async () => {
  await page.evaluate(() => {
    attnlab.selectView("memory");
    window.__announced = [];
    const live = document.getElementById("access-live");
    new MutationObserver(() => { if (live.textContent) window.__announced.push(live.textContent); })
      .observe(live, { childList: true, characterData: true, subtree: true });
  });
  await waitFor(() => document.getElementById("acc-memory-preset"));
  await page.locator("#acc-memory-preset").selectOption("memory-cost");  // the shorter sweep (about 30 s)
  await press(page.locator("#acc-memory-start"));
  await waitFor(() => attnlab.state().memory.running, null, 10000);
  const s = await waitFor(() => { const m = attnlab.state().memory; return !m.running && m.results.length && m.lesson && attnlab.state(); }, null, 180000)
    .then((h) => h.jsonValue());
  assert.equal(s.memory.shown, "memory-cost");
  await waitFor(() => window.__announced.some((t) => t.startsWith("The sweep has finished.")), null, 5000);
  assert.ok((await page.evaluate(() => window.__announced)).some((t) => /^Sweep \d+\.\d% done\.$/.test(t)));
  if (s.memory.lesson.status !== "not yet") {
    // The page reads state() 4 times a second: give it a poll to catch up with the verdict read above.
    await waitFor((text) => document.getElementById("acc-memory-lesson").innerText.split("Verdict: ")[1] === text,
                  s.memory.lesson.text, 2000).catch(() => {});
    assert.equal((await page.locator("#acc-memory-lesson").innerText()).split("Verdict: ")[1], s.memory.lesson.text);
  }
  await openTables();
  // The last points' results may come in a snapshot after the job's end: the table follows them.
  await page.waitForTimeout(1000);
  await waitFor(() => document.querySelectorAll("#access table tbody tr").length === attnlab.state().memory.results.length, null, 5000);
  const rows = await page.locator("#access table tbody tr").allInnerTexts();
  s.memory.results = (await state()).memory.results;
  assert.equal(rows.length, s.memory.results.length);
  const cols = await page.locator("#access table thead th").allInnerTexts();
  const col = (name) => { const j = cols.indexOf(name); assert.ok(j >= 0, `no column ${name} in ${cols}`); return j; };
  // What the cost plots draw, per point.
  s.memory.results.forEach((r, i) => {
    const cells = rows[i].split("\t");
    assert.equal(cells[0], String(r.key));
    assert.equal(cells[col("Global tokens g")], String(r.globals));
    assert.equal(cells[col("Sequence length")], String(r.length), r.key);  // what the plot's caption states
    assert.equal(cells[col("Window ±")], String(r.window), r.key);
    assert.equal(cells[col("Accuracy")], num(r.final.accuracy, 4), r.key);
    assert.equal(cells[col("Pairs scored per head")], num(r.cost.pairs_per_head, 4), r.key);
    assert.equal(cells[col("Local share trained")], num(r.final.local_mass, 4), r.key);
    assert.equal(cells[col("Cosine at init")], num(r.initial.cosine, 4), r.key);
  });
  // The one-sentence summary quotes each point's accuracy, pairs and local share, as the engine measured them.
  const summary = await page.locator("#access .access-summary").first().innerText();
  for (const r of s.memory.results)
    assert.ok(summary.includes(`${r.key}, accuracy ${num(r.final.accuracy, 3)}, pairs per head ${num(r.cost.pairs_per_head, 3)}, ` +
                               `local share ${num(r.final.local_mass, 3)}`), `${r.key} in: ${summary}`);
});

test("with reduced motion the page's animations stop", async () => {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 720 }, reducedMotion: "reduce" });
  const p = await context.newPage();
  await p.goto(app.server.url);
  assert.equal(await waitReady(p), true);
  const style = await p.evaluate(() => {
    const fill = document.getElementById("progress-fill");
    fill.classList.add("indeterminate");
    const s = getComputedStyle(fill);
    return { animation: s.animationName, transition: s.transitionDuration, overlay: getComputedStyle(document.getElementById("overlay")).transitionDuration };
  });
  assert.deepEqual(style, { animation: "none", transition: "0s", overlay: "0s" });
  // The app is told too (it stops the text cursor's blink), and follows a change of the preference.
  assert.equal(await p.evaluate(() => attnlab.state().reduce_motion), true);
  await p.emulateMedia({ reducedMotion: "no-preference" });
  await p.waitForFunction(() => attnlab.state().reduce_motion === false, null, { timeout: 5000 });
  await context.close();
  assert.equal((await state()).reduce_motion, false);
});

test("no console errors", () => {
  assert.deepEqual(errors, []);
});
