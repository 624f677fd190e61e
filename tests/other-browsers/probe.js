// Loaded by the smoke suite's copy of index.html before the app's own scripts
// (smoke.mjs adds the <script> tag): it records every console.error, uncaught
// exception, unhandled promise rejection and failed resource load in
// window.attnlabSmokeErrors, so that an engine whose driver cannot read the
// console (WebKitWebDriver has no log access) is still checked for errors.
(function () {
  "use strict";
  const errors = [];
  window.attnlabSmokeErrors = errors;
  const text = (v) => (v && v.message) ? v.message : String(v);
  const consoleError = console.error;
  console.error = function (...args) {
    errors.push("console: " + args.map(text).join(" "));
    return consoleError.apply(this, args);
  };
  window.addEventListener("error", (e) => {
    if (e.target && e.target !== window && (e.target.src || e.target.href))
      errors.push("load failed: " + (e.target.src || e.target.href));
    else errors.push("page: " + (e.message || text(e.error)));
  }, true);
  window.addEventListener("unhandledrejection", (e) => errors.push("unhandled rejection: " + text(e.reason)));
})();
