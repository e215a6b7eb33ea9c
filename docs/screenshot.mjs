// Makes docs/screenshot.png: opens the form in headless Chromium, fills it the way a newcomer
// would (with the tutorial's bad address), submits, and screenshots the result page.
// Usage: node docs/screenshot.mjs http://127.0.0.1:8080/async docs/screenshot.png
// Needs: npm install playwright-core; Debian's chromium at /usr/bin/chromium.
import { chromium } from "playwright-core";

const [url = "http://127.0.0.1:8080/async", out = "docs/screenshot.png"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 900, height: 900 }, deviceScaleFactor: 1 });
const errors = [];
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
await page.goto(url);
await page.fill("#firstName", "Jane");
await page.fill("#lastName", "Doe");
await page.fill("#email", "jane.doe@gmial.com");
await page.fill("#phoneNumber", "(202) 456-1111");
await page.fill("#address", "1600 Huron Pkwy");
await page.fill("#city", "Detroit");
await page.selectOption("#state", "MI");
await page.fill("#zip", "12345");
await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
const focused = await page.evaluate(() => document.activeElement?.className || "");
await page.screenshot({ path: out, fullPage: true });
console.log(JSON.stringify({ focused, consoleErrors: errors }));
await browser.close();
