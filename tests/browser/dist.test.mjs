// The production build (tools/dist) as a course page would use it: embedded
// in an iframe on another origin, with every request to any other server
// refused. It must load, answer its API, draw, and ask only its own host.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot, startServer, startBrowser, screenshot } from "./harness.mjs";

const distDir = process.env.ATTNLAB_DIST || path.join(repoRoot, "build/dist/attention-lab");
let app, course, browser, courseDir;
before(async () => {
  assert.ok(fs.existsSync(path.join(distDir, "attnlab.wasm")), `${distDir} is missing: run tools/dist first (tools/test does)`);
  for (const f of ["LICENSE.txt", "THIRD_PARTY_NOTICES.txt"]) assert.ok(fs.existsSync(path.join(distDir, f)), f + " is not shipped");
  app = await startServer(distDir);
  courseDir = fs.mkdtempSync(path.join(os.tmpdir(), "attnlab-course-"));
  fs.writeFileSync(path.join(courseDir, "index.html"), `<!doctype html><title>Week 3</title>
<h1>Week 3: attention patterns</h1>
<iframe id="lab" src="${app.url}index.html#view=sandbox" width="960" height="600" style="border:0"
        allow="clipboard-write" title="Attention Lab"></iframe>`);
  course = await startServer(courseDir);
  browser = await startBrowser();
});
after(async () => { await browser?.close(); app?.stop(); course?.stop(); fs.rmSync(courseDir, { recursive: true, force: true }); });

test("the static build runs in an iframe on another origin and asks no other server for anything", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  const errors = [], foreign = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  const origins = [new URL(app.url).origin, new URL(course.url).origin];
  // Offline but for the two local hosts: anything else is recorded and refused.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (origins.includes(new URL(url).origin)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  await page.goto(course.url);
  const frame = await (await page.waitForSelector("#lab")).contentFrame();
  await frame.waitForFunction(() => !!(window.attnlab && window.attnlab.ready), null, { timeout: 60000 });
  assert.equal(await frame.evaluate(() => window.attnlab.ready.then(() => true)), true);
  await frame.waitForFunction(() => attnlab.state().view === "sandbox", null, { timeout: 10000 });
  // The canvas fills the iframe, not the outer window.
  const size = await frame.evaluate(() => { const c = document.querySelector("canvas"); return [c.clientWidth, c.clientHeight]; });
  assert.deepEqual(size, [960, 600]);
  const s = await frame.evaluate(() => attnlab.state());
  assert.ok(s.sandbox.measures.entropy > 0, "the sandbox computes");
  await page.waitForTimeout(500);
  await screenshot(page, "dist-iframe");
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});
