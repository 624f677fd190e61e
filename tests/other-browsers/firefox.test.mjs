// The smoke checks (smoke.mjs) in Firefox ESR (Debian's firefox-esr), driven
// by puppeteer-core over WebDriver BiDi. Not headless: headless Firefox has no
// WebGL2 here, so it runs in a window on a private Xvfb with Mesa's software GL.
import puppeteer from "puppeteer-core";
import { defineSmokeTests, startXvfb } from "./smoke.mjs";

defineSmokeTests("Firefox ESR", async () => {
  const xvfb = await startXvfb();
  let browser;
  try {
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
      headless: false,
      env: xvfb.env,
      args: ["--width=1280", "--height=760"],
      defaultViewport: null,
    });
  } catch (e) { xvfb.stop(); throw e; }
  const page = (await browser.pages())[0] || await browser.newPage();
  const errors = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push("console: " + msg.text()); });
  page.on("pageerror", (err) => errors.push("page: " + (err.message || err)));
  return {
    version: await browser.version(),
    open: (url) => page.goto(url, { waitUntil: "load", timeout: 90000 }),
    evaluate: (source, arg) => page.evaluate(`(${source})(${JSON.stringify(arg ?? null)})`),
    nativeErrors: async () => errors.slice(),
    close: async () => { try { await browser.close(); } finally { xvfb.stop(); } },
  };
});
