#!/usr/bin/env node
// Copy the pinned front-end files from node_modules into the repository (run by `make vendor`
// after `npm ci --ignore-scripts`). The copies are committed, so neither the site nor the tests
// ever need npm or node_modules. No dependencies: Node's standard library only.
//
//   htmx.org  -> static/vendor/htmx/htmx.min.js      (served to browsers by Django/WhiteNoise)
//   altcha    -> static/vendor/altcha/               (the ALTCHA proof-of-work widget on /lapor/)
//   axe-core  -> tests/e2e/vendor/axe.min.js         (injected by the browser tests only; never served)
//
// Each destination folder gets the package's licence file(s) and a README.md naming package,
// version and licence. The output is deterministic (no dates), so re-running it changes nothing
// unless package.json / package-lock.json changed.

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pinned = { ...rootPackage.dependencies, ...rootPackage.devDependencies };

const vendored = [
  {
    name: "htmx.org",
    dest: "static/vendor",
    purpose: "Served to browsers as `{% static 'vendor/htmx/htmx.min.js' %}` (same origin, so the CSP `script-src 'self'` allows it).",
    files: [
      ["dist/htmx.min.js", "htmx/htmx.min.js"],
      ["LICENSE", "htmx/LICENSE"],
    ],
  },
  {
    // The "external" build: unlike the default bundle it neither injects a <style> element nor
    // creates its workers from blob: URLs, both of which the site's CSP (style-src 'self'; no
    // worker-src, so script-src 'self' applies to workers) forbids. The stylesheet and the workers are
    // served as our own static files instead; static/js/altcha-setup.js registers the workers.
    name: "altcha",
    dest: "static/vendor",
    purpose:
      "The proof-of-work widget on the public report form (/lapor/): `altcha.min.js` (ES module) and " +
      "`altcha.css` from the CSP-friendly `dist/external` build, the classic (non-module) workers " +
      "`workers/sha.js` (SHA-*) and `workers/pbkdf2.js` (PBKDF2/*) registered by `static/js/altcha-setup.js`, and the Indonesian strings `i18n/id.js` (ES module).",
    files: [
      ["dist/external/altcha.min.js", "altcha/altcha.min.js"],
      ["dist/external/altcha.css", "altcha/altcha.css"],
      ["dist/workers/sha.js", "altcha/workers/sha.js"],
      ["dist/workers/pbkdf2.js", "altcha/workers/pbkdf2.js"],
      ["dist/i18n/id.js", "altcha/i18n/id.js"],
      ["LICENSE.txt", "altcha/LICENSE.txt"],
    ],
  },
  {
    name: "axe-core",
    dest: "tests/e2e/vendor",
    purpose: "Injected into pages by the browser tests (tests/e2e/conftest.py) to check accessibility. Never served by the site.",
    files: [
      ["axe.min.js", "axe.min.js"],
      ["LICENSE", "LICENSE"],
      ["LICENSE-3RD-PARTY.txt", "LICENSE-3RD-PARTY.txt"],
    ],
  },
];

function fail(message) {
  console.error(`vendor.mjs: ${message}`);
  process.exit(1);
}

const readmes = new Map(); // destination folder -> README sections

for (const pkg of vendored) {
  const pkgDir = join(root, "node_modules", pkg.name);
  const manifestPath = join(pkgDir, "package.json");
  if (!existsSync(manifestPath)) fail(`${pkg.name} is not installed: run \`npm ci --ignore-scripts\` first.`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const wanted = pinned[pkg.name];
  if (!wanted) fail(`${pkg.name} is not listed in package.json.`);
  if (wanted !== manifest.version) {
    fail(`package.json pins ${pkg.name} ${wanted} but node_modules has ${manifest.version}: run \`npm ci --ignore-scripts\`.`);
  }

  const copied = [];
  for (const [from, to] of pkg.files) {
    const source = join(pkgDir, from);
    const target = join(root, pkg.dest, to);
    if (!existsSync(source)) fail(`${pkg.name}@${manifest.version} has no ${from}.`);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
    copied.push(`- \`${to}\` ← \`node_modules/${pkg.name}/${from}\``);
    console.log(`${relative(root, source)} -> ${relative(root, target)}`);
  }

  const licences = pkg.files.filter(([from]) => /LICEN[CS]E/i.test(from)).length;
  const section = [
    `## ${pkg.name} ${manifest.version}`,
    "",
    `- Package: [${pkg.name}](https://www.npmjs.com/package/${pkg.name}/v/${manifest.version}) ${manifest.version}`,
    `- Licence: ${manifest.license} (see the LICENSE file${licences > 1 ? "s" : ""} next to it)`,
    `- Use: ${pkg.purpose}`,
    "",
    ...copied,
    "",
  ].join("\n");
  if (!readmes.has(pkg.dest)) readmes.set(pkg.dest, []);
  readmes.get(pkg.dest).push(section);
}

for (const [dest, sections] of readmes) {
  const header = [
    `# Vendored third-party files (${dest}/)`,
    "",
    "Do not edit these files by hand. They are copied from npm packages pinned (exact versions) in",
    "`package.json` / `package-lock.json` by `make vendor` (`npm ci --ignore-scripts` then",
    "`node scripts/vendor.mjs`). To upgrade: change the version in package.json, run",
    "`npm install --ignore-scripts`, then `make vendor`, and commit the result.",
    "",
  ].join("\n");
  writeFileSync(join(root, dest, "README.md"), `${header}\n${sections.join("\n")}`);
  console.log(`wrote ${dest}/README.md`);
}
