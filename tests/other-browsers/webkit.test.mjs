// The smoke checks (smoke.mjs) in WebKit: WebKitGTK's MiniBrowser (Debian's
// libwebkit2gtk-4.1-0) driven through WebKitWebDriver (webkit2gtk-driver) by
// selenium-webdriver, on a private Xvfb with Mesa's software GL.
// WebKitWebDriver gives no access to the console: the page's own error probe
// (probe.js, which smoke.mjs puts on the page) reports the errors.
import { spawn } from "node:child_process";
import net from "node:net";
import { Builder } from "selenium-webdriver";
import { defineSmokeTests, startXvfb } from "./smoke.mjs";

const MINIBROWSER = process.env.MINIBROWSER || "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer().once("error", reject);
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

async function startWebDriver(env) {
  const port = await freePort();
  const proc = spawn(process.env.WEBKIT_WEBDRIVER || "WebKitWebDriver", [`--port=${port}`], { env, stdio: ["ignore", "ignore", "inherit"] });
  let exited = null;
  proc.on("exit", (code) => { exited = code; });
  proc.on("error", (e) => { exited = e.message; });
  const url = `http://127.0.0.1:${port}`;
  for (const start = Date.now(); Date.now() - start < 20000;) {
    if (exited !== null) throw new Error("WebKitWebDriver exited: " + exited);
    try { if ((await fetch(url + "/status")).ok) return { url, stop: () => proc.kill() }; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error("WebKitWebDriver did not answer within 20 s");
}

defineSmokeTests("WebKit (MiniBrowser)", async () => {
  const xvfb = await startXvfb();
  let server, driver;
  try {
    server = await startWebDriver(xvfb.env);
    driver = await new Builder().usingServer(server.url).withCapabilities({
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
    }).build();
    await driver.manage().setTimeouts({ script: 300000, pageLoad: 90000 });
    await driver.manage().window().setRect({ width: 1280, height: 760 });
  } catch (e) {
    await driver?.quit().catch(() => {});
    server?.stop(); xvfb.stop();
    throw e;
  }
  const caps = await driver.getCapabilities();
  return {
    version: `${caps.get("browserName")} (WebKitGTK ${caps.get("browserVersion")})`,
    open: (url) => driver.get(url),
    evaluate: async (source, arg) => {
      const r = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1], arg = arguments[0];
        Promise.resolve().then(() => (${source})(arg)).then(
          (v) => done({ ok: true, value: v === undefined ? null : v }),
          (e) => done({ ok: false, error: String((e && e.message) || e) }));`, arg ?? null);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    },
    nativeErrors: async () => [],
    close: async () => { try { await driver.quit(); } finally { server.stop(); xvfb.stop(); } },
  };
});
