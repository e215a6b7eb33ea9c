// The same flows with JavaScript off: everything is server-rendered, so everything still works.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BAD, BASE, GOOD, fill, launch, open, submit, text } from "./lib.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("without JavaScript: submit, see the errors, take the suggestion, fix, see success", async () => {
  const { page, problems } = await open(browser, { js: false });
  await page.goto(`${BASE}/async`);
  await fill(page, BAD);
  await submit(page);
  assert.deepEqual(await text(page, ".error-summary li"),
    ["Invalid email address", "Invalid phone number", "Invalid state", "Invalid zip"]);
  assert.equal(await page.evaluate(() => document.activeElement?.className), "error-summary",
    "autofocus moves focus without a script");
  assert.deepEqual(await text(page, "#phoneNumber-hint"), ["US numbers have 10 digits, like 303 442 2466."]);
  // The suggestion is a submit button carrying the fix; its "no" button needs the script.
  assert.equal(await page.isVisible("#email-suggestion [data-dismiss]"), false);
  await Promise.all([page.waitForNavigation(), page.click("#email-suggestion [data-accept]")]);
  assert.equal(await page.inputValue("#email"), "jane.doe@gmail.com");
  assert.equal(await page.locator("#email-suggestion").count(), 0);
  assert.deepEqual(await text(page, "#email-ok"), ["Checked"]);

  await fill(page, GOOD);
  await submit(page);
  assert.deepEqual(await text(page, ".success h2"), ["Everything checks out"]);
  assert.deepEqual(problems, []);
});

test("without JavaScript: Enter in a field sends the form as typed, not the suggestion", async () => {
  const { page, problems } = await open(browser, { js: false });
  await page.goto(`${BASE}/async`);
  await fill(page, { ...GOOD, email: "jane.doe@gmial.com" });
  await submit(page);
  await Promise.all([page.waitForNavigation(), page.press("#city", "Enter")]);
  assert.equal(await page.inputValue("#email"), "jane.doe@gmial.com");
  assert.deepEqual(problems, []);
});

test("without JavaScript: /compare runs both ways and shows both timings", async () => {
  const { page, problems } = await open(browser, { js: false });
  await page.goto(`${BASE}/compare`);
  await submit(page);
  const concurrent = Number((await text(page, "[data-total=concurrent]"))[0].match(/(\d+) ms/)[1]);
  const sequential = Number((await text(page, "[data-total=sequential]"))[0].match(/(\d+) ms/)[1]);
  assert.ok(sequential > concurrent, `${sequential} vs ${concurrent}`);
  assert.equal(await page.locator("svg.waterfall--wide rect.bar").count(), 6);
  assert.deepEqual(problems, []);
});
