// The sign-up form with JavaScript on: live checks as the person leaves each group, the typo
// suggestion, progress on the submit button, and the submit as the final word.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BAD, BASE, GOOD, fill, launch, open, submit, text } from "./lib.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("fill the form, submit, see the errors, fix them, see success", async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${BASE}/async`);
  await fill(page, BAD);
  await submit(page);
  assert.equal(await page.title(), "Error: Sign up · vouch");
  const focused = await page.evaluate(() => document.activeElement?.className);
  assert.equal(focused, "error-summary", "focus moves to the error summary");
  const summary = await text(page, ".error-summary li");
  assert.deepEqual(summary, ["Invalid email address", "Invalid phone number", "Invalid state", "Invalid zip"]);
  assert.deepEqual(await text(page, "#zip-hint"), ["12345 is Schenectady, NY — check the ZIP or the city."]);
  assert.equal(await page.getAttribute("#zip", "aria-invalid"), "true");
  assert.equal(await page.getAttribute("#zip", "aria-describedby"), "zip-error zip-hint");
  // A summary link puts focus on its field.
  await page.click(".error-summary a[href='#zip']");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "zip");

  await fill(page, GOOD);
  await submit(page);
  assert.deepEqual(await text(page, ".success h2"), ["Everything checks out"]);
  assert.deepEqual(await text(page, "#email-ok"), ["Checked"]);
  assert.equal(await page.locator(".timing-table tbody tr").count(), 3);
  assert.deepEqual(problems, []);
});

test("a press on submit right after the last field is not lost when that field's check answers", async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${BASE}/async`);
  await fill(page, BAD);
  // A person's press, as it comes: the zip is left on mouse-down, its check answers (with
  // errors that would push the button down) while the button is held, then the release.
  await page.focus("#zip");
  await page.locator("[data-submit]").scrollIntoViewIfNeeded();
  await page.waitForTimeout(1000); // the other fields' answers are in: the button is where it is seen
  const box = await page.locator("[data-submit]").boundingBox();
  const navigation = page.waitForNavigation({ timeout: 5000 });
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(150);
  await page.mouse.up();
  await navigation;
  assert.equal(await page.title(), "Error: Sign up · vouch");
  assert.deepEqual(problems, []);
});

test("leaving the email field shows its state without a reload", async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${BASE}/`);
  let navigations = 0;
  page.on("framenavigated", () => { navigations += 1; });
  await page.fill("#email", "jane.doe@example.com");
  await page.press("#email", "Tab");
  await page.waitForSelector("#email-ok");
  assert.deepEqual(await text(page, "#email-ok"), ["Checked"]);
  assert.equal(await page.getAttribute("#email", "aria-describedby"), "email-ok");
  assert.equal(navigations, 0, "no reload");
  // A definite problem with what was typed, with its hint.
  await page.fill("#email", "a@gmail.com");
  await page.press("#email", "Tab");
  await page.waitForSelector("#email-error");
  assert.deepEqual(await text(page, "#email-error"), ["Error: Invalid email address"]);
  assert.deepEqual(await text(page, "#email-hint"),
    ["Gmail addresses have 6 to 30 letters, digits and dots before the @."]);
  assert.equal(await page.getAttribute("#email", "aria-invalid"), "true");
  assert.deepEqual(problems, []);
});

test("a field left blank is never called required before the submit", async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${BASE}/`);
  await page.focus("#email");
  await page.press("#email", "Tab");
  await page.press("#phoneNumber", "Tab");
  // Through the whole address, nothing typed.
  for (const id of ["address", "address2", "city", "state", "zip"]) await page.focus(`#${id}`);
  await page.focus("[data-submit]");
  await page.waitForTimeout(800);
  assert.equal(await page.locator(".field-error, .field-note, .field-hint").count(), 0);
  assert.deepEqual(problems, []);
});

test("a typo suggestion is accepted with one click, or dismissed", async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${BASE}/`);
  await page.fill("#email", "jane.doe@gmial.com");
  await page.press("#email", "Tab");
  await page.waitForSelector("#email-suggestion");
  assert.deepEqual(await text(page, "#email-suggestion p"), ["Did you mean jane.doe@gmail.com?"]);
  await page.click("#email-suggestion [data-accept]");
  assert.equal(await page.inputValue("#email"), "jane.doe@gmail.com");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "email");
  await page.waitForSelector("#email-ok");
  assert.equal(await page.locator("#email-suggestion").count(), 0);

  // Dismissed: what was typed stays, and the same suggestion doesn't come back.
  await page.fill("#email", "jane.doe@mailw.com");
  await page.press("#email", "Tab");
  await page.waitForSelector("#email-suggestion");
  await page.click("#email-suggestion [data-dismiss]");
  assert.equal(await page.inputValue("#email"), "jane.doe@mailw.com");
  assert.equal(await page.locator("#email-suggestion").count(), 0);
  assert.deepEqual(problems, []);
});

test("the address is checked once its last field is left, with one explanation", async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${BASE}/`);
  await fill(page, { address: "1600 Huron Pkwy", city: "Detroit", state: "MI" });
  await page.press("#city", "Tab");
  await page.waitForTimeout(300);
  assert.equal(await page.locator("[data-group=address] .field-status p").count(), 0, "not before the ZIP");
  await page.fill("#zip", "12345");
  await page.press("#zip", "Tab");
  await page.waitForSelector("#zip-error");
  assert.deepEqual(await text(page, "#zip-hint"), ["12345 is Schenectady, NY — check the ZIP or the city."]);
  assert.deepEqual(await text(page, "#state-hint"), ["ZIP 12345 is in New York."]);
  assert.equal(await page.locator("#city-error").count(), 0, "the city is no second puzzle");
  // No cosmetic suggestion: "Street" for "St" is just as deliverable.
  await page.fill("#address", "2600 Pearl Street");
  await fill(page, { city: "Boulder", state: "CO", zip: "80302" });
  await page.press("#zip", "Tab");
  await page.waitForSelector("#zip-ok");
  assert.equal(await page.locator("[data-group=address] .field-hint, .suggestion").count(), 0);
  assert.deepEqual(problems, []);
});

test("a check for input that changed since is cancelled", async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${BASE}/`);
  const aborted = [];
  page.on("requestfailed", (request) => aborted.push(request.failure()?.errorText));
  // The first answer is held back long enough for the person to type again.
  let first = true;
  await page.route("**/api/v1/check/email", async (route) => {
    if (first) {
      first = false;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    await route.continue().catch(() => {});
  });
  await page.fill("#email", "jane.first@example.com");
  await page.press("#email", "Tab");
  // Back in the field and typing before the answer came: the request is aborted.
  await page.fill("#email", "jane.second@example.com");
  await page.press("#email", "Tab");
  await page.waitForSelector("#email-ok");
  assert.ok(aborted.some((reason) => reason === "net::ERR_ABORTED"), `aborted: ${aborted}`);
  assert.deepEqual(problems, []);
});

test("the submit shows progress and cannot be sent twice", async () => {
  const { page, problems } = await open(browser);
  await page.goto(`${BASE}/`);
  // The email goes in last, so that its check starts at the Tab below: typed in order, its
  // check could end while the later fields were filled, and no check would run at the Tab.
  const rest = { ...GOOD };
  delete rest.email;
  await fill(page, rest);
  // An address no earlier test used: a cached answer comes back too fast to show progress.
  await page.fill("#email", `progress.${Date.now()}@example.com`);
  // Leaving the phone and the zip checked them: let those end, so the email's check runs alone.
  await page.waitForSelector("#phoneNumber-ok");
  await page.waitForSelector("#zip-ok");
  let posts = 0;
  page.on("request", (request) => { if (request.method() === "POST" && request.url().endsWith("/async")) posts += 1; });
  // While a live check runs, the button shows it.
  await page.press("#email", "Tab");
  await page.waitForSelector("[data-submit].is-checking");
  assert.match((await text(page, "#submit-status"))[0], /^Checking your email address/);
  const navigation = page.waitForNavigation();
  // Both clicks in one go: a person double-clicking is faster than any round trip.
  const pressed = await page.evaluate(() => {
    const button = document.querySelector("[data-submit]");
    button.click();
    const state = { disabled: button.getAttribute("aria-disabled"), label: button.textContent };
    button.click();
    return state;
  });
  assert.deepEqual(pressed, { disabled: "true", label: "Checking your details…" });
  await navigation;
  assert.equal(posts, 1);
  assert.deepEqual(await text(page, ".success h2"), ["Everything checks out"]);
  assert.deepEqual(problems, []);
});
