// Attention Lab page loader and JavaScript API.
//
// 1. Checks that this browser has what the simulator needs (WebAssembly with
//    SIMD, and WebGL2) and says so plainly if not.
// 2. Downloads attnlab.wasm with a real progress bar, compiles it, starts it.
// 3. Exposes window.attnlab, for scripting and tests:
//      await attnlab.ready                    resolves when the first frame is drawn and the
//                                             training engines (Web Workers) have started
//      attnlab.state()                        every setting and measure on screen (object)
//      attnlab.command({cmd: ..., ...})       -> {ok, errors?}; see src/app/app.h
//      attnlab.selectView("sandbox")
//      attnlab.sandbox.set({logits, globals, temperature, softmax1, peakThreshold})
//      attnlab.exercises.answer(id, answer), attnlab.share(), attnlab.presenter(on)
//    The page also reads its address once ready: #s=... (a shared scenario) and
//    ?exercises=<url> (a course author's exercise file: this page's origin, or one
//    the host lists in exercise-origins.json; at most 1 MB, read within 15 s).
//    attnlab.cspViolations() lists what the page's Content-Security-Policy blocked.
//    attnlab.ready rejects (with the message shown on the page) if the app cannot start.
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const overlay = $("overlay"), fill = $("progress-fill"), text = $("progress-text");
  // The canvas has its own right-click uses; set here, not inline: the page's
  // Content-Security-Policy allows no inline script, handlers included.
  $("canvas").addEventListener("contextmenu", (e) => e.preventDefault());

  let resolveReady, rejectReady;
  const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
  ready.catch(() => {});  // failures are shown on the page; tests can still await it
  let module = null, stateFn = null, commandFn = null, failed = false;
  let frameReady = false, workerSettled = false;
  function maybeReady() {
    if (!frameReady || !workerSettled || readyDone) return;
    readyDone = true;
    applyPageParameters();
    resolveReady(api);
  }
  let readyDone = false;

  // --- What the address says: a shared scenario (#s=...), an exercise file (?exercises=url)
  // Both are untrusted: the app checks every field and says what it refused.
  const MAX_FILE_BYTES = 1 << 20;
  function applyPageParameters() {
    flushViolations();
    if (location.hash.length > 1) api.command({ cmd: "app.link", fragment: location.hash });
    let url = null;
    try { url = new URLSearchParams(location.search).get("exercises"); } catch (e) { url = null; }
    if (url) loadExercisesFrom(url);
  }
  window.addEventListener("hashchange", () => {
    if (readyDone && location.hash.length > 1) api.command({ cmd: "app.link", fragment: location.hash });
  });

  // Who may serve an exercise file is decided by the host, not by the link:
  // this page's own origin, plus the origins listed in exercise-origins.json
  // next to index.html ({"origins": ["https://files.course.example"]}). A link
  // can name a file but cannot change that list, so it cannot make the page
  // ask another server for anything. The check runs before any request.
  const ORIGINS_FILE = "exercise-origins.json";
  const MAX_ORIGINS_FILE_BYTES = 64 * 1024;
  const FETCH_TIMEOUT_SECONDS = 15;  // for the whole answer, headers and body
  const megabytes = (n) => (n / 1048576).toFixed(1) + " MB";

  // Fetches url and reads its body as a stream, stopping (and cancelling the
  // download) as soon as it passes maxBytes, whatever Content-Length says, and
  // giving up after FETCH_TIMEOUT_SECONDS. Throws an Error that says which limit was hit.
  async function readBounded(url, maxBytes, limitText) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, FETCH_TIMEOUT_SECONDS * 1000);
    const timeoutError = () => new Error("no complete answer within " + FETCH_TIMEOUT_SECONDS +
      " seconds, the time limit for this file; check the address and the connection, then reload");
    try {
      let response;
      try { response = await fetch(url, { signal: controller.signal, cache: "no-cache" }); }
      catch (e) { throw timedOut ? timeoutError() : new Error("the request failed (" + e.message + ")"); }
      if (!response.ok)
        throw Object.assign(new Error("the server answered " + response.status + " " + response.statusText), { status: response.status });
      const declared = Number(response.headers.get("Content-Length"));
      if (declared > maxBytes) {
        controller.abort();
        throw new Error("the server says it is " + megabytes(declared) + "; " + limitText);
      }
      const chunks = [];
      let received = 0;
      if (response.body) {
        const reader = response.body.getReader();
        for (;;) {
          let part;
          try { part = await reader.read(); }
          catch (e) { throw timedOut ? timeoutError() : new Error("the download broke off (" + e.message + ")"); }
          if (part.done) break;
          received += part.value.length;
          if (received > maxBytes) {
            reader.cancel().catch(() => {});
            controller.abort();
            throw new Error("it is larger than " + megabytes(maxBytes) + " (reading stopped after " + megabytes(received) + "); " + limitText);
          }
          chunks.push(part.value);
        }
      }
      const bytes = new Uint8Array(received);
      let offset = 0;
      for (const c of chunks) { bytes.set(c, offset); offset += c.length; }
      let text;
      try { text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); }
      catch (e) { throw new Error("it is not UTF-8 text"); }
      return { text, finalUrl: response.url || String(url) };
    } finally {
      clearTimeout(timer);
    }
  }

  // The extra origins the host allows, from exercise-origins.json. A missing
  // file means none; a malformed one is reported and also means none.
  async function allowedExerciseOrigins() {
    const file = new URL(ORIGINS_FILE, location.href);
    let text;
    try {
      text = (await readBounded(file, MAX_ORIGINS_FILE_BYTES, "the host's list of origins may be at most 64 KB")).text;
    } catch (e) {
      if (e.status === 404) return [];  // the file is optional: no file, no extra origins
      originsNotice(e.message);
      return [];
    }
    let data;
    try { data = JSON.parse(text); } catch (e) { originsNotice("it is not valid JSON"); return []; }
    if (!data || typeof data !== "object" || Array.isArray(data) || !Array.isArray(data.origins)) {
      originsNotice('it must be an object {"origins": ["https://files.course.example", ...]}');
      return [];
    }
    const unknown = Object.keys(data).filter((k) => k !== "origins");
    if (unknown.length) { originsNotice("unknown field " + JSON.stringify(unknown[0]) + '; only "origins" is read'); return []; }
    const origins = [];
    for (let i = 0; i < data.origins.length; ++i) {
      const problem = originProblem(data.origins[i]);
      if (problem) { originsNotice("origins[" + i + "]: " + problem); return []; }
      origins.push(new URL(data.origins[i]).origin);
    }
    return origins;
  }
  // Why an entry is not an origin (a scheme, a host and maybe a port, nothing more), or "".
  function originProblem(entry) {
    const shown = JSON.stringify(entry).slice(0, 60);
    if (typeof entry !== "string") return shown + " must be a string such as \"https://files.course.example\"";
    let u;
    try { u = new URL(entry); } catch (e) { return shown + " is not an address such as \"https://files.course.example\""; }
    if (u.protocol !== "https:" && u.protocol !== "http:") return shown + " must start with https:// (or http://)";
    if (u.origin !== entry.replace(/\/$/, "")) return shown + " must be an origin alone (scheme, host, port), without a path, query or user name";
    return "";
  }
  function originsNotice(problem) {
    api.command({ cmd: "app.notice", error: true,
                  text: ORIGINS_FILE + " (the host's list of exercise origins): " + problem +
                        ". Exercise files are read from this page's own origin only." });
  }

  // The origins this page's own Content-Security-Policy (the <meta> in
  // index.html) lets it connect to, or null if it has none. The host must list
  // an extra origin there too; tools/exercise-origins.mjs writes both files.
  function cspConnectSources() {
    const meta = document.querySelector('meta[http-equiv="Content-Security-Policy" i]');
    if (!meta) return null;
    const directives = new Map();
    for (const d of meta.content.split(";")) {
      const words = d.trim().split(/\s+/).filter(Boolean);
      if (words.length) directives.set(words[0].toLowerCase(), words.slice(1));
    }
    return directives.get("connect-src") || directives.get("default-src") || null;
  }

  // Resolves what the link asked for into a URL the page may fetch (and the
  // origins allowed besides this page's), or throws an Error saying why not.
  // Nothing is requested from the link's server here.
  async function checkExerciseUrl(raw) {
    let url;
    try { url = new URL(raw, location.href); } catch (e) { throw new Error("this is not a valid address"); }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new Error("a " + url.protocol + " address is not allowed: an exercise file must be an http(s) address " +
                      "on this page's own site" + (location.protocol.startsWith("http") ? " (" + location.origin + ")" : ""));
    if (url.origin === location.origin) return { url, allowed: [location.origin] };
    const allowed = await allowedExerciseOrigins();
    if (!allowed.includes(url.origin))
      throw new Error("nothing was requested from " + url.origin + ": this page reads exercise files only from its own site (" +
                      location.origin + ")" + (allowed.length ? " and from " + allowed.join(", ") : "") +
                      ". If your course gave you this link, tell its staff; a course can allow another site in " +
                      ORIGINS_FILE + " next to index.html");
    const csp = cspConnectSources();
    // Only exact origins are compared; a wildcard or a bare scheme is left to the browser.
    if (csp && !csp.some((s) => s.replace(/\/$/, "") === url.origin || s.includes("*") || /^[a-z][a-z0-9+.-]*:$/i.test(s)))
      throw new Error(url.origin + " is listed in " + ORIGINS_FILE + " but not in connect-src of the page's " +
                      "Content-Security-Policy (index.html), so the browser would block it; the host must list it in both " +
                      "(tools/exercise-origins.mjs writes both)");
    return { url, allowed: [location.origin, ...allowed] };
  }

  async function loadExercisesFrom(raw) {
    const name = raw.length > 80 ? raw.slice(0, 77) + "..." : raw;
    api.command({ cmd: "view.select", view: "exercises" });
    try {
      const { url, allowed } = await checkExerciseUrl(raw);
      const { text, finalUrl } = await readBounded(url, MAX_FILE_BYTES, "an exercise file may be at most 1 MB");
      // A redirect is followed only within the allowed origins (the CSP blocks
      // the others before they are asked; this covers a page without it).
      const landed = new URL(finalUrl, location.href).origin;
      if (!allowed.includes(landed))
        throw new Error("the server redirected to " + landed + ", which may not serve exercise files here");
      api.command({ cmd: "exercises.load_text", text, name });
    } catch (e) {
      api.command({ cmd: "exercises.load_failed", message: name + ": " + e.message });
    }
  }

  // --- Content-Security-Policy violations (the <meta> in index.html) ----------
  // Shown in the app's notice area, not only in the console, so that a blocked
  // request or script is seen by whoever uses or hosts the page. Kept in
  // attnlab.cspViolations() for tests; the first few become notices.
  const violations = [];
  let violationsShown = 0;
  function violationText(v) {
    const what = v.blockedURI && /^[a-z-]+:/i.test(v.blockedURI) ? v.blockedURI.slice(0, 120)
      : v.blockedURI ? "an " + v.blockedURI + " script" : "a resource";
    return "The page's Content-Security-Policy blocked " + what + " (" + v.directive + "). " +
           "If you host this page, see the README's \"Exercise files from other origins\".";
  }
  function flushViolations() {
    while (readyDone && violationsShown < violations.length && violationsShown < 5)
      api.command({ cmd: "app.notice", error: true, text: violationText(violations[violationsShown++]) });
  }
  document.addEventListener("securitypolicyviolation", (e) => {
    const v = { directive: e.effectiveDirective || e.violatedDirective, blockedURI: e.blockedURI || "",
                source: e.sourceFile ? e.sourceFile + ":" + e.lineNumber : "" };
    violations.push(v);
    console.warn("Attention Lab: " + violationText(v) + (v.source ? " At " + v.source + "." : ""));
    if (failed) $("error-help").textContent += " " + violationText(v);
    flushViolations();
  });
  // The app asks for a file (exercises, or a scenario to import); its text comes back as a command.
  function pickFile(command, accept) {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = accept;
    input.style.display = "none";
    input.addEventListener("change", async () => {
      const file = input.files && input.files[0];
      input.remove();
      if (!file) return;
      if (file.size > MAX_FILE_BYTES) {
        api.command({ cmd: "app.notice", error: true,
                      text: file.name + " is " + (file.size / 1048576).toFixed(1) + " MB; the app reads files of at most 1 MB." });
        return;
      }
      let text;
      try { text = await file.text(); } catch (e) {
        api.command({ cmd: "app.notice", error: true, text: file.name + " could not be read: " + e.message });
        return;
      }
      api.command({ cmd: command, text, name: file.name });
    });
    document.body.appendChild(input);
    input.click();
  }

  // --- The training engines: Web Workers (attnlab-worker.js) ------------------
  // Runs A and B train at once, each in a worker of its own, and a Memory-lab
  // sweep spreads its points over a pool sized from navigator.hardwareConcurrency,
  // keeping one core for this page (src/core/lab/session.h). One core: one
  // worker. ?engines=N (1 to 4) sets the count, for tests and benchmarks.
  // Every command from the app goes to every engine and engine 0 answers;
  // snapshots from each go to the app; messages between engines pass through here.
  const MAX_ENGINES = 4;
  const cores = Math.max(1, Number(navigator.hardwareConcurrency) || 1);
  const askedEngines = Number(new URLSearchParams(location.search).get("engines"));
  const engineCount = Number.isInteger(askedEngines) && askedEngines >= 1 && askedEngines <= MAX_ENGINES
    ? askedEngines : cores >= 2 ? Math.max(2, Math.min(cores - 1, MAX_ENGINES)) : 1;
  const jobEngines = askedEngines === engineCount ? engineCount : Math.max(1, Math.min(cores - 1, engineCount));
  // Which build trains: "fused" (relaxed SIMD's fused multiply-add, about a fifth faster) where
  // the browser computes it fused, else "plain". ?engine=plain forces the plain one, for tests
  // and benchmarks. The two give slightly different numbers (one rounding or two per multiply-add).
  let engineBuild = "plain";
  const workers = [];
  let workersReady = 0, allReady = false;
  const snapshotStats = { count: 0, totalMs: 0, maxMs: 0 };
  const pendingCommands = [];
  let nextCommandId = 1;
  function postToWorker(json) {
    const msg = { type: "command", id: nextCommandId++, cmd: JSON.parse(json) };
    if (allReady) for (const w of workers) w.postMessage(msg);
    else pendingCommands.push(msg);
  }
  function workerFailed(message) {
    console.warn("Attention Lab: " + message);
    if (module) module.callWithText("attnlab_lab_failed", null, message);
    workerSettled = true;
    maybeReady();
  }
  function takeSnapshot(msg) {
    const t0 = performance.now();
    for (const [name, data] of Object.entries(msg.arrays)) {
      const bytes = data.length * 4;
      const ptr = module._malloc(Math.max(bytes, 4));
      module.HEAPF32.set(data, ptr >> 2);
      module.ccall("attnlab_lab_array", null, ["string", "number", "number"], [name, ptr, data.length]);
      module._free(ptr);
    }
    module.callWithText("attnlab_lab_snapshot", null, msg.json);
    // Main-thread time spent taking in snapshots (outside the frame timer), for the benchmarks.
    const ms = performance.now() - t0;
    snapshotStats.count++; snapshotStats.totalMs += ms; snapshotStats.maxMs = Math.max(snapshotStats.maxMs, ms);
  }
  function startWorkers() {
    engineBuild = new URLSearchParams(location.search).get("engine") !== "plain" && fusedMultiplyAdd() ? "fused" : "plain";
    for (let k = 0; k < engineCount; ++k) {
      let worker;
      try {
        worker = new Worker(engineBuild === "fused" ? "attnlab-worker.js?engine=fused" : "attnlab-worker.js");
      } catch (e) {
        workerFailed("the training engine (a Web Worker) could not be started: " + e.message);
        return;
      }
      workers.push(worker);
      worker.onerror = (e) => workerFailed("the training engine failed to load: " + (e.message || "unknown error"));
      worker.onmessage = (event) => {
        const msg = event.data;
        if (msg.type === "ready") {
          // Slices back to back where the busy workers leave this page a core (a job's pool always does;
          // runs A and B, on two workers, not on 2 cores), else with a yield (attnlab-worker.js).
          worker.postMessage({ type: "pace", runs: Math.min(2, engineCount) < cores, jobs: jobEngines < cores });
          if (engineCount > 1)
            worker.postMessage({ type: "command", id: 0, quiet: true,
                                 cmd: { cmd: "shard", index: k, count: engineCount, job_count: jobEngines } });
          if (++workersReady < engineCount) return;
          allReady = true;
          for (const m of pendingCommands.splice(0)) for (const w of workers) w.postMessage(m);
          module._attnlab_lab_ready();
          workerSettled = true;
          maybeReady();
        } else if (msg.type === "reply") {
          if (k === 0) module.callWithText("attnlab_lab_reply", null, JSON.stringify(msg.reply));
        } else if (msg.type === "snapshot") {
          takeSnapshot(msg);
        } else if (msg.type === "shard") {
          for (const [to, cmd] of msg.messages)
            if (workers[to]) workers[to].postMessage({ type: "command", id: 0, quiet: true, cmd });
        } else if (msg.type === "error") {
          workerFailed(msg.message);
        }
      };
    }
  }

  function progress(fraction, message) {
    if (fraction === null) fill.classList.add("indeterminate");
    else { fill.classList.remove("indeterminate"); fill.style.width = (100 * fraction).toFixed(1) + "%"; }
    text.textContent = message;
  }

  function fail(title, message, help) {
    if (failed) return;
    failed = true;
    $("progress").hidden = true;
    $("error").hidden = false;
    $("error-title").textContent = title;
    $("error-text").textContent = message;
    $("error-help").textContent = [help || "", ...violations.map(violationText)].join(" ").trim();
    overlay.classList.remove("hidden");
    $("canvas").style.visibility = "hidden";
    rejectReady(new Error(title + ": " + message));
  }

  // --- 1. What the browser must have -----------------------------------------
  // A minimal module whose one function returns a v128 constant: it only
  // validates where WebAssembly SIMD (128-bit) is supported.
  const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
    10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]);
  // relaxed SIMD's f32x4.relaxed_madd on a * a - (1 + 2^-11), a = 1 + 2^-12: 2^-24 where it
  // rounds once (fused), 0 where it rounds twice. The fused engine is loaded only where it
  // is fused, so its results are the same on every machine that loads it.
  const FUSED_PROBE = (() => {
    const f32x4 = (x) => { const b = new Uint8Array(16), v = new DataView(b.buffer);
                           for (let i = 0; i < 4; ++i) v.setFloat32(4 * i, x, true); return [...b]; };
    const a = f32x4(1 + 2 ** -12), c = f32x4(-(1 + 2 ** -11));
    const body = [0, 253, 12, ...a, 253, 12, ...a, 253, 12, ...c, 253, 0x85, 0x02,  // relaxed_madd
                  253, 31, 0, 0x43, 0, 0, 0, 0, 0x5c, 11];                         // lane 0 != 0.0
    return new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0,
                           10, body.length + 2, 1, body.length, ...body]);
  })();
  function fusedMultiplyAdd() {
    try { return new WebAssembly.Instance(new WebAssembly.Module(FUSED_PROBE)).exports.f() === 1; }
    catch (e) { return false; }
  }
  const UPDATE_HELP = "Use a current Chrome, Edge or Firefox (2021 or later) or Safari 16.4 or later.";

  function checkBrowser() {
    if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") {
      fail("WebAssembly is not available", "This browser cannot run WebAssembly, which the simulator is built with.",
           UPDATE_HELP + " If WebAssembly is switched off by a policy or an extension, switch it on for this page.");
      return false;
    }
    if (!WebAssembly.validate(SIMD_PROBE)) {
      fail("WebAssembly SIMD is not available",
           "This browser runs WebAssembly but not its SIMD instructions, which the simulator needs to train a model at interactive speed.",
           UPDATE_HELP);
      return false;
    }
    let gl = null;
    try { gl = document.createElement("canvas").getContext("webgl2"); } catch (e) { gl = null; }
    if (!gl) {
      fail("WebGL2 is not available",
           "The simulator draws with WebGL2, and this browser did not provide it.",
           "Check that hardware acceleration is switched on in the browser settings, update the graphics driver, or try another browser. " + UPDATE_HELP);
      return false;
    }
    const lose = gl.getExtension("WEBGL_lose_context");
    if (lose) lose.loseContext();
    return true;
  }

  // --- 2. Download, compile, start --------------------------------------------
  async function fetchWithProgress(url) {
    let response;
    try { response = await fetch(url); }
    catch (e) { throw new Error("The download of " + url + " failed (" + e.message + "). Check the connection and reload."); }
    if (!response.ok) throw new Error("The server answered " + response.status + " " + response.statusText + " for " + url + ".");
    const total = Number(response.headers.get("Content-Length")) || 0;
    if (!response.body || !response.body.getReader) return new Uint8Array(await response.arrayBuffer());
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      const mb = (received / 1048576).toFixed(1);
      if (total) progress(Math.min(received / total, 1) * 0.9, "Downloading the simulator… " + mb + " of " + (total / 1048576).toFixed(1) + " MB");
      else progress(null, "Downloading the simulator… " + mb + " MB");
    }
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const c of chunks) { bytes.set(c, offset); offset += c.length; }
    return bytes;
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error("Could not load " + src + " from the server."));
      document.body.appendChild(s);
    });
  }

  async function start() {
    if (!checkBrowser()) return;
    progress(0, "Downloading the simulator…");
    try {
      await loadScript("attnlab.js");
    } catch (e) {
      fail("The simulator could not be loaded", e.message, "Reload the page. If you host the app, check that attnlab.js sits next to index.html.");
      return;
    }
    const canvas = $("canvas");
    canvas.addEventListener("webglcontextlost", (e) => {
      e.preventDefault();
      fail("The graphics context was lost", "The browser took WebGL away from the page (often after a driver reset or with too many tabs open).", "Reload the page.");
    });
    const config = {
      canvas,
      instantiateWasm(imports, success) {
        fetchWithProgress("attnlab.wasm")
          .then((bytes) => { progress(null, "Compiling the simulator…"); return WebAssembly.instantiate(bytes, imports); })
          .then((result) => { progress(0.97, "Starting…"); success(result.instance, result.module); })
          .catch((e) => fail("The simulator could not be loaded", e.message,
                             "Reload the page. If this keeps happening, the browser may lack a WebAssembly feature the app needs. " + UPDATE_HELP));
        return {};  // asynchronous instantiation
      },
      print: (t) => console.log(t),
      printErr: (t) => console.warn(t),
      onAbort: (what) => fail("The simulator stopped", String(what), "Reload the page. Please report this with the steps that led to it."),
      onAttnlabReady: () => {
        progress(1, "Ready");
        overlay.classList.add("hidden");
        setTimeout(() => { overlay.hidden = true; }, 300);
        canvas.focus();
        frameReady = true;
        maybeReady();
      },
      attnlabPostCommand: (json) => postToWorker(json),
      attnlabPickFile: (command, accept) => pickFile(command, accept),
    };
    try {
      module = await createAttnLab(config);
      stateFn = module.cwrap("attnlab_state", "string", []);
      // Every long string goes through the heap (src/js/text_argument.js), not ccall's copy on the stack.
      commandFn = (json) => module.callWithText("attnlab_command", "string", json);
      startWorkers();
    } catch (e) {
      fail("The simulator could not start", (e && e.message) || String(e), "Reload the page.");
    }
  }

  window.addEventListener("error", (e) => {
    if (!failed && module === null) fail("The simulator could not start", e.message || "a script error", "Reload the page.");
  });

  // --- 3. The API --------------------------------------------------------------
  function requireModule() {
    if (!stateFn) throw new Error("Attention Lab is not ready yet: await attnlab.ready first.");
  }
  const api = {
    ready,
    version: "0.1.0",
    state() { requireModule(); return JSON.parse(stateFn()); },
    command(cmd) { requireModule(); return JSON.parse(commandFn(JSON.stringify(cmd))); },
    selectView(view) { return api.command({ cmd: "view.select", view }); },
    // The Training lab. Commands reach the engine asynchronously: poll state()
    // (or use waitFor) to see their effect.
    training: {
      load(preset) { return api.command(typeof preset === "string" ? { cmd: "training.load", preset } : { cmd: "training.load", scenario: preset }); },
      play() { return api.command({ cmd: "training.play" }); },
      pause() { return api.command({ cmd: "training.pause" }); },
      step(n = 1) { return api.command({ cmd: "training.step", n }); },
      reset() { return api.command({ cmd: "training.reset" }); },
      speed(stepsPerSecond) { return api.command({ cmd: "training.speed", steps_per_second: stepsPerSecond }); },
      view(layer, head, query) { return api.command({ cmd: "training.view", layer, head, query }); },
      apply(changes, target = "both") { return api.command({ cmd: "training.apply", changes, target }); },
    },
    // Resolves when predicate(state()) holds, rejects after timeoutMs.
    waitFor(predicate, timeoutMs = 30000) {
      const start = performance.now();
      return new Promise((resolve, reject) => {
        const poll = () => {
          let s;
          try { s = api.state(); } catch (e) { reject(e); return; }
          if (predicate(s)) resolve(s);
          else if (performance.now() - start > timeoutMs) reject(new Error("attnlab.waitFor: timed out"));
          else setTimeout(poll, 50);
        };
        poll();
      });
    },
    sandbox: {
      set(fields) { return api.command(Object.assign({ cmd: "sandbox.set" }, fields)); },
      reset() { return api.command({ cmd: "sandbox.reset" }); },
    },
    exercises: {
      open(id) { return api.command({ cmd: "exercises.open", id }); },
      answer(id, answer) { return api.command({ cmd: "exercises.answer", id, answer }); },
      run(id) { return api.command({ cmd: "exercises.run", id }); },
      load(text, name = "exercise file") { return api.command({ cmd: "exercises.load_text", text, name }); },
      resetProgress() { return api.command({ cmd: "exercises.reset_progress" }); },
    },
    // What the Content-Security-Policy blocked since the page opened: [{directive, blockedURI, source}].
    cspViolations() { return violations.map((v) => Object.assign({}, v)); },
    // Main-thread cost of taking in the engine's snapshots: {count, totalMs, maxMs}.
    snapshotStats() { return Object.assign({}, snapshotStats); },
    // The training engines' build: "fused" or "plain" (see startWorkers); state().lab.arithmetic names it too.
    engineBuild() { return engineBuild; },
    share() { return api.command({ cmd: "app.share" }); },
    presenter(on) { return api.command({ cmd: "app.presenter", on: !!on }); },
    exportFile(what) { return api.command({ cmd: "app.export", what }); },
  };
  window.attnlab = api;
  start();
})();
