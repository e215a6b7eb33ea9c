// Measures the time from leaving the email field to its state showing, as the page sees it
// (performance.now() at `focusout`, then at the moment the state is in the DOM), over 20
// different addresses so no answer can come from a cache. Prints each time and the median.
// Usage (vouch running): VOUCH_URL=… node tests/browser/measure.mjs [tries]
import { BASE, launch, open } from "./lib.mjs";

const tries = Number(process.argv[2] || 20);
const browser = await launch();
const { page, problems } = await open(browser);
const times = [];
for (let i = 0; i < tries; i += 1) {
  await page.goto(`${BASE}/`);
  await page.fill("#email", `jane.doe.${Date.now()}.${i}@example.com`);
  await page.evaluate(() => {
    const input = document.getElementById("email");
    const status = document.getElementById("email-status");
    globalThis.leftAt = null;
    globalThis.shownAt = null;
    input.addEventListener("focusout", () => { globalThis.leftAt = performance.now(); }, { once: true });
    new MutationObserver((_, observer) => {
      if (status.querySelector("#email-ok, #email-error, #email-note")) {
        globalThis.shownAt = performance.now();
        observer.disconnect();
      }
    }).observe(status, { childList: true });
  });
  await page.press("#email", "Tab");
  await page.waitForFunction(() => globalThis.shownAt !== null);
  times.push(await page.evaluate(() => globalThis.shownAt - globalThis.leftAt));
}
await browser.close();
const sorted = [...times].sort((a, b) => a - b);
const median = sorted.length % 2
  ? sorted[(sorted.length - 1) / 2]
  : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
console.log(JSON.stringify({
  tries, median_ms: Number(median.toFixed(1)), min_ms: Number(sorted[0].toFixed(1)),
  max_ms: Number(sorted[sorted.length - 1].toFixed(1)), times_ms: times.map((t) => Number(t.toFixed(1))),
  problems,
}));
