// Lets a hosted copy of the page read ?exercises= files from other origins.
//   node tools/exercise-origins.mjs SITE_DIR [ORIGIN ...]
// SITE_DIR is the static folder (tools/dist's build/dist/attention-lab, or a
// copy on the course's host). Writes SITE_DIR/exercise-origins.json (the list
// the page checks before any request) and puts the same origins in connect-src
// of the Content-Security-Policy in SITE_DIR/index.html (the list the browser
// enforces). With no ORIGIN, both go back to "this page's own origin only".
// An ORIGIN is a scheme, host and optional port: https://files.course.example
import fs from "node:fs";
import path from "node:path";

function die(message) {
  console.error("exercise-origins: " + message);
  process.exit(2);
}

const [dir, ...given] = process.argv.slice(2);
if (!dir || dir.startsWith("-"))
  die("usage: node tools/exercise-origins.mjs SITE_DIR [ORIGIN ...]   (e.g. https://files.course.example)");
const htmlFile = path.join(dir, "index.html");
if (!fs.existsSync(htmlFile)) die(htmlFile + " does not exist: SITE_DIR must be the folder that holds the page");

// The same rule as the page's (web/attnlab-loader.js, originProblem).
const origins = [];
for (const entry of given) {
  let u;
  try { u = new URL(entry); } catch { die(JSON.stringify(entry) + " is not an address such as https://files.course.example"); }
  if (u.protocol !== "https:" && u.protocol !== "http:") die(JSON.stringify(entry) + " must start with https:// (or http://)");
  if (u.origin !== entry.replace(/\/$/, ""))
    die(JSON.stringify(entry) + " must be an origin alone (scheme, host, port), without a path, query or user name");
  if (!origins.includes(u.origin)) origins.push(u.origin);
}

const html = fs.readFileSync(htmlFile, "utf8");
const meta = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;
const found = html.match(meta);
if (!found) die(htmlFile + " has no <meta http-equiv=\"Content-Security-Policy\" content=\"...\">");
const directives = found[2].split(";").map((d) => d.trim()).filter(Boolean);
const at = directives.findIndex((d) => /^connect-src(\s|$)/i.test(d));
if (at < 0) die(htmlFile + ": its Content-Security-Policy has no connect-src directive to extend");
directives[at] = ["connect-src", "'self'", ...origins].join(" ");
const policy = directives.join("; ");

fs.writeFileSync(htmlFile, html.replace(meta, (_, open, __, close) => open + policy + close));
fs.writeFileSync(path.join(dir, "exercise-origins.json"), JSON.stringify({ origins }, null, 2) + "\n");
console.log(origins.length
  ? `exercise-origins: ${dir} may read exercise files from its own origin and ${origins.join(", ")}`
  : `exercise-origins: ${dir} reads exercise files from its own origin only`);
console.log(`  connect-src in ${htmlFile}: ${directives[at]}`);
