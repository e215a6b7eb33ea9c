// /compare: one submission both ways, both waterfalls on one axis, and the speed-up.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BASE, launch, open, submit, text } from "./lib.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("the form links to /compare, which reads both timings and the speed-up", async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${BASE}/`);
  await Promise.all([page.waitForNavigation(), page.click(".lede a[href='/compare']")]);
  assert.equal(new URL(page.url()).pathname, "/compare");
  await submit(page);
  const headline = (await text(page, ".speedup"))[0];
  const match = headline.match(/^concurrent (\d+) ms · sequential (\d+) ms · (\d+\.\d)×$/);
  assert.ok(match, headline);
  const [, concurrent, sequential, speedup] = match.map(Number);
  assert.ok(sequential > concurrent, headline);
  assert.ok(speedup > 1, headline);
  const lanes = await text(page, ".timing-table th[scope=rowgroup]");
  assert.deepEqual(lanes, [`sequential · ${sequential} ms`, `concurrent · ${concurrent} ms`]);
  assert.deepEqual(problems, []);
});
