// The training engines in parallel Web Workers (src/core/lab/session.h):
// A and B come out bit-identical on 1, 2 and 3 workers (?engines=N), with an
// intervention at a step, and a sweep's points train at once in two workers.
// Chromium has relaxed SIMD, so the page loads the fused engine
// (attnlab-engine-fused.wasm); ?engine=plain loads the plain one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, openPage, waitReady } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await startServer();
  browser = await startBrowser();
});
after(async () => { await browser?.close(); server?.stop(); });

async function open(query) {
  const opened = await openPage(browser, server.url + query);
  assert.equal(await waitReady(opened.page), true);
  return opened;
}
const waitFor = (page, fn, arg, timeout = 120000) => page.waitForFunction(fn, arg, { timeout, polling: 100 });

test("A and B are bit-identical on 1, 2 and 3 workers, with an intervention at its step", async () => {
  const outcomes = [];
  for (const engines of [1, 2, 3]) {
    const { page, context, errors } = await open("?engines=" + engines);
    await page.evaluate(() => { attnlab.selectView("training"); attnlab.training.load("window-misses-introduction"); });
    await waitFor(page, () => attnlab.state().lab.runs.length === 2);
    await page.evaluate(() => attnlab.training.step(8));
    await waitFor(page, () => attnlab.state().lab.runs.every((r) => r.step === 8));
    assert.deepEqual(await page.evaluate(() => attnlab.training.apply({ model: { globals: 2 } }, "a")), { ok: true });
    await page.evaluate(() => attnlab.training.step(12));
    await waitFor(page, () => attnlab.state().lab.runs.every((r) => r.step === 20 && r.latest && r.latest.step === 20));
    const s = await page.evaluate(() => attnlab.state());
    assert.equal(s.lab.engines, engines);
    assert.equal(s.lab.arithmetic, "wasm x4 fused");
    outcomes.push({ engines, interventions: s.lab.interventions,
                    runs: s.lab.runs.map((r) => ({ id: r.id, latest: r.latest, events: r.events, prefix: r.prefix })) });
    assert.deepEqual(errors, []);
    await context.close();
  }
  assert.equal(outcomes[0].runs[0].prefix, 2);  // the intervention took
  assert.ok(outcomes[0].runs[0].latest.eval_loss !== outcomes[0].runs[1].latest.eval_loss);
  for (const o of outcomes.slice(1)) assert.deepEqual(o, { ...outcomes[0], engines: o.engines }, o.engines + " workers");
});

test("the fused engine where the browser computes the multiply-add fused, the plain one on request: close, not the same bits", async () => {
  const losses = {};
  for (const query of ["", "?engine=plain"]) {
    const { page, context, errors } = await open(query);
    await page.evaluate(() => { attnlab.selectView("training"); attnlab.training.load("window-misses-introduction"); });
    await waitFor(page, () => attnlab.state().lab.runs.length === 2);
    await page.evaluate(() => attnlab.training.step(20));
    await waitFor(page, () => attnlab.state().lab.runs.every((r) => r.latest && r.latest.step === 20));
    const s = await page.evaluate(() => attnlab.state());
    const build = await page.evaluate(() => attnlab.engineBuild());
    assert.equal(build, query ? "plain" : "fused");
    assert.equal(s.lab.arithmetic, query ? "wasm x4" : "wasm x4 fused");
    losses[build] = s.lab.runs.map((r) => r.latest.eval_loss);
    assert.deepEqual(errors, []);
    await context.close();
  }
  for (let i = 0; i < 2; ++i) {
    assert.notEqual(losses.fused[i], losses.plain[i], "a different build, different roundings");
    assert.ok(Math.abs(losses.fused[i] - losses.plain[i]) < 1e-3 * Math.abs(losses.plain[i]),
              `run ${i}: fused ${losses.fused[i]} against plain ${losses.plain[i]}`);
  }
});

test("a sweep's points train at once in two workers", async () => {
  const { page, context, errors } = await open("?engines=2");
  await page.evaluate(() => attnlab.selectView("memory"));
  assert.deepEqual(await page.evaluate(() => attnlab.command({ cmd: "memory.start", preset: "memory-cost" })), { ok: true });
  // Points g0 (engine 0) and g4 (engine 1) train side by side: both running before either finishes.
  await waitFor(page, () => attnlab.state().lab.job.progress && attnlab.state().lab.job.progress.fraction > 0.1);
  const s = await page.evaluate(() => attnlab.state());
  assert.equal(s.lab.job.progress.total, 4);
  assert.equal(s.lab.job.progress.finished, 0, "two points at a quarter each, not one at a half");
  await waitFor(page, () => attnlab.state().lab.job_results >= 2, undefined, 300000);
  const progress = (await page.evaluate(() => attnlab.state())).lab.job.progress;
  assert.ok(progress.seconds_left === null || progress.seconds_left > 0);
  await page.evaluate(() => attnlab.command({ cmd: "memory.cancel" }));
  assert.deepEqual(errors, []);
  await context.close();
});
