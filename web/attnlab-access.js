// Attention Lab's accessible page: the approach of PhET's "parallel DOM".
//
// Beside the canvas, which a screen reader cannot read, this script keeps an
// HTML page of the current view: headings, real controls and the key
// readouts, a polite live region, and a table with a one-sentence summary for
// every plot and heatmap. It is visually hidden until one of its controls has
// the keyboard focus (web/attnlab.css).
//
// It holds no numbers of its own. Every control sends the same command as the
// ImGui control beside it, through attnlab.command (one command path); every
// value shown is read back from attnlab.state(), polled a few times a second.
(function () {
  "use strict";

  const api = window.attnlab;
  const root = document.getElementById("access");
  if (!api || !root) return;
  const viewsNav = document.getElementById("access-views");
  const viewSection = document.getElementById("access-view");
  const live = document.getElementById("access-live");

  const POLL_MS = 250;
  // While training, progress is announced at most this often: more would
  // talk over the student (results are announced as soon as they appear).
  const PROGRESS_EVERY_MS = 5000;

  // --- small DOM helpers --------------------------------------------------------
  function h(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "value") e.value = v;
      else if (k === "checked") e.checked = !!v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined && kid !== false)
      e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    return e;
  }
  // Formatting only: the values themselves are the core's.
  const num = (v, digits = 3) => (typeof v === "number" && Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : "not measured yet");
  const pct = (v) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? (100 * v).toFixed(1) + "%" : "not measured yet");
  const get = (o, path) => path.split(".").reduce((x, k) => (x === null || x === undefined ? undefined : x[k]), o);

  // --- commands: the one path into the app -------------------------------------------
  const errorsBox = h("p", { id: "access-errors", class: "access-errors" });
  function send(cmd) {
    const reply = api.command(cmd);
    errorsBox.textContent = reply.ok ? "" : "Refused: " + reply.errors.join("; ");
    if (!reply.ok) announce(errorsBox.textContent);
    poll();
    return reply;
  }

  // --- the live region ---------------------------------------------------------------
  let lastProgressAt = -Infinity;
  function announce(text) {
    // Cleared first, so that the same words said twice are read twice.
    live.textContent = "";
    setTimeout(() => { live.textContent = text; }, 50);
    lastProgressAt = performance.now();
  }
  function announceProgress(text) {
    if (!text || performance.now() - lastProgressAt < PROGRESS_EVERY_MS) return;
    announce(text);
  }

  // --- one view at a time: built when its structure changes, updated in place ---------
  let builtKey = null;
  let updaters = [];
  const bind = (fn) => { updaters.push(fn); return fn; };
  // A readout: a term and its value, updated from state.
  function readouts(items) {
    const dl = h("dl", { class: "access-readouts" });
    for (const [label, fn] of items) {
      const dd = h("dd", {});
      bind((s) => { dd.textContent = fn(s); });
      dl.append(h("dt", { text: label }), dd);
    }
    return dl;
  }
  // A data table behind a disclosure button ("show as a table"): rows() gives
  // arrays of cell texts, the first cell of each row being its header.
  let tableCount = 0;
  const openCaptions = new Set();  // the tables the student opened stay open when the view is rebuilt
  function dataTable(caption, headers, rows, summary) {
    const id = "access-table-" + (++tableCount);
    const body = h("tbody", {});
    const table = h("table", { id, hidden: !openCaptions.has(caption) },
      h("caption", { text: caption }),
      h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col", text: t })))),
      body);
    const button = h("button", { type: "button", "aria-expanded": String(!table.hidden), "aria-controls": id,
                                 id: id + "-toggle", text: "Show as a table: " + caption });
    button.addEventListener("click", () => {
      const open = table.hidden;
      table.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      if (open) openCaptions.add(caption); else openCaptions.delete(caption);
      if (open) poll();  // filled now, not at the next poll
    });
    const sum = h("p", { class: "access-summary" });
    let lastRows = "";
    bind((s) => {
      sum.textContent = summary(s);
      if (table.hidden) return;  // not read while closed
      const r = rows(s);
      const key = JSON.stringify(r);
      if (key === lastRows) return;
      lastRows = key;
      body.replaceChildren(...r.map((cells) => h("tr", {},
        h("th", { scope: "row", text: cells[0] }), cells.slice(1).map((c) => h("td", { text: c })))));
    });
    return h("div", { class: "access-plot" }, sum, button, table);
  }
  function select(id, label, options, current, onchange) {
    const sel = h("select", { id, onchange: () => onchange(sel.value) },
      options.map(([value, text]) => h("option", { value, text })));
    sel.value = current;
    return h("p", {}, h("label", { for: id, text: label + " " }), sel);
  }
  function button(id, text, onclick) {
    return h("button", { type: "button", id, text, onclick });
  }
  function numberInput(id, label, value, attrs, onchange) {
    const input = h("input", Object.assign({ id, type: "number", value: inputValue(value), onchange: () => onchange(Number(input.value)) }, attrs));
    return { input, row: h("p", {}, h("label", { for: id, text: label + " " }), input) };
  }
  // The core's float32 settings, without their binary tails (0.8999999761581421 shows as 0.9).
  const inputValue = (v) => (typeof v === "number" ? String(Number(v.toPrecision(6))) : String(v));
  // Keeps a control showing the state's value, unless the student is editing it.
  function follow(input, fn, prop = "value") {
    bind((s) => { if (document.activeElement !== input) input[prop] = prop === "value" ? inputValue(fn(s)) : fn(s); });
  }

  // --- the views ------------------------------------------------------------------------
  const runName = (r) => "run " + r.id.toUpperCase() + " (" + r.label + ")";
  function lessonText(lesson, none = "This scenario states no lesson.") {
    if (!lesson) return none;
    return (lesson.says ? "Lesson: " + lesson.says + ". " : "") + "Verdict: " + lesson.text;
  }
  function presetsOf(s, view) { return s.catalog.presets.filter((p) => p.view === view); }

  const views = {
    sandbox: {
      key: (s) => s.sandbox.logits.length + ":" + s.sandbox.globals.length,
      build(s) {
        const sb = s.sandbox;
        const temp = numberInput("acc-sb-temperature", "Temperature", sb.temperature,
          { min: 0.05, max: 20, step: 0.05 }, (v) => send({ cmd: "sandbox.set", temperature: v }));
        follow(temp.input, (s) => s.sandbox.temperature);
        const thr = numberInput("acc-sb-threshold", "Peak threshold", sb.peakThreshold,
          { min: 0.5, max: 0.999, step: 0.01 }, (v) => send({ cmd: "sandbox.set", peakThreshold: v }));
        follow(thr.input, (s) => s.sandbox.peakThreshold);
        const s1 = h("input", { id: "acc-sb-softmax1", type: "checkbox", checked: sb.softmax1,
                                onchange: () => send({ cmd: "sandbox.set", softmax1: s1.checked }) });
        follow(s1, (s) => s.sandbox.softmax1, "checked");
        const score = numberInput("acc-sb-gscore", "Score of a new global token", 0, { min: -20, max: 20, step: 0.1 }, () => {});
        const logits = sb.logits.map((v, i) => {
          const id = "acc-sb-logit-" + i;
          const input = h("input", { id, type: "range", min: -20, max: 20, step: 0.1, value: inputValue(v),
            oninput: () => {
              const all = api.state().sandbox.logits.slice();
              all[i] = Number(input.value);
              send({ cmd: "sandbox.set", logits: all });
            } });
          follow(input, (s) => s.sandbox.logits[i]);
          bind((s) => input.setAttribute("aria-valuetext", num(s.sandbox.logits[i]) + ", weight " + pct(s.sandbox.weights[i])));
          return h("p", {}, h("label", { for: id, text: "Logit of key k" + (i + 1) + " " }), input);
        });
        const m = (k) => (s) => s.sandbox.measures[k];
        return [
          h("h3", { text: "Settings" }),
          temp.row, thr.row,
          h("p", {}, s1, h("label", { for: "acc-sb-softmax1", text: " softmax1 (a zero-logit key every query sees)" })),
          h("h3", { text: "Global tokens" }),
          readouts([["Global tokens", (s) => String(s.sandbox.globals.length) + (s.sandbox.globals.length ? " (scores " + s.sandbox.globals.map((g) => num(g)).join(", ") + ")" : "")]]),
          score.row,
          h("p", {},
            button("acc-sb-add-global", "Add a global token", () => send({ cmd: "sandbox.set", globals: api.state().sandbox.globals.concat([Number(score.input.value)]) })), " ",
            button("acc-sb-remove-global", "Remove a global token", () => send({ cmd: "sandbox.set", globals: api.state().sandbox.globals.slice(0, -1) }))),
          h("h3", { text: "Measures" }),
          readouts([
            ["Row entropy", (s) => num(m("entropy")(s)) + " nats (" + num(m("entropyNormalized")(s)) + " of its maximum)"],
            ["Peak weight", (s) => num(m("peak")(s)) + " on " + keyName(s.sandbox, m("peakIndex")(s)) + (m("peaky")(s) ? ", peaky" : ", not peaky")],
            ["Mass on global tokens", (s) => pct(m("globalMass")(s))],
            ["Mass taken by softmax1's zero key", (s) => pct(m("nullMass")(s))],
            ["Without the global tokens", (s) => "entropy " + num(s.sandbox.withoutGlobals.entropy) + " nats, peak " + num(s.sandbox.withoutGlobals.peak)],
          ]),
          h("h3", { text: "Logits" }),
          h("fieldset", {}, h("legend", { text: "The ordinary keys' logits" }), logits),
          h("h3", { text: "Weights chart" }),
          dataTable("Attention weights", ["Key", "Logit", "Weight"],
            (s) => s.sandbox.weights.map((w, i) => [keyName(s.sandbox, i),
              num(i < s.sandbox.logits.length ? s.sandbox.logits[i] : s.sandbox.globals[i - s.sandbox.logits.length]), num(w)]),
            (s) => "The query puts " + pct(m("peak")(s)) + " of its weight on " + keyName(s.sandbox, m("peakIndex")(s)) +
                   " and " + pct(m("globalMass")(s)) + " on global tokens; its entropy is " + num(m("entropyNormalized")(s)) + " of the maximum."),
        ];
      },
    },

    patterns: {
      key: () => "patterns",
      build(s) {
        const fields = [["n", "Tokens n", 16, 8192], ["window", "Window half-width w (-1: full attention)", -1, 8192],
                        ["globals", "Global tokens g", 0, 64], ["sinks", "Sink tokens", 0, 64],
                        ["registers", "Register tokens", 0, 64], ["layers", "Layers", 1, 8], ["source", "Source token", 0, 8191]];
        const inputs = fields.map(([f, label, min, max]) => {
          const c = numberInput("acc-pt-" + f, label, s.patterns.settings[f], { min, max, step: 1 },
                                (v) => send({ cmd: "patterns.set", [f]: v }));
          follow(c.input, (s) => s.patterns.settings[f]);
          return c.row;
        });
        const causal = h("input", { id: "acc-pt-causal", type: "checkbox", checked: s.patterns.settings.causal,
                                    onchange: () => send({ cmd: "patterns.set", causal: causal.checked }) });
        follow(causal, (s) => s.patterns.settings.causal, "checked");
        const p = (k) => (s) => s.patterns[k];
        return [
          h("h3", { text: "Pattern" }), inputs,
          h("p", {}, causal, h("label", { for: "acc-pt-causal", text: " Causal (a query sees only earlier keys)" })),
          button("acc-pt-reset", "Reset to defaults", () => send({ cmd: "patterns.reset" })),
          h("h3", { text: "Reach and cost" }),
          readouts([
            ["Positions", (s) => String(p("positions")(s))],
            ["Token 0 reaches the last token", (s) => p("firstToLastLayers")(s) >= 1e6 || p("firstToLastLayers")(s) < 0 ? "never" :
              "in " + p("firstToLastLayers")(s) + " layers" + (p("reachedWithin")(s) ? ", within the model's layers" : ", more than the model's layers")],
            ["Pairs scored per head", (s) => p("pairs")(s) + " of " + p("fullPairs")(s) + " for full attention (" + pct(p("pairsShare")(s)) + ")"],
            ["FLOPs per head", (s) => p("flops")(s) + " against " + p("fullFlops")(s) + " for full attention"],
          ]),
          h("h3", { text: "Attention mask" }),
          dataTable("Keys scored by some of the queries", ["Query", "Keys scored", "Which"],
            (s) => s.patterns.maskRows.map((r) => ["position " + r.query, String(r.keys),
              r.all ? "every key" : "positions " + r.from + " to " + r.to + (r.always ? ", and the " + r.always + " always-visible keys" : "")]),
            (s) => { const r = s.patterns.maskRows, last = r[r.length - 1];
                     return "The last query, at position " + last.query + ", scores " + last.keys + " of " + s.patterns.positions + " keys" +
                            (last.all ? "." : ": positions " + last.from + " to " + last.to + (last.always ? ", and the " + last.always + " always-visible keys." : ".")); }),
          h("h3", { text: "Receptive field" }),
          dataTable("Receptive field per layer", ["Layer", "Positions reached"],
            (s) => s.patterns.receptiveField.map((v, i) => ["after layer " + i, String(v)]),
            (s) => "After " + (s.patterns.receptiveField.length - 1) + " layers the source token's information reaches " +
                   s.patterns.receptiveField[s.patterns.receptiveField.length - 1] + " of " + s.patterns.positions + " positions."),
          h("h3", { text: "Cost against n" }),
          dataTable("Pairs scored against n", ["n", "Pairs scored", "Full attention"],
            (s) => s.patterns.curve.map((c) => [String(c.n), String(c.pairs), String(c.fullPairs)]),
            (s) => { const c = s.patterns.curve[s.patterns.curve.length - 1];
                     return "At n = " + c.n + " this pattern scores " + c.pairs + " pairs per head, full attention " + c.fullPairs + "."; }),
        ];
      },
    },

    training: {
      key: (s) => [s.training.preset, s.lab.runs.map((r) => r.id + r.label + (r.config && r.config.model.layers) + "x" + (r.config && r.config.model.heads)).join(",")].join("|"),
      build(s) {
        const t = s.training, runs = s.lab.runs;
        const presets = presetsOf(s, "training");
        const presetSel = select("acc-tr-preset", "Scenario", presets.map((p) => [p.id, p.title]),
                                 t.preset || presets[0].id, () => {});
        const summary = h("p", {});
        bind(() => { const p = presets.find((q) => q.id === presetSel.querySelector("select").value); summary.textContent = p ? p.summary : ""; });
        const play = button("acc-tr-play", "Play", () => send({ cmd: "training.toggle" }));
        bind((s) => { play.textContent = s.lab.playing ? "Pause" : "Play"; play.disabled = !s.lab.loaded; });
        const speedSel = select("acc-tr-speed", "Speed", t.speeds.map((sp) => [String(sp.steps_per_second), sp.label]),
                                String(t.speed), (v) => send({ cmd: "training.speed", steps_per_second: Number(v) }));
        follow(speedSel.querySelector("select"), (s) => String(s.training.speed));
        const parts = [
          h("h3", { text: "Scenario" }), presetSel, summary,
          button("acc-tr-load", "Load scenario", () => send({ cmd: "training.load", preset: presetSel.querySelector("select").value })),
        ];
        if (!runs.length) return parts.concat(h("p", { text: "Choose a scenario and load it to begin." }));
        const lesson = h("p", { id: "acc-tr-lesson" });
        bind((s) => { lesson.textContent = lessonText(s.lab.lesson); });
        const step = (n) => button("acc-tr-step" + (n > 1 ? n : ""), n > 1 ? "Step " + n : "Step", () => send({ cmd: "training.step", n }));
        parts.push(
          h("h3", { text: "Run" }),
          h("p", {}, play, " ", step(1), " ", step(10), " ", button("acc-tr-reset", "Reset", () => send({ cmd: "training.reset" }))),
          speedSel,
          h("h3", { text: "Lesson" }), lesson,
          h("h3", { text: "Measures" }), measuresTable(runs));
        // Which head the heatmaps show.
        const m = runs[0].config.model;
        const layerSel = select("acc-tr-layer", "Heatmap layer", range(m.layers).map((i) => [String(i), "layer " + i]),
                                String(t.view.layer), (v) => send({ cmd: "training.view", layer: Number(v), head: Number(headSel.querySelector("select").value) }));
        const headSel = select("acc-tr-head", "Heatmap head", range(m.heads).map((i) => [String(i), "head " + i]),
                               String(t.view.head), (v) => send({ cmd: "training.view", layer: Number(layerSel.querySelector("select").value), head: Number(v) }));
        follow(layerSel.querySelector("select"), (s) => String(s.training.view.layer));
        follow(headSel.querySelector("select"), (s) => String(s.training.view.head));
        parts.push(h("h3", { text: "Attention heatmaps" }), layerSel, headSel);
        runs.forEach((r, i) => parts.push(dataTable("Attention row of " + runName(r), ["Key", "Weight"],
          (s) => { const row = s.lab.runs[i].row; return row ? row.weights.map((w, k) => ["key " + k, w === null ? "not scored" : num(w)]) : []; },
          (s) => headSentence(s.lab.runs[i]))));
        // The whole heatmap, row by row, and the query-over-time strip, step by step: where each puts most weight.
        runs.forEach((r, i) => parts.push(dataTable("Heatmap of " + runName(r) + ", row by row", ["Query", "Key it weighs most", "Weight"],
          (s) => { const hm = s.lab.runs[i].heatmap_rows; return hm ? hm.rows.map((q) => ["query " + q.query,
                     q.peak_key === null ? "none scored" : "key " + q.peak_key, q.peak === null ? "" : num(q.peak)]) : []; },
          (s) => { const hm = s.lab.runs[i].heatmap_rows;
                   return !hm ? runName(s.lab.runs[i]) + ": no heatmap yet." :
                     runName(s.lab.runs[i]) + ", head " + hm.head + " of layer " + hm.layer + ": " + hm.rows.length + " rows" +
                     (hm.block > 1 ? " of " + hm.block + " queries each" : "") + "; the largest weight, " + num(hm.top) +
                     ", is query " + hm.top_query + "'s on key " + hm.top_key + "."; })));
        runs.forEach((r, i) => parts.push(dataTable("Query over time in " + runName(r), ["Step", "Key it weighs most", "Weight"],
          (s) => { const ot = s.lab.runs[i].rows_over_time; return ot ? ot.steps.map((t) => ["step " + t.step,
                     t.peak_key === null ? "none scored" : "key " + t.peak_key, t.peak === null ? "" : num(t.peak)]) : []; },
          (s) => { const ot = s.lab.runs[i].rows_over_time;
                   if (!ot) return runName(s.lab.runs[i]) + ": no query followed over time yet.";
                   const a = ot.steps[0], z = ot.steps[ot.steps.length - 1];
                   return runName(s.lab.runs[i]) + ", query " + ot.query + ": at step " + a.step + " its largest weight, " + num(a.peak) +
                          ", went to key " + a.peak_key + "; at step " + z.step + ", " + num(z.peak) + " to key " + z.peak_key + "."; })));
        parts.push(h("h3", { text: "Plots" }));
        runs.forEach((r, i) => parts.push(dataTable("Latest measurements of " + runName(r),
          ["Step", "Eval loss", "Accuracy", "Entropy / ln(keys)", "Peaky rows", "Jump rate", "Drift (bits)", "Sink mass", "Largest logit"],
          (s) => (s.lab.runs[i].curve || []).map((p) => [String(p.step), num(p.eval_loss), pct(p.accuracy), num(p.entropy_norm),
                                                         pct(p.peaky), pct(p.jump), num(p.drift), pct(p.special_mass), num(p.max_logit)]),
          (s) => curveSentence(s.lab.runs[i]))));
        parts.push(h("h3", { text: "Interventions" }), interventions(runs));
        return parts;
      },
    },

    memory: jobView("memory", "Sweep", [["Result", "key"], ["Global tokens g", "globals"], ["Facts K", "set_size"],
      ["Sequence length", "length"], ["Window ±", "window"], ["Accuracy", "final.accuracy"], ["Chance", "chance"],
      ["Pairs scored per head", "cost.pairs_per_head"],
      ["Pairs, full attention", "cost.pairs_full"], ["Local share at init", "initial.local_mass"],
      ["Local share trained", "final.local_mass"], ["Cosine at init", "initial.cosine"], ["Cosine trained", "final.cosine"]]),
    streaming: jobView("streaming", "Run", [["Result", "key"], ["Model", "variant"], ["Cache", "label"], ["Loss", "loss"],
      ["Perplexity", "perplexity"], ["Mass on the first token", "first_mass"]]),

    exercises: {
      key: (s) => s.exercises.open + "|" + s.exercises.exercises.length + "|" + (s.exercises.current ? s.exercises.current.kind : ""),
      build(s) {
        const ex = s.exercises, cur = ex.current;
        const parts = [
          select("acc-ex-open", "Exercise", ex.exercises.map((e) => [e.id, e.title]), ex.open,
                 (v) => send({ cmd: "exercises.open", id: v })),
          readouts([["Progress", (s) => s.exercises.correct + " of " + s.exercises.exercises.length + " answered correctly"]]),
        ];
        if (!cur) return parts;
        let answer;
        const form = h("form", { id: "acc-ex-form" });
        form.addEventListener("submit", (e) => { e.preventDefault(); const a = answer(); if (a !== null) send({ cmd: "exercises.answer", id: cur.id, answer: a }); });
        if (cur.kind === "choice") {
          const group = h("fieldset", { id: "acc-ex-choices" }, h("legend", { text: cur.question }),
            cur.choices.map((c, i) => h("p", {},
              h("input", { type: "radio", name: "acc-ex-choice", id: "acc-ex-choice-" + i, value: c.id }),
              h("label", { for: "acc-ex-choice-" + i, text: " " + c.text }))));
          answer = () => { const r = group.querySelector("input:checked"); return r ? r.value : null; };
          form.append(group);
        } else {
          form.append(h("p", { text: cur.question }));
          const input = h(cur.kind === "number" ? "input" : "textarea",
            Object.assign({ id: "acc-ex-answer" }, cur.kind === "number" ? { type: "number", step: "any" } : { rows: 3 }));
          answer = () => (input.value.trim() === "" ? null : input.value);
          form.append(h("p", {}, h("label", { for: "acc-ex-answer", text: "Your answer" + (cur.unit ? " (" + cur.unit + ") " : " ") }), input));
        }
        form.append(h("p", {}, h("button", { type: "submit", id: "acc-ex-check", text: "Check answer" })));
        const feedback = h("div", { id: "acc-ex-feedback" });
        bind((s) => {
          const f = s.exercises.feedback;
          const lines = f.shown ? [(f.valid ? (f.correct ? "Correct. " : "Not correct. ") : "") + f.text, f.explanation, f.measured, f.courseVsLab] : [];
          const key = lines.join("\n");
          if (feedback.dataset.key === key) return;
          feedback.dataset.key = key;
          feedback.replaceChildren(...lines.filter(Boolean).map((t) => h("p", { text: t })));
        });
        parts.push(h("h3", { text: cur.title }), form);
        if (cur.experiment) parts.push(h("p", {}, button("acc-ex-run", "Run the experiment", () => send({ cmd: "exercises.run", id: cur.id }))));
        parts.push(h("h3", { text: "Feedback" }), feedback);
        return parts;
      },
    },
  };

  function range(n) { return Array.from({ length: n }, (_, i) => i); }
  function keyName(sb, i) {
    if (i === undefined || i === null || i < 0) return "no key";
    // The canvas's names: k1, k2, ... and G1, G2, ...
    return i < sb.logits.length ? "key k" + (i + 1) : "global token G" + (i - sb.logits.length + 1);
  }
  function headSentence(r) {
    const sh = r.shown_head;
    if (!sh) return runName(r) + ": no measurement yet.";
    let text = runName(r) + ": head " + sh.head + " of layer " + sh.layer + " puts " + pct(sh.special_mass) +
               " of its weight on global, sink or register tokens; its rows' mean peak weight is " + num(sh.peak) + ".";
    if (r.row && r.row.peak_key >= 0)
      text += " Query " + r.row.query + (r.row.block > 1 ? " (a block of " + r.row.block + ")" : "") + " gives its largest weight, " +
              num(r.row.peak) + ", to key " + r.row.peak_key + ".";
    return text;
  }
  function curveSentence(r) {
    const c = r.curve;
    if (!c || !c.length) return runName(r) + ": no measurement yet.";
    const a = c[0], b = c[c.length - 1];
    return runName(r) + ": from step " + a.step + " to step " + b.step + ", accuracy went from " + pct(a.accuracy) + " to " +
           pct(b.accuracy) + " and the evaluation loss from " + num(a.eval_loss) + " to " + num(b.eval_loss) + ".";
  }
  function measuresTable(runs) {
    const rows = [
      ["Step", (r) => r.step + " of " + r.steps + (r.done ? ", done" : "")],
      ["Training loss", (r) => num(get(r, "latest.train_loss"))],
      ["Evaluation loss", (r) => num(get(r, "latest.eval_loss"))],
      ["Accuracy", (r) => pct(get(r, "latest.accuracy"))],
      ["Row entropy / ln(keys)", (r) => num(get(r, "latest.entropy_norm"))],
      ["Peaky rows", (r) => pct(get(r, "latest.peaky"))],
      ["Peak jump rate", (r) => pct(get(r, "latest.jump"))],
      ["Sink mass", (r) => pct(get(r, "latest.special_mass"))],
      ["Time left", (r) => (typeof r.seconds_left === "number" ? Math.round(r.seconds_left) + " s" : "not running")],
    ];
    const body = h("tbody", {}, rows.map(([label, fn]) => {
      const cells = runs.map((_, i) => { const td = h("td", {}); bind((s) => { const r = s.lab.runs[i]; td.textContent = r ? fn(r) : ""; }); return td; });
      return h("tr", {}, h("th", { scope: "row", text: label }), cells);
    }));
    return h("table", { id: "acc-tr-measures" }, h("caption", { text: "Measures of each run, at its last measurement" }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Measure" }), runs.map((r) => h("th", { scope: "col", text: runName(r) })))), body);
  }
  // The Training lab's interventions: the same fields and command as its "Apply now".
  function interventions(runs) {
    const m = runs[0].config.model, tr = runs[0].config.train;
    const g = numberInput("acc-tr-globals", "Global tokens", m.globals, { min: 0, max: 16, step: 1 }, () => {});
    const ls = numberInput("acc-tr-scale", "Logit scale", m.logit_scale, { min: 0.1, max: 16, step: 0.1 }, () => {});
    const cap = numberInput("acc-tr-softcap", "Soft-cap (0: off)", m.softcap, { min: 0, max: 50, step: 0.5 }, () => {});
    const lr = numberInput("acc-tr-lr", "Learning rate", tr.lr, { min: 0.0001, max: 0.03, step: 0.0001 }, () => {});
    const box = (id, label, on) => { const c = h("input", { id, type: "checkbox", checked: on }); return [c, h("p", {}, c, h("label", { for: id, text: " " + label }))]; };
    const [qk, qkRow] = box("acc-tr-qknorm", "QK-norm", m.qk_norm);
    const [s1, s1Row] = box("acc-tr-softmax1", "softmax1", m.softmax1);
    const [sl, slRow] = box("acc-tr-sinklogit", "sink logit", m.sink_logit);
    const targets = runs.length > 1 ? [["a", runs[0].label], ["b", runs[1].label], ["both", "both"]] : [["both", "the run"]];
    const group = h("fieldset", {}, h("legend", { text: "Apply to" }), targets.map(([v, label], i) => h("span", {},
      h("input", { type: "radio", name: "acc-tr-target", id: "acc-tr-target-" + v, value: v, checked: i === targets.length - 1 }),
      h("label", { for: "acc-tr-target-" + v, text: " " + label + " " }))));
    return h("div", {}, g.row, ls.row, cap.row, lr.row, qkRow, s1Row, slRow, group,
      button("acc-tr-apply", "Apply now", () => send({ cmd: "training.apply", target: group.querySelector("input:checked").value,
        changes: { model: { globals: Number(g.input.value), logit_scale: Number(ls.input.value), softcap: Number(cap.input.value),
                            qk_norm: qk.checked, softmax1: s1.checked, sink_logit: sl.checked }, train: { lr: Number(lr.input.value) } } })));
  }
  // The Memory and Streaming labs: start one of the view's presets, follow it, read its results.
  // columns: [header, path in a result], the fields the view's plots draw, the result's key first.
  // What a results summary quotes of each result: the measures the view's plots are about.
  const summaryFields = {
    memory: [["accuracy", "final.accuracy"], ["pairs per head", "cost.pairs_per_head"], ["local share", "final.local_mass"]],
    streaming: [["perplexity", "perplexity"], ["mass on the first token", "first_mass"]],
  };
  function jobView(view, noun, columns) {
    return {
      // Rebuilt when the first result brings the table's columns, not for every result.
      key: (s) => view + "|" + (s[view].results.length > 0) + "|" + s[view].shown,
      build(s) {
        const presets = presetsOf(s, view);
        const sel = select("acc-" + view + "-preset", noun, presets.map((p) => [p.id, p.title]), s[view].shown || presets[0].id, () => {});
        const summary = h("p", {});
        bind(() => { const p = presets.find((q) => q.id === sel.querySelector("select").value); summary.textContent = p ? p.summary : ""; });
        const start = button("acc-" + view + "-start", "Start", () => send({ cmd: view + ".start", preset: sel.querySelector("select").value }));
        const cancel = button("acc-" + view + "-cancel", "Cancel", () => send({ cmd: view + ".cancel" }));
        bind((s) => { start.disabled = s[view].running; cancel.disabled = !s[view].running; });
        const lesson = h("p", { id: "acc-" + view + "-lesson" });
        bind((s) => { lesson.textContent = lessonText(s[view].lesson, s[view].shown || s[view].running ? undefined : "Start a " + noun.toLowerCase() + " to see its lesson."); });
        const results = s[view].results || [];

        // A streaming run's loss along the stream, one column per bin of positions.
        const bins = results.length && Array.isArray(results[0].loss_by_bin) ? results[0].loss_by_bin.length : 0;
        const width = bins ? results[0].bin_width : 0;
        const byPosition = bins ? [h("h3", { text: "Loss along the stream" }),
          dataTable("Loss by position", ["Result"].concat(range(bins).map((b) => "positions " + b * width + "–" + ((b + 1) * width - 1))),
            (s) => s[view].results.filter((r) => Array.isArray(r.loss_by_bin)).map((r) => [r.key].concat(r.loss_by_bin.map((v) => num(v, 4)))),
            (s) => { const rs = s[view].results.filter((r) => Array.isArray(r.loss_by_bin) && r.loss_by_bin.length);
                     return rs.length + " results; in the last positions, " +
                            rs.map((r) => r.key + " " + num(r.loss_by_bin[r.loss_by_bin.length - 1], 4)).join(", ") + "."; })] : [];
        return [
          h("h3", { text: "Experiment" }), sel, summary, h("p", {}, start, " ", cancel),
          readouts([["Progress", (s) => s[view].running ? pct(s[view].progress) + " done" +
                     (typeof s[view].seconds_left === "number" ? ", about " + Math.round(s[view].seconds_left) + " s left" : "") :
                     s[view].results.length ? "finished" : "not started"]]),
          h("h3", { text: "Lesson" }), lesson,
          h("h3", { text: "Results" }),
          dataTable("Results of the " + noun.toLowerCase(), columns.map(([label]) => label),
            (s) => s[view].results.slice(0, 100).map((r) => columns.map(([, path]) => {
              const v = get(r, path);
              return typeof v === "number" ? num(v, 4) : v === undefined || v === null ? "not in this " + noun.toLowerCase() : String(v);
            })),
            (s) => s[view].results.length + " results" + (s[view].shown ? " of " + s[view].shown : "") +
                   (s[view].results.length ? ": " + s[view].results.slice(0, 100).map((r) => r.key + ", " +
                     summaryFields[view].filter(([, path]) => typeof get(r, path) === "number")
                       .map(([label, path]) => label + " " + num(get(r, path), 3)).join(", ")).join("; ") : "") + "."),
          byPosition,
        ];
      },
    };
  }

  // --- the view list and the polling loop ---------------------------------------------------
  function buildNav(s) {
    viewsNav.replaceChildren(h("ul", {}, s.catalog.views.map((v) => h("li", {},
      h("button", { type: "button", id: "acc-view-" + v.id, "data-view": v.id, text: v.title,
                    onclick: () => send({ cmd: "view.select", view: v.id }) })))));
  }
  // What the app's header offers on every view: presenter mode, a link to this scenario, the measurements as CSV.
  const appUpdaters = [];
  function buildAppPart() {
    const presenter = h("input", { id: "acc-app-presenter", type: "checkbox",
                                   onchange: () => send({ cmd: "app.presenter", on: presenter.checked }) });
    const link = h("p", { id: "acc-app-link" });
    appUpdaters.push((s) => {
      if (document.activeElement !== presenter) presenter.checked = s.presenter;
      link.textContent = s.share.url ? "Link to this scenario (also in the address bar and the clipboard): " + s.share.url : "";
    });
    root.append(h("section", { "aria-labelledby": "access-app-title" },
      h("h2", { id: "access-app-title", text: "Share and present" }),
      h("p", {}, presenter, h("label", { for: "acc-app-presenter", text: " Presenter mode (large type, high contrast)" })),
      h("p", {}, button("acc-app-share", "Share link", () => send({ cmd: "app.share" })), " ",
                 button("acc-app-csv", "Download the measurements (CSV)", () => send({ cmd: "app.export", what: "csv" }))),
      link));
  }

  let last = null;
  function render(s) {
    const v = views[s.view];
    const key = s.view + "#" + (v ? v.key(s) : "");
    if (key !== builtKey) {
      const focusedId = root.contains(document.activeElement) ? document.activeElement.id : "";
      builtKey = key;
      updaters = [];
      tableCount = 0;
      const title = s.catalog.views.find((x) => x.id === s.view);
      viewSection.replaceChildren(h("h2", { id: "access-view-title", text: title ? title.title : s.view }),
                                  errorsBox, ...(v ? v.build(s).flat(Infinity) : []));
      if (focusedId && !root.contains(document.activeElement)) { const f = document.getElementById(focusedId); if (f) f.focus(); }
    }
    for (const b of viewsNav.querySelectorAll("button")) {
      if (b.dataset.view === s.view) b.setAttribute("aria-current", "page"); else b.removeAttribute("aria-current");
    }
    for (const u of updaters) u(s);
    for (const u of appUpdaters) u(s);
  }

  // What the live region says: results when they appear (together, when
  // several come at once), progress now and then.
  function announcements(prev, s) {
    const results = [];
    if (prev && prev.view !== s.view) { const t = s.catalog.views.find((x) => x.id === s.view); results.push((t ? t.title : s.view) + " view."); }
    for (const view of ["memory", "streaming"])
      if (prev && prev[view].running && !s[view].running) results.push(view === "memory" ? "The sweep has finished." : "The streaming run has finished.");
    const verdict = (l) => (l && l.status !== "not yet" ? l.text : "");
    for (const [name, path] of [["Training lab", "lab.lesson"], ["Memory lab", "memory.lesson"], ["Streaming lab", "streaming.lesson"]]) {
      const now = verdict(get(s, path));
      if (now && (!prev || now !== verdict(get(prev, path)))) results.push(name + " verdict: " + now);
    }
    const f = s.exercises.feedback, pf = prev && prev.exercises.feedback;
    if (f.shown && (!pf || !pf.shown || pf.text !== f.text || pf.answer !== f.answer || pf.correct !== f.correct))
      results.push((f.valid ? (f.correct ? "Correct. " : "Not correct. ") : "") + f.text);
    if (prev && prev.lab.playing && !s.lab.playing) results.push("Training paused at step " + (s.lab.runs[0] ? s.lab.runs[0].step : 0) + ".");
    if (results.length) { announce(results.join(" ")); return; }
    if (s.lab.playing && s.lab.runs.length) {
      announceProgress("Training, step " + s.lab.runs[0].step + " of " + s.lab.runs[0].steps + ". " +
        s.lab.runs.map((r) => r.label + ": accuracy " + pct(get(r, "latest.accuracy"))).join(", ") + ".");
    }
    for (const view of ["memory", "streaming"])
      if (s[view].running) announceProgress((view === "memory" ? "Sweep " : "Streaming run ") + pct(s[view].progress) + " done.");
  }

  function poll() {
    if (document.hidden) return;  // a background tab: nothing to read, and the state's JSON costs the app's thread
    let s;
    try { s = api.state(); } catch (e) { return; }
    render(s);
    announcements(last, s);
    last = s;
  }

  // The system's reduced-motion preference goes to the app (the page's own
  // animations follow it in attnlab.css), now and whenever it changes.
  const lessMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  const tellMotion = () => api.command({ cmd: "app.motion", reduce: !!(lessMotion && lessMotion.matches) });

  api.ready.then(() => {
    // Sent at start only when it differs from the app's default (a command wakes the frame pacer for a second).
    if (lessMotion && lessMotion.matches) tellMotion();
    if (lessMotion) lessMotion.addEventListener("change", tellMotion);
    const s = api.state();
    buildNav(s);
    buildAppPart();
    root.hidden = false;
    last = s;
    render(s);
    setInterval(poll, POLL_MS);
  }, () => {});
})();
