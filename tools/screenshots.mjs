// Screenshots of every view, at a projector's 1280x720 and at 1920x1080, in
// normal and presenter mode, after real training, for a person to look at:
//   node tools/screenshots.mjs [--out build/screenshots/views] [--only training,memory]
//        [--sizes 1280x720,768x1024] [--presenter off] [--full]
// --full also waits for the capacity sweep's first points and the streaming
// run's first results (minutes), so their plots have data.
// Needs the wasm build (tools/serve or tools/test builds it).
import path from "node:path";
import { repoRoot, startServer, startBrowser, openPage, waitReady } from "../tests/browser/harness.mjs";

const arg = (name, fallback) => { const i = process.argv.indexOf("--" + name); return i > 0 ? process.argv[i + 1] : fallback; };
const out = arg("out", path.join(repoRoot, "build/screenshots/views"));
const sizes = arg("sizes", "1280x720,1920x1080").split(",").map((s) => s.split("x").map(Number));
const presenterModes = arg("presenter", "both") === "off" ? [false] : [false, true];
const full = process.argv.includes("--full");
const only = arg("only", "");
const want = (view) => !only || only.split(",").includes(view);

const server = await startServer();
const browser = await startBrowser();
const waitFor = (page, fn, arg, timeout = 120000) => page.waitForFunction(fn, arg, { timeout, polling: 200 });
for (const [width, height] of sizes) {
  const { page, context, errors } = await openPage(browser, server.url, { width, height });
  if ((await waitReady(page)) !== true) throw new Error("the page did not start");
  const shot = async (name) => {
    await page.waitForTimeout(400);
    const file = path.join(out, `${name}-${width}x${height}.png`);
    await page.screenshot({ path: file });
    console.log(file);
  };
  for (const presenter of presenterModes) {
    const tag = presenter ? "presenter-" : "";
    await page.evaluate((on) => attnlab.presenter(on), presenter);
    if (want("sandbox")) {
      await page.evaluate(() => attnlab.selectView("sandbox"));
      await shot(tag + "sandbox");
    }
    if (want("patterns")) {
      await page.evaluate(() => { attnlab.selectView("patterns"); attnlab.command({ cmd: "patterns.set", n: 512, window: 16, globals: 2 }); });
      await shot(tag + "patterns");
    }
    if (want("training")) {
      await page.evaluate(() => { attnlab.selectView("training"); attnlab.training.load("window-misses-introduction"); });
      await waitFor(page, () => attnlab.state().lab.runs.length === 2);
      await page.evaluate((n) => attnlab.training.step(n), presenter ? 20 : 200);
      await waitFor(page, (n) => attnlab.state().lab.runs[0].step >= n, presenter ? 20 : 200);
      await shot(tag + "training");
    }
    if (want("memory")) {
      await page.evaluate(() => { attnlab.selectView("memory"); attnlab.command({ cmd: "memory.start", preset: "memory-cost" }); });
      await waitFor(page, () => attnlab.state().memory.results.length >= 2, null, 300000);
      await shot(tag + "memory");
      await page.evaluate(() => attnlab.command({ cmd: "memory.cancel" }));
      if (full) {
        await page.evaluate(() => attnlab.command({ cmd: "memory.start", preset: "memory-capacity" }));
        await waitFor(page, () => attnlab.state().memory.results.length >= 5, null, 900000);
        await shot(tag + "memory-capacity");
        await page.evaluate(() => attnlab.command({ cmd: "memory.cancel" }));
      }
    }
    if (want("streaming")) {
      await page.evaluate(() => { attnlab.selectView("streaming"); attnlab.command({ cmd: "streaming.start", preset: "streaming-sinks" }); });
      if (full) await waitFor(page, () => attnlab.state().streaming.results.length >= 3, null, 900000);
      else await page.waitForTimeout(8000);
      await shot(tag + "streaming");
      await page.evaluate(() => attnlab.command({ cmd: "streaming.cancel" }));
    }
    if (want("exercises")) {
      await page.evaluate(() => { attnlab.selectView("exercises"); attnlab.exercises.open("window-fix"); attnlab.exercises.answer("window-fix", "globals"); });
      await shot(tag + "exercises");
    }
  }
  if (errors.length) console.log("console errors:", errors);
  await context.close();
}
await browser.close();
server.stop();
