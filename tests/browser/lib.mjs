// Shared by the browser tests: Debian's Chromium driven by playwright-core (no browser
// download), a page that records console errors and CSP violations, axe-core, and the form's
// inputs. VOUCH_URL names the running server (.ci/run starts it).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const BASE = (process.env.VOUCH_URL || "http://127.0.0.1:8080").replace(/\/$/, "");

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}

// A fresh context and page. `problems` collects console errors, uncaught errors and CSP
// violations; every test ends by asserting it is empty.
export async function open(browser, { js = true, width = 1024, height = 900, scheme = "light" } = {}) {
  const context = await browser.newContext({
    javaScriptEnabled: js,
    viewport: { width, height },
    colorScheme: scheme,
    reducedMotion: "reduce",
  });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  // Runs outside the page's CSP (DevTools protocol), so it can report the page's violations.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { context, page, problems };
}

export const BAD = {
  firstName: "Jane", lastName: "Doe", email: "jane.doe@gmial.com", phoneNumber: "303 442 246",
  address: "1600 Huron Pkwy", city: "Detroit", state: "MI", zip: "12345",
};

export const GOOD = {
  firstName: "Jane", lastName: "Doe", email: "jane.doe@example.com", phoneNumber: "(202) 456-1111",
  address: "2600 Pearl St", city: "Boulder", state: "CO", zip: "80302",
};

// Types the values as a person would, field by field (state picked from its list).
export async function fill(page, values) {
  for (const [name, value] of Object.entries(values)) {
    if (name === "state") await page.selectOption(`#${name}`, value);
    else await page.fill(`#${name}`, value);
  }
}

// Submits with the main button and waits for the next page.
export async function submit(page) {
  await Promise.all([page.waitForNavigation(), page.click("[data-submit]")]);
}

export async function text(page, selector) {
  const nodes = await page.locator(selector).allTextContents();
  return nodes.map((t) => t.replace(/\s+/g, " ").trim());
}

// axe-core's WCAG 2.x A/AA rules on the page as it is; the serious and critical violations.
export async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
  }));
  const severe = result.violations.filter((v) => ["serious", "critical"].includes(v.impact));
  return {
    severe: severe.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    counts: { violations: result.violations.length, serious: severe.length, passes: result.passes.length },
  };
}

// No sideways scrolling: the page is no wider than the viewport.
export async function assertNoSidewaysScroll(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what}: page is ${scroll} px wide in a ${client} px viewport`);
}
