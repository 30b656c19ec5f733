// Registers the proof-of-work workers for the ALTCHA widget on /lapor/. Progressive enhancement: the
// form works without it, and a report sent without a solution is only flagged for review.
//
// Loaded as a module after static/vendor/altcha/i18n/id.js (which creates the global `$altcha`
// registry) and before static/vendor/altcha/altcha.min.js, so the workers are known before the widget
// fetches its first challenge. The "external" build of the widget ships no workers of its own (the
// default build creates them from blob: URLs, which the CSP forbids); ours are same-origin static
// files and classic scripts (not ES modules), so `new Worker(url)` needs no {type: "module"}.
// Their URLs come from the page (rendered with {% static %}), so hashed file names in production work.
const widget = document.querySelector("altcha-widget");
const registry = globalThis.$altcha;

if (widget && registry && registry.algorithms) {
  const register = (url, algorithms) => {
    if (!url) {
      return;
    }
    const workerUrl = new URL(url, document.baseURI).href;
    const createWorker = () => new Worker(workerUrl);
    for (const algorithm of algorithms) {
      registry.algorithms.set(algorithm, createWorker);
    }
  };
  // The server picks the algorithm (perisai/reports/altcha_check.py, SHA-256 today); both families are
  // registered so switching between them there needs no change here.
  register(widget.dataset.shaWorker, ["SHA-256", "SHA-384", "SHA-512"]);
  register(widget.dataset.pbkdf2Worker, ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"]);
}
