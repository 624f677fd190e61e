// Shared set-up for the browser tests: serve the built site on a free port,
// start Debian's headless Chromium through playwright-core, and collect every
// console error and page error so a test can fail on them.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");
export const siteDir = process.env.ATTNLAB_SITE || path.join(repoRoot, "build/wasm/web");
export const shotDir = process.env.ATTNLAB_SCREENSHOTS || path.join(repoRoot, "build/screenshots");

// As root, in a container without a GPU: SwiftShader's software WebGL2, and
// no background networking (a closed network refuses those connections).
const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--no-first-run", "--disable-quic", "--disable-gpu-driver-bug-workarounds",
];

export async function startServer(dir = siteDir) {
  if (dir === siteDir && !fs.existsSync(path.join(siteDir, "attnlab.wasm")))
    throw new Error(`${siteDir}/attnlab.wasm is missing: build the wasm app first (tools/test does).`);
  const proc = spawn(process.execPath, [path.join(repoRoot, "tools/serve.mjs"), dir, "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/[\d.]+:\d+\//);
      if (m) resolve(m[0]);
    });
    proc.on("exit", (code) => reject(new Error("the server exited with " + code)));
  });
  return { url, stop: () => proc.kill() };
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

// A page that records problems: errors[] holds console errors and uncaught
// exceptions, with their text.
export async function openPage(browser, url, { width = 1280, height = 720, scale = 1, init, touch = false } = {}) {
  // touch: a touch screen (hasTouch), as on a tablet; the mouse still works.
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale, hasTouch: touch });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push("console: " + msg.text()); });
  page.on("pageerror", (err) => errors.push("page: " + err.message));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  return { page, context, errors };
}

// A server, a browser and the app's page, ready: what most test files start
// with. close() ends all three.
export async function openApp(options = {}) {
  const server = await startServer();
  const browser = await startBrowser();
  const { page, context, errors } = await openPage(browser, server.url, options);
  const ready = await waitReady(page);
  const close = async () => { await context.close(); await browser.close(); server.stop(); };
  return { server, browser, page, context, errors, ready, close };
}

export async function waitReady(page, timeout = 60000) {
  await page.waitForFunction(() => !!(window.attnlab && window.attnlab.ready), null, { timeout });
  // Race the promise against the timeout inside the page.
  return page.evaluate((ms) => Promise.race([
    window.attnlab.ready.then(() => true, (e) => "rejected: " + e.message),
    new Promise((r) => setTimeout(() => r("timeout"), ms)),
  ]), timeout);
}

export async function screenshot(page, name) {
  fs.mkdirSync(shotDir, { recursive: true });
  const file = path.join(shotDir, name + ".png");
  await page.screenshot({ path: file });
  return file;
}

// Counts the distinct colours inside a rectangle of a PNG, decoding it in a
// blank page (the browser is the PNG decoder we already have).
export async function distinctColors(browser, pngFile, rect) {
  const page = await browser.newPage();
  const data = fs.readFileSync(pngFile).toString("base64");
  const n = await page.evaluate(async ({ data, rect }) => {
    const img = new Image();
    img.src = "data:image/png;base64," + data;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width; c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const r = rect || { x: 0, y: 0, width: img.width, height: img.height };
    const px = g.getImageData(r.x, r.y, r.width, r.height).data;
    const seen = new Set();
    for (let i = 0; i < px.length; i += 4) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    return seen.size;
  }, { data, rect });
  await page.close();
  return n;
}

// A second server on another port, standing in for another origin (a course's
// file host, or an attacker's): it serves `files` ({path: text}) with CORS
// headers, so that only the page's own rules can stop a read, and records
// every request it gets in `hits`.
export async function startOtherOrigin(files = {}) {
  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url);
    const body = files[new URL(req.url, "http://x").pathname];
    const cors = { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache" };
    if (body === undefined) { res.writeHead(404, cors).end("not found"); return; }
    res.writeHead(200, { ...cors, "Content-Type": "application/json" }).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, hits, stop: () => server.close() };
}

// A copy of a static site folder, for a test that edits it as a host would.
export function copySite(dir = siteDir) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "attnlab-site-"));
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}
