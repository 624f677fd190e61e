// A link cannot make the page reach out (issue 15): ?exercises=<url> reads
// only from the page's own origin and the origins its host lists in
// exercise-origins.json, checked before any request; the reader stops at 1 MB
// whatever the headers say and gives up after 15 s; the page's
// Content-Security-Policy lets it load and train, and what it blocks is shown
// as a notice. Another local server on another port stands in for another origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { repoRoot, siteDir, startServer, startBrowser, openPage, waitReady, startOtherOrigin, copySite, screenshot }
  from "./harness.mjs";

const MB = 1 << 20;
const week3 = JSON.stringify({ title: "Week 3 from the file host", exercises: [
  { id: "from-elsewhere", title: "Two plus two", question: "2 + 2 = ?", kind: "number", answer: 4, tolerance: 0 }] });

// The site, plus files a plain static server cannot serve: a 2 MB file sent
// in paced chunks with no Content-Length, and one that never finishes.
// `big` records how much of the 2 MB went out before the browser hung up.
const big = { sent: 0, finished: false, closedEarly: false };
function startSiteServer() {
  const server = http.createServer((req, res) => {
    const rel = new URL(req.url, "http://x").pathname;
    if (rel === "/big.json") {
      Object.assign(big, { sent: 0, finished: false, closedEarly: false });
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache" });  // chunked: no length
      const chunk = Buffer.alloc(128 * 1024, 0x20);
      const timer = setInterval(() => {
        if (big.sent >= 2 * MB) { clearInterval(timer); big.finished = true; res.end(); return; }
        res.write(chunk);
        big.sent += chunk.length;
      }, 40);
      res.on("close", () => { clearInterval(timer); if (!big.finished) big.closedEarly = true; });
      return;
    }
    if (rel === "/quotes.json") {  // just under 1 MB, half of it quotes that JSON escapes again on the way to the app
      const ex = JSON.parse(week3).exercises[0];
      const body = JSON.stringify({ title: '"'.repeat(480000), exercises: [ex] });
      res.writeHead(200, { "Content-Type": "application/json" }).end(body);
      return;
    }
    if (rel === "/stall.json") {  // headers and a first byte, then nothing
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write("{");
      return;
    }
    const file = path.join(siteDir, path.normalize(rel === "/" ? "/index.html" : rel));
    if (!file.startsWith(siteDir + path.sep) || !fs.existsSync(file)) { res.writeHead(404).end("not found"); return; }
    const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
    res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/json", "Cache-Control": "no-cache" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () =>
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, stop: () => server.closeAllConnections() || server.close() })));
}

let site, other, browser;
before(async () => {
  assert.ok(fs.existsSync(path.join(siteDir, "attnlab.wasm")), `${siteDir} is missing: build the wasm app first (tools/test does)`);
  site = await startSiteServer();
  other = await startOtherOrigin({ "/week3.json": week3 });
  browser = await startBrowser();
});
after(async () => { await browser?.close(); site?.stop(); other?.stop(); });

// Opens base + query and records every request the page (and its workers) make.
async function open(base, query) {
  const opened = await openPage(browser, "about:blank");
  opened.requests = [];
  await opened.context.route("**/*", (route) => { opened.requests.push(route.request().url()); return route.continue(); });
  await opened.page.goto(base + query);
  assert.equal(await waitReady(opened.page), true);
  return opened;
}
const state = (page) => page.evaluate(() => attnlab.state());
const waitFor = (page, fn, arg, timeout = 30000) => page.waitForFunction(fn, arg, { timeout, polling: 100 });
const fileErrors = (page) => waitFor(page, () => attnlab.state().exercises.fileErrors.length > 0)
  .then(() => state(page)).then((s) => s.exercises.fileErrors.join("\n"));
const violations = (page) => page.evaluate(() => attnlab.cspViolations());

test("a cross-origin ?exercises= is refused before any request, with a notice", async () => {
  for (const link of [other.url + "week3.json", other.url.replace("http:", "") + "week3.json"]) {  // also //host:port/
    const hitsBefore = other.hits.length;
    const a = await open(site.url, "?exercises=" + encodeURIComponent(link));
    // Refused, or (if the checks failed) loaded: either way, then look at what was asked.
    await waitFor(a.page, () => attnlab.state().exercises.fileErrors.length > 0 ||
                                attnlab.state().exercises.exercises.some((e) => e.id === "from-elsewhere"));
    await a.page.waitForTimeout(500);
    assert.deepEqual(other.hits.slice(hitsBefore), [], "the other origin was asked");
    const errs = (await state(a.page)).exercises.fileErrors.join("\n");
    const origin = new URL(other.url).origin;
    assert.match(errs, new RegExp("nothing was requested from " + origin + ": this page reads exercise files only from its own site"));
    const s = await state(a.page);
    assert.equal(s.view, "exercises");
    assert.ok(s.notices.some((n) => n.error && /could not be loaded.*nothing was requested/.test(n.text)), JSON.stringify(s.notices));
    assert.ok(!s.exercises.exercises.some((e) => e.id === "from-elsewhere"));
    // Every request the page made went to its own origin (the host's exercise-origins.json among them).
    const page = new URL(site.url).origin;
    assert.deepEqual(a.requests.filter((u) => new URL(u).origin !== page), []);
    assert.ok(a.requests.includes(page + "/exercise-origins.json"));
    assert.deepEqual(await violations(a.page), []);  // refused by the page, not left to the CSP
    assert.deepEqual(a.errors, []);
    if (!link.startsWith("//")) await screenshot(a.page, "origins-refused-link");
    await a.context.close();
  }
});

test("data:, blob: and javascript: addresses are refused, with a notice", async () => {
  const page = new URL(site.url).origin;
  const links = ["data:application/json," + encodeURIComponent(week3),
                 "blob:" + page + "/6f1c1d2e-0000-4000-8000-000000000000", "javascript:alert(1)"];
  for (const link of links) {
    const a = await open(site.url, "?exercises=" + encodeURIComponent(link));
    const scheme = link.slice(0, link.indexOf(":") + 1);
    assert.match(await fileErrors(a.page), new RegExp("a " + scheme + " address is not allowed: an exercise file must be an http\\(s\\) address"));
    const s = await state(a.page);
    assert.ok(s.notices.some((n) => n.error && n.text.includes(scheme + " address is not allowed")));
    assert.ok(!s.exercises.exercises.some((e) => e.id === "from-elsewhere"));
    assert.deepEqual(a.requests.filter((u) => !u.startsWith(page + "/")), [], link);
    assert.deepEqual(await violations(a.page), []);
    assert.deepEqual(a.errors, []);
    await a.context.close();
  }
});

test("a same-origin 2 MB file sent without Content-Length is refused after reading about 1 MB", async (t) => {
  const a = await open(site.url, "?exercises=big.json");
  const errs = await fileErrors(a.page);
  assert.match(errs, /big\.json: it is larger than 1\.0 MB \(reading stopped after 1\.\d MB\); an exercise file may be at most 1 MB/);
  await a.page.waitForTimeout(300);
  t.diagnostic(`the server had sent ${big.sent} of ${2 * MB} bytes when the page hung up`);
  assert.equal(big.closedEarly, true, "the browser read the whole 2 MB");
  // The server sends 128 KB every 40 ms: the page hung up within a few chunks of 1 MB.
  assert.ok(big.sent <= 1.5 * MB, "the server had sent " + big.sent + " bytes when the page hung up");
  assert.ok(big.sent > MB, "reading stopped before 1 MB: " + big.sent);
  assert.deepEqual(a.errors, []);
  await a.context.close();
});

test("a file just under 1 MB, full of quotes, reaches the app's parser without stopping the app", async () => {
  const a = await open(site.url, "?exercises=quotes.json");
  const errs = await fileErrors(a.page);
  assert.match(errs, /title/);  // the parser's verdict on the 480,000-character title
  assert.ok((await state(a.page)).exercises.exercises.some((e) => e.id === "from-elsewhere"), "the good entry loaded");
  assert.equal(await a.page.evaluate(() => attnlab.selectView("sandbox").ok), true);  // still answering
  assert.deepEqual(a.errors, []);
  await a.context.close();
});

test("a file that never finishes arriving is given up after 15 seconds, and the notice says so", async () => {
  const a = await open(site.url, "?exercises=stall.json");
  const t0 = Date.now();
  await waitFor(a.page, () => attnlab.state().exercises.fileErrors.length > 0, null, 30000);
  const errs = (await state(a.page)).exercises.fileErrors.join("\n");
  assert.match(errs, /stall\.json: no complete answer within 15 seconds, the time limit for this file/);
  assert.ok(Date.now() - t0 > 8000, "gave up too early");
  assert.deepEqual(a.errors, []);
  await a.context.close();
});

test("an origin the host lists (tools/exercise-origins.mjs) serves exercise files; a bad list is reported", async () => {
  const copy = copySite();
  const host = await startServer(copy);
  try {
    const origin = new URL(other.url).origin;
    execFileSync(process.execPath, [path.join(repoRoot, "tools/exercise-origins.mjs"), copy, origin]);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(copy, "exercise-origins.json"), "utf8")), { origins: [origin] });
    const hitsBefore = other.hits.length;
    const a = await open(host.url, "?exercises=" + encodeURIComponent(other.url + "week3.json"));
    await waitFor(a.page, () => attnlab.state().exercises.fileErrors.length > 0 ||
                                attnlab.state().exercises.exercises.some((e) => e.id === "from-elsewhere"));
    let s = await state(a.page);
    assert.deepEqual(s.exercises.fileErrors, []);
    assert.ok(s.exercises.exercises.some((e) => e.id === "from-elsewhere"));
    assert.deepEqual(other.hits.slice(hitsBefore), ["/week3.json"]);
    assert.deepEqual(await violations(a.page), []);
    assert.deepEqual(a.errors, []);

    // Listed in the file but not in the page's CSP: the page says so instead of letting the browser block it.
    fs.writeFileSync(path.join(copy, "index.html"), fs.readFileSync(path.join(siteDir, "index.html")));
    await a.page.reload();
    assert.equal(await waitReady(a.page), true);
    assert.match(await fileErrors(a.page), new RegExp(origin + " is listed in exercise-origins.json but not in connect-src"));
    assert.equal(other.hits.length, hitsBefore + 1);

    // A malformed list: a notice, and this page's own origin only.
    execFileSync(process.execPath, [path.join(repoRoot, "tools/exercise-origins.mjs"), copy, origin]);
    for (const [list, problem] of [['{"origins": ["' + origin + '/files/"]}', /origins\[0\]: .* must be an origin alone/],
                                   ['{"origins": "*"}', /it must be an object \{"origins"/],
                                   ["{oops", /it is not valid JSON/]]) {
      fs.writeFileSync(path.join(copy, "exercise-origins.json"), list);
      await a.page.reload();
      assert.equal(await waitReady(a.page), true);
      const errs = await fileErrors(a.page);
      assert.match(errs, /nothing was requested from/);
      s = await state(a.page);
      const notice = s.notices.map((n) => n.text).find((t) => t.startsWith("exercise-origins.json"));
      assert.ok(notice, list + ": " + JSON.stringify(s.notices));
      assert.match(notice, problem);
      assert.match(notice, /Exercise files are read from this page's own origin only\.$/);
      assert.equal(other.hits.length, hitsBefore + 1, list);
    }
    assert.deepEqual(a.errors, []);
    await a.context.close();
  } finally {
    host.stop();
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

test("under the Content-Security-Policy every view works and the page trains; a blocked request is shown", async () => {
  const a = await open(site.url, "");
  const policy = await a.page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
  assert.match(policy, /default-src 'self'/);
  assert.match(policy, /connect-src 'self'(;|$)/);
  for (const view of ["sandbox", "patterns", "training", "memory", "streaming", "exercises"]) {
    assert.deepEqual(await a.page.evaluate((v) => attnlab.selectView(v), view), { ok: true });
    await waitFor(a.page, (v) => attnlab.state().view === v, view);
    await a.page.waitForTimeout(200);
  }
  await a.page.evaluate(() => { attnlab.training.load("window-misses-introduction"); attnlab.selectView("training"); attnlab.training.step(5); });
  await waitFor(a.page, () => attnlab.state().lab.runs.length === 2 && attnlab.state().lab.runs.every((r) => r.step === 5), null, 60000);
  assert.ok((await state(a.page)).lab.runs[0].latest.eval_loss > 0);
  await a.page.evaluate(() => attnlab.selectView("memory"));  // a sweep: the jobs' workers
  assert.deepEqual(await a.page.evaluate(() => attnlab.command({ cmd: "memory.start", preset: "memory-cost" })), { ok: true });
  await waitFor(a.page, () => attnlab.state().memory.running && attnlab.state().memory.progress > 0, null, 60000);
  assert.deepEqual(await a.page.evaluate(() => attnlab.command({ cmd: "memory.cancel" })), { ok: true });
  await waitFor(a.page, () => !attnlab.state().memory.running);
  assert.deepEqual(await violations(a.page), []);
  assert.ok(!(await state(a.page)).notices.some((n) => /Content-Security-Policy/.test(n.text)));
  assert.deepEqual(a.errors, []);

  // A request to another origin that slipped past the page's own checks: the browser blocks it
  // before it is made, and the page shows it.
  const hitsBefore = other.hits.length;
  await a.page.evaluate((u) => fetch(u).catch(() => {}), other.url + "week3.json");
  await waitFor(a.page, () => attnlab.state().notices.some((n) => /Content-Security-Policy blocked/.test(n.text)));
  const s = await state(a.page);
  const origin = new URL(other.url).origin;
  assert.ok(s.notices.some((n) => n.error && n.text.startsWith("The page's Content-Security-Policy blocked " + origin + "/week3.json (connect-src)")),
            JSON.stringify(s.notices));
  assert.deepEqual((await violations(a.page)).map((v) => v.directive), ["connect-src"]);
  assert.equal(other.hits.length, hitsBefore);
  assert.ok(a.errors.every((e) => /Refused to connect|Content Security Policy/.test(e)), a.errors.join("\n"));
  await a.context.close();
});
