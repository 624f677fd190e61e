// The production build (tools/dist) as a course page would use it: embedded
// in an iframe on another origin, with every request to any other server
// refused. It must load, answer its API, draw, and ask only its own host.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { repoRoot, startServer, startBrowser, screenshot, startOtherOrigin, copySite } from "./harness.mjs";

const distDir = process.env.ATTNLAB_DIST || path.join(repoRoot, "build/dist/attention-lab");
let app, course, browser, courseDir;
before(async () => {
  assert.ok(fs.existsSync(path.join(distDir, "attnlab.wasm")), `${distDir} is missing: run tools/dist first (tools/test does)`);
  for (const f of ["LICENSE.txt", "THIRD_PARTY_NOTICES.txt", "exercise-origins.json"])
    assert.ok(fs.existsSync(path.join(distDir, f)), f + " is not shipped");
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
  // Under its own Content-Security-Policy, with nothing blocked.
  assert.match(await frame.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content),
               /default-src 'self'.*connect-src 'self'(;|$)/);
  assert.deepEqual(await frame.evaluate(() => attnlab.cspViolations()), []);
  await context.close();
});

test("a host lets the static build read exercise files from one more origin (tools/exercise-origins.mjs), and only that one", async () => {
  const week3 = JSON.stringify({ title: "Week 3", exercises: [
    { id: "hosted", title: "Two plus two", question: "2 + 2 = ?", kind: "number", answer: 4, tolerance: 0 }] });
  const files = await startOtherOrigin({ "/week3.json": week3 });
  const stranger = await startOtherOrigin({ "/week3.json": week3 });
  const copy = copySite(distDir);
  execFileSync(process.execPath, [path.join(repoRoot, "tools/exercise-origins.mjs"), copy, new URL(files.url).origin]);
  const host = await startServer(copy);
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  const errors = [], foreign = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  const origins = [host.url, course.url, files.url].map((u) => new URL(u).origin);
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (origins.includes(new URL(url).origin)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  try {
    const embed = (exercises) => fs.writeFileSync(path.join(courseDir, "week3.html"), `<!doctype html><title>Week 3</title>
<iframe id="lab" src="${host.url}index.html?exercises=${encodeURIComponent(exercises)}" width="960" height="600"></iframe>`);
    embed(files.url + "week3.json");
    await page.goto(course.url + "week3.html");
    let frame = await (await page.waitForSelector("#lab")).contentFrame();
    await frame.waitForFunction(() => !!(window.attnlab && window.attnlab.ready), null, { timeout: 60000 });
    assert.equal(await frame.evaluate(() => window.attnlab.ready.then(() => true)), true);
    await frame.waitForFunction(() => attnlab.state().exercises.exercises.some((e) => e.id === "hosted") ||
                                      attnlab.state().exercises.fileErrors.length > 0, null, { timeout: 30000 });
    assert.deepEqual(await frame.evaluate(() => attnlab.state().exercises.fileErrors), []);
    assert.deepEqual(files.hits, ["/week3.json"]);
    assert.deepEqual(await frame.evaluate(() => attnlab.cspViolations()), []);
    // An origin the host did not list: refused before any request.
    embed(stranger.url + "week3.json");
    await page.goto(course.url + "week3.html");
    frame = await (await page.waitForSelector("#lab")).contentFrame();
    await frame.waitForFunction(() => !!(window.attnlab && window.attnlab.ready), null, { timeout: 60000 });
    assert.equal(await frame.evaluate(() => window.attnlab.ready.then(() => true)), true);
    await frame.waitForFunction(() => attnlab.state().exercises.fileErrors.length > 0, null, { timeout: 30000 });
    assert.match((await frame.evaluate(() => attnlab.state().exercises.fileErrors))[0],
                 new RegExp("nothing was requested from " + new URL(stranger.url).origin));
    assert.deepEqual(stranger.hits, []);
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    host.stop(); files.stop(); stranger.stop();
    fs.rmSync(copy, { recursive: true, force: true });
  }
});
