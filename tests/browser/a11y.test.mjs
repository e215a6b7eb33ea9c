// Accessibility: axe-core on each page in both colour schemes, no sideways scrolling at
// 320 px (and with text at 200 %), a legible chart on a phone, every control reached and
// visibly focused by keyboard.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BAD, BASE, GOOD, assertNoSidewaysScroll, axe, fill, launch, open, submit } from "./lib.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Each page the issue names, reached as a person would reach it.
const PAGES = {
  "empty form": async (page) => page.goto(`${BASE}/`),
  "error page": async (page) => {
    await page.goto(`${BASE}/async`);
    await fill(page, BAD);
    await submit(page);
  },
  "success page": async (page) => {
    await page.goto(`${BASE}/async`);
    await fill(page, GOOD);
    await submit(page);
  },
  "/compare": async (page) => {
    await page.goto(`${BASE}/compare`);
    await submit(page);
  },
  "/docs": async (page) => page.goto(`${BASE}/docs`),
};

for (const scheme of ["light", "dark"]) {
  for (const [name, reach] of Object.entries(PAGES)) {
    test(`axe finds no serious or critical violation: ${name}, ${scheme}`, async () => {
      const { page, problems } = await open(browser, { scheme });
      await reach(page);
      const { severe, counts } = await axe(page);
      console.log(`axe ${JSON.stringify({ page: name, scheme, ...counts })}`);
      assert.deepEqual(severe, []);
      assert.deepEqual(problems, []);
    });
  }
}

for (const [name, reach] of Object.entries(PAGES)) {
  test(`no sideways scrolling at 320 px: ${name}`, async () => {
    const { page, problems } = await open(browser, { width: 320, height: 640 });
    await reach(page);
    await assertNoSidewaysScroll(page, name);
    assert.deepEqual(problems, []);
  });
}

test("with text at 200 %, the error page and /compare still fit a 640 px window", async () => {
  for (const name of ["error page", "/compare"]) {
    const { page, problems } = await open(browser, { width: 640, height: 800 });
    await PAGES[name](page);
    await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
    await assertNoSidewaysScroll(page, `${name} at 200 %`);
    assert.deepEqual(problems, []);
  }
});

test("on a phone the chart's text stays legible", async () => {
  const { page, problems } = await open(browser, { width: 320, height: 640 });
  await PAGES["/compare"](page);
  assert.equal(await page.isVisible("svg.waterfall--wide"), false);
  assert.equal(await page.isVisible("svg.waterfall--narrow"), true);
  const smallest = await page.evaluate(() => Math.min(...Array.from(
    document.querySelectorAll("svg.waterfall--narrow text"),
    (t) => t.getBoundingClientRect().height)));
  // Rendered glyph boxes of 12 px text are about 14 px high.
  assert.ok(smallest >= 12, `smallest chart text box ${smallest} px`);
  assert.deepEqual(problems, []);
});

test("every control is reached by Tab and visibly focused", async () => {
  const { page, problems } = await open(browser);
  await PAGES["error page"](page);
  const controls = await page.evaluate(() => Array.from(
    document.querySelectorAll("a[href], button:not([tabindex='-1']), input, select, summary"),
  ).filter((el) => el.getClientRects().length > 0).length);
  const seen = new Set();
  for (let i = 0; i < controls + 5; i += 1) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      return {
        key: el.id || `${el.tagName}:${el.textContent.trim().slice(0, 30)}:${el.getAttribute("href")}`,
        marked: style.outlineStyle !== "none" || style.boxShadow !== "none",
        onScreen: rect.bottom > 0 && rect.top < window.innerHeight,
      };
    });
    if (!focus) continue;
    assert.ok(focus.marked, `${focus.key} shows no focus`);
    assert.ok(focus.onScreen, `${focus.key} is focused off screen`);
    seen.add(focus.key);
  }
  assert.ok(seen.size >= controls, `reached ${seen.size} of ${controls} controls`);
  assert.deepEqual(problems, []);
});
