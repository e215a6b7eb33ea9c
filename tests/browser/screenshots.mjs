// Makes the screenshots in docs/: the error page and /compare, at desktop and phone width, in
// light and dark. Usage (vouch running): VOUCH_URL=… node tests/browser/screenshots.mjs [dir]
import { BAD, BASE, fill, launch, submit } from "./lib.mjs";

const out = process.argv[2] || new URL("../../docs/", import.meta.url).pathname;
const browser = await launch();
const sizes = {
  desktop: { width: 1100, height: 900, deviceScaleFactor: 1 },
  phone: { width: 360, height: 740, deviceScaleFactor: 2 },
};
for (const scheme of ["light", "dark"]) {
  for (const [size, { width, height, deviceScaleFactor }] of Object.entries(sizes)) {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(`${BASE}/async`);
    await fill(page, BAD);
    await submit(page);
    // The whole page on a desktop; on a phone, one screen from what matters most.
    if (size === "phone") await page.locator("[data-field=email]").evaluate((box) => box.scrollIntoView());
    await page.screenshot({ path: `${out}/form-errors-${size}-${scheme}.png`, fullPage: size === "desktop" });
    await page.goto(`${BASE}/compare`);
    await submit(page);
    if (size === "phone") await page.locator(".comparison").evaluate((box) => box.scrollIntoView());
    await page.screenshot({ path: `${out}/compare-${size}-${scheme}.png`, fullPage: size === "desktop" });
    await context.close();
  }
}
await browser.close();
