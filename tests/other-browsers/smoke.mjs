// The cross-browser smoke checks, written once for every engine. A driver
// (firefox.test.mjs, webkit.test.mjs) gives defineSmokeTests() a launch()
// that starts its browser and returns a session:
//   session.version                  the browser's name and version, for the log
//   session.open(url)                loads url as a new document (not a same-page jump)
//   session.evaluate(source, arg)    runs the function whose source text this is on arg (a JSON
//                                    value) in the page, awaits it, returns its JSON value
//   session.nativeErrors()           console errors the driver itself saw ([] if it cannot see any)
//   session.close()
// Both engines need a display for WebGL2 (headless Firefox has none here), so
// the drivers run under a private Xvfb with Mesa's software GL (startXvfb).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The Chromium suite's server start (tools/serve.mjs on a free port) and site folder.
import { repoRoot, siteDir, startServer } from "../browser/harness.mjs";

export { repoRoot, siteDir };
const here = path.dirname(fileURLToPath(import.meta.url));

// How long the Training lab trains before the check looks (not a speed test:
// it only asks that the step and the measures moved at all).
const TRAIN_SECONDS = 10;

// A copy of the built site whose index.html first loads probe.js (the error
// recorder), served by tools/serve.mjs on a free port.
export async function startSite() {
  if (!fs.existsSync(path.join(siteDir, "attnlab.wasm")))
    throw new Error(`${siteDir}/attnlab.wasm is missing: build the wasm app first (tools/test does).`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attnlab-smoke-"));
  fs.cpSync(siteDir, dir, { recursive: true });
  fs.copyFileSync(path.join(here, "probe.js"), path.join(dir, "smoke-probe.js"));
  const index = path.join(dir, "index.html");
  const html = fs.readFileSync(index, "utf8");
  const probed = html.replace("</title>", '</title>\n  <script src="smoke-probe.js"></script>');
  assert.notEqual(probed, html, "index.html has no </title> to put the probe after");
  fs.writeFileSync(index, probed);
  const server = await startServer(dir);
  return { url: server.url, stop: () => { server.stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

// A private X server on a free display (Xvfb picks it and writes its number
// to fd 3). Local connections need no xauth.
export async function startXvfb() {
  const proc = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr.on("data", (d) => { stderr += d; });
  const display = await new Promise((resolve, reject) => {
    let out = "";
    proc.stdio[3].on("data", (d) => { out += d; if (out.includes("\n")) resolve(":" + out.trim()); });
    proc.on("error", (e) => reject(new Error("Xvfb did not start: " + e.message)));
    proc.on("exit", (code) => reject(new Error("Xvfb exited with " + code + ": " + stderr)));
  });
  // Mesa's llvmpipe: WebGL2 without a GPU.
  const env = { ...process.env, DISPLAY: display, LIBGL_ALWAYS_SOFTWARE: "1" };
  return { display, env, stop: () => proc.kill() };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// In the page: await attnlab.ready, racing a timeout. true, or why not.
function pageReady(ms) {
  const start = Date.now();
  return new Promise((resolve) => {
    const poll = () => {
      if (window.attnlab && window.attnlab.ready) {
        window.attnlab.ready.then(() => resolve(true), (e) => resolve("rejected: " + e.message));
      } else if (Date.now() - start > ms) resolve("no window.attnlab after " + ms + " ms");
      else setTimeout(poll, 50);
    };
    poll();
    setTimeout(() => resolve("attnlab.ready did not settle within " + ms + " ms"), ms);
  });
}

// The source of a page function that resolves with state() once cond (an
// expression in s, the state) holds, or rejects after ms saying what the lab
// showed last. Built as text: the page's CSP allows no eval, so the condition
// cannot travel as a string and be compiled there.
function pageWaitFor(cond) {
  return `(ms) => window.attnlab.waitFor((s) => { try { return !!(${cond}); } catch (e) { return false; } }, ms)
    .catch(() => {
      const s = window.attnlab.state();
      const shown = { view: s.view, preset: s.training.preset, playing: s.lab.playing,
                      runs: s.lab.runs.map((r) => ({ step: r.step, measured: r.history_points })) };
      throw new Error("timed out after " + ms + " ms waiting for " + ${JSON.stringify(JSON.stringify(cond))} +
                      "; the lab showed " + JSON.stringify(shown));
    })`;
}

export function defineSmokeTests(engine, launch) {
  describe(`smoke: ${engine}`, () => {
    let site, session;
    const evaluate = (fn, arg) => session.evaluate(String(fn), arg);
    const seen = [];   // errors and CSP violations of the pages already left
    // Reads what the probe and the app recorded on the current page.
    const harvest = async () => {
      const h = await evaluate(() => ({
        errors: window.attnlabSmokeErrors ? window.attnlabSmokeErrors.slice()
          : window.attnlab ? ["the error probe is not on the page"] : [],
        csp: window.attnlab && window.attnlab.cspViolations ? window.attnlab.cspViolations() : [],
      }));
      return [...h.errors, ...h.csp.map((v) => "CSP violation: " + JSON.stringify(v))];
    };
    // Opens url as a new page (by way of about:blank, so that a link that only
    // differs in its #fragment is not a jump within the same page).
    const open = async (url) => {
      seen.push(...await harvest());
      await session.open("about:blank");
      await session.open(url);
      const ready = await evaluate(pageReady, 90000);
      assert.equal(ready, true, `${url}: the app did not start (${ready})`);
    };
    const state = () => evaluate(() => window.attnlab.state());
    const command = (cmd) => evaluate((c) => window.attnlab.command(c), cmd);
    const waitFor = (cond, ms = 60000) => evaluate(pageWaitFor(cond), ms);

    before(async () => {
      site = await startSite();
      session = await launch();
      console.log(`${engine}: ${session.version}`);   // the TAP output shows it as a comment
    });
    after(async () => { await session?.close(); site?.stop(); });

    test("the page loads: attnlab.ready resolves and the first view is drawn", async () => {
      await open(site.url);
      const s = await state();
      assert.equal(s.view, "sandbox");
      assert.ok(s.perf.drawn_frames > 0, "no frame drawn");
      assert.equal(s.sandbox.weights.length, s.sandbox.logits.length);
      const title = await evaluate(() => document.title);
      assert.equal(title, "Attention Lab");
      // What the page sizes its worker pools from (WebKit reports 4 on this 2-core machine).
      console.log(`${engine}: navigator.hardwareConcurrency ${await evaluate(() => navigator.hardwareConcurrency)}`);
    });

    test("each view opens and draws", async () => {
      const s0 = await waitFor("Object.keys(s.ui).filter((k) => k.startsWith('tab.')).length > 0");
      const views = Object.keys(s0.ui).filter((k) => k.startsWith("tab.")).map((k) => k.slice(4));
      assert.deepEqual([...views].sort(), ["exercises", "memory", "patterns", "sandbox", "streaming", "training"]);
      for (const view of [...views.filter((v) => v !== s0.view), s0.view]) {
        const drawn = (await state()).perf.drawn_frames;
        assert.deepEqual(await evaluate((v) => window.attnlab.selectView(v), view), { ok: true }, view);
        // The view is current, and a frame has been drawn with it.
        const s = await waitFor(`s.view === ${JSON.stringify(view)} && s.perf.drawn_frames > ${drawn + 1}`, 20000);
        assert.equal(s.view, view);
      }
      assert.equal((await evaluate((v) => window.attnlab.selectView(v), "no-such-view")).ok, false);
    });

    test(`a Training-lab preset trains for ${TRAIN_SECONDS} s: the step and the measures move`, async () => {
      const preset = "window-misses-introduction";
      assert.deepEqual(await evaluate((p) => { window.attnlab.selectView("training"); return window.attnlab.training.load(p); }, preset),
                       { ok: true });
      await waitFor(`s.training.preset === ${JSON.stringify(preset)} && s.lab.runs.length === 2 && s.lab.runs.every((r) => r.step === 0)`);
      const started = Date.now();
      assert.deepEqual(await evaluate(() => window.attnlab.training.play()), { ok: true });
      // The engine measures at step 0 once training starts, then every few steps.
      const first = (await waitFor("s.lab.playing && s.lab.runs.every((r) => r.latest)", 20000)).lab.runs.map((r) => r.latest);
      await sleep(Math.max(0, TRAIN_SECONDS * 1000 - (Date.now() - started)));
      // A loaded machine may not have reached the next measurement yet: wait
      // for it (this is no speed test), then look.
      const s = await waitFor("s.lab.runs.every((r) => r.history_points >= 2)", 120000);
      assert.deepEqual(await evaluate(() => window.attnlab.training.pause()), { ok: true });
      console.log(`${engine}: A and B trained in ${s.lab.engines} workers (${s.lab.arithmetic}), ` +
                  `${s.lab.runs.map((r) => r.step).join(" and ")} steps`);
      // The engine's build follows the browser's relaxed SIMD (web/attnlab-loader.js, FUSED_PROBE).
      assert.match(s.lab.arithmetic, /^wasm x4( fused)?$/);
      assert.equal(s.lab.arithmetic.endsWith("fused"), (await evaluate(() => attnlab.engineBuild())) === "fused");
      for (const [i, run] of s.lab.runs.entries()) {
        assert.ok(run.history_points >= 2, `run ${run.id}: ${run.history_points} measurements in ${TRAIN_SECONDS} s, step ${run.step}`);
        assert.ok(run.step > first[i].step && run.latest.step > first[i].step,
                  `run ${run.id}: step ${run.step}, measured at ${run.latest.step}, first measured at ${first[i].step}`);
        assert.equal(run.diverged, null, `run ${run.id} diverged`);
        assert.ok(run.latest.train_loss > 0 && Number.isFinite(run.latest.train_loss), `run ${run.id} train_loss ${run.latest.train_loss}`);
        assert.ok(run.latest.accuracy >= 0 && run.latest.accuracy <= 1, `run ${run.id} accuracy ${run.latest.accuracy}`);
        // Continuous measures: each moves with any step (accuracy, a count of
        // right answers, may well stay put).
        for (const field of ["eval_loss", "entropy", "max_logit"]) {
          assert.ok(Number.isFinite(run.latest[field]), `run ${run.id} ${field}: ${run.latest[field]}`);
          assert.notEqual(run.latest[field], first[i][field], `run ${run.id}: ${field} did not move from step ${first[i].step}`);
        }
      }
      await waitFor("!s.lab.playing", 10000);
    });

    test("a share link round trip brings back the same settings", async () => {
      const sandbox = { logits: [0, 1.5, 0, 0.25, 3, 0, 0.5, -1, 2], globals: [2, 2], temperature: 0.75, softmax1: true };
      const replies = await evaluate((sb) => {
        const a = window.attnlab;
        return [a.sandbox.set(sb), a.training.load("peaky-attention"), a.selectView("training"), a.training.speed(7),
                a.training.view(1, 0, 3)];
      }, sandbox);
      for (const r of replies) assert.deepEqual(r, { ok: true });
      const original = await waitFor("s.training.preset === 'peaky-attention' && s.training.view.query === 3 && " +
                                     "s.lab.runs.length === 2");
      const shared = await command({ cmd: "app.share" });
      assert.equal(shared.ok, true, JSON.stringify(shared));
      assert.match(shared.url, /#s=[A-Za-z0-9_-]+$/);
      assert.equal(await evaluate(() => location.href), shared.url, "the address bar holds the link");

      await open(shared.url);   // in a new page, as a student opens it
      const s = await waitFor("s.training.preset === 'peaky-attention' && s.lab.runs.length === 2");
      assert.equal(s.view, "training");
      assert.deepEqual(s.training.view, original.training.view);
      assert.equal(s.training.speed, original.training.speed);
      for (const [k, v] of Object.entries(sandbox)) assert.deepEqual(s.sandbox[k], v, "sandbox." + k);
      assert.deepEqual(s.notices.filter((n) => n.error), [], "the link was opened with errors");
    });

    // The job worker's slices follow one another through a MessageChannel where the page keeps a core
    // (web/attnlab-worker.js, scheduleNow); this is the one check of that path outside Chromium.
    test("a Memory-lab sweep trains in the job worker: progress with time left, a point's result, then cancel", async () => {
      assert.deepEqual(await evaluate(() => { window.attnlab.selectView("memory");
                                              return window.attnlab.command({ cmd: "memory.start", preset: "memory-cost" }); }),
                       { ok: true });
      const started = await waitFor("s.memory.running && s.lab.job && s.lab.job.progress && " +
                                    "s.lab.job.progress.fraction > 0.02 && s.lab.job.progress.seconds_left > 0", 120000);
      assert.equal(started.lab.job.progress.total, 4, "memory-cost sweeps 4 points");
      // A point finishes (not a speed test: a loaded machine only takes longer).
      const s = await waitFor("s.lab.job_results >= 1", 300000);
      assert.ok(s.lab.job.progress.finished >= 1, JSON.stringify(s.lab.job.progress));
      assert.deepEqual(await command({ cmd: "memory.cancel" }), { ok: true });
      await waitFor("!s.memory.running", 20000);
    });

    test("an export: the measures as CSV", async () => {
      // Keep the download in the page: remember each Blob the app makes, and
      // take the <a download> click instead of letting the browser save it.
      await evaluate(() => {
        const blobs = new Map();
        window.attnlabSmokeDownloads = [];
        const createObjectURL = URL.createObjectURL;
        URL.createObjectURL = function (blob) { const u = createObjectURL.call(URL, blob); blobs.set(u, blob); return u; };
        const click = HTMLAnchorElement.prototype.click;
        HTMLAnchorElement.prototype.click = function () {
          if (!this.hasAttribute("download")) return click.call(this);
          window.attnlabSmokeDownloads.push({ name: this.download, blob: blobs.get(this.href) || null });
        };
        window.attnlab.training.step(10);
      });
      // Measured at steps 0 and 10.
      await waitFor("s.lab.runs.length === 2 && s.lab.runs.every((r) => r.step === 10 && r.history_points >= 2)", 120000);
      assert.deepEqual(await evaluate(() => window.attnlab.exportFile("csv")), { ok: true });
      const file = await evaluate(async () => {
        const d = window.attnlabSmokeDownloads;
        if (d.length !== 1 || !d[0].blob) return { count: d.length };
        return { count: 1, name: d[0].name, type: d[0].blob.type, text: await d[0].blob.text() };
      });
      assert.equal(file.count, 1, "one download");
      assert.equal(file.name, "peaky-attention-measures.csv");
      assert.match(file.type, /^text\/csv/);
      const lines = file.text.trim().split("\n");
      const header = lines[0].split(",");
      // The accuracy columns come from each run's accuracy groups, which the
      // page learns with the run's config: without them the runs are shown half.
      if (!/^run,step,lr,train_loss,eval_loss,accuracy_/.test(lines[0])) {
        const runs = (await state()).lab.runs.map((r) => ({ id: r.id, task: r.task, config: !!r.config && Object.keys(r.config).length,
                                                            step: r.step, measured: r.history_points, latest: r.latest }));
        assert.fail(`the CSV has no accuracy columns: ${lines[0].slice(0, 80)}...; the lab's runs: ${JSON.stringify(runs)}`);
      }
      for (const run of ["a (", "b ("]) {
        const rows = lines.filter((l) => l.startsWith(run)).map((l) => l.split(","));
        assert.ok(rows.length >= 2, `${rows.length} rows for run ${run}`);
        const last = rows[rows.length - 1];
        // Labels hold no commas here, so columns line up with the header.
        assert.equal(last.length, header.length, "columns of " + last.join(","));
        assert.ok(Number(last[header.indexOf("step")]) === 10, "step " + last[header.indexOf("step")]);
        assert.ok(Number.isFinite(Number(last[header.indexOf("train_loss")])), "train_loss " + last.join(","));
      }
    });

    test("no console errors, page errors or CSP violations on any page", async () => {
      const all = [...seen, ...await harvest(), ...await session.nativeErrors()];
      assert.deepEqual(all, []);
    });
  });
}
