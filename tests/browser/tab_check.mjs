// Drives the DSL tab in Debian's chromium (tests/test_dsl_tab_browser.py): signs in, reads what the
// page shows, works it by keyboard, runs axe-core, takes screenshots. Prints one JSON object.
// node tab_check.mjs '<json: {base, user, shots: [{name, theme, width, height}], outDir, keyboard}>'
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import path from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");
const job = JSON.parse(process.argv[2]);
const browser = await chromium.launch({
  executablePath: job.chromium || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
const out = { shots: [], runs: [] };
try {
  for (const shot of job.shots) {
    // bypassCSP only so axe-core (read from node_modules, never a CDN) can be injected into the page.
    const context = await browser.newContext({ viewport: { width: shot.width, height: shot.height }, bypassCSP: true, locale: "en-GB", timezoneId: "Europe/London" });
    const page = await context.newPage();
    const external = [];
    page.on("request", (r) => { if (!r.url().startsWith(job.base) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) external.push(r.url()); });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${job.base}/tab/?theme=${shot.theme}`);
    await page.locator("#signin-user").fill(job.user);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => !document.getElementById("content").hidden ||
      (document.getElementById("status").textContent && !document.getElementById("status").textContent.startsWith("Loading")), null, { timeout: 15000 });
    const run = await page.evaluate(() => ({
      status: document.getElementById("status").textContent,
      shown: !document.getElementById("content").hidden,
      requests: [...document.querySelectorAll("#requests tbody tr")].map((tr) => tr.innerText.replace(/\s+/g, " ")),
      handoffs: document.querySelectorAll("#handoffs tbody tr").length,
      totals: document.getElementById("totals").textContent,
      charts: [...document.querySelectorAll(".chart svg desc")].map((d) => d.textContent),
      chartLabels: [...document.querySelectorAll(".chart svg")].map((s) => s.getAttribute("aria-labelledby")),
      records: document.getElementById("records-count").textContent,
      theme: document.documentElement.dataset.theme,
    }));
    run.name = shot.name;
    run.errors = errors;
    run.external = external;
    if (job.keyboard && run.shown) {
      // From the date filter, Tab to the first "open request" button and open it with Enter.
      await page.locator("#to").focus();
      let label = "";
      for (let i = 0; i < 12 && !label; i++) {
        await page.keyboard.press("Tab");
        label = await page.evaluate(() => document.activeElement.dataset.open === "request" ? document.activeElement.getAttribute("aria-label") : "");
      }
      run.keyboardLabel = label;
      await page.keyboard.press("Enter");
      await page.waitForSelector("#detail[open]", { timeout: 5000 }).catch(async (e) => {
        throw new Error(`no dialog after Enter on "${label}": ${await page.locator("#status").textContent()}`);
      });
      run.dialogTitle = await page.locator("#detail-title").textContent();
      run.dialogFocus = await page.evaluate(() => document.activeElement.id);
      run.keyboardAxe = await page.addScriptTag({ path: axePath }).then(() => page.evaluate(async () =>
        (await window.axe.run(document)).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }))));
      await page.keyboard.press("Escape");
      run.focusAfterClose = await page.evaluate(() => document.activeElement.getAttribute("aria-label"));
    }
    if (job.axe) {
      await page.addScriptTag({ path: axePath });
      run.axe = await page.evaluate(async () => {
        for (const d of document.querySelectorAll("details")) d.open = true;  // check the chart tables too
        const result = await window.axe.run(document, { resultTypes: ["violations"] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
                                               where: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
      });
      await page.evaluate(() => { for (const d of document.querySelectorAll("details")) d.open = false; });
    }
    if (job.outDir) {
      mkdirSync(job.outDir, { recursive: true });
      if (shot.scrollTo) await page.locator(shot.scrollTo).scrollIntoViewIfNeeded();
      if (shot.scrollTo) await page.evaluate((sel) => document.querySelector(sel).scrollIntoView(), shot.scrollTo);
      const file = path.join(job.outDir, `${shot.name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      out.shots.push(file);
    }
    out.runs.push(run);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
