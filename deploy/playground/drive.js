// Drive the Agents Playground like a Teams user: type, click card buttons, screenshot.
const { chromium } = require('playwright-core');
const steps = JSON.parse(process.argv[2] || '[]');
const shots = process.env.SHOTS || '.';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1100, height: 1500 } });
  await page.goto('http://127.0.0.1:56150/', { waitUntil: 'domcontentloaded' });
  await page.waitForTimeout(5000);
  for (const step of steps) {
    if (step.type) {
      const box = page.locator('[data-lexical-editor=true]').first();
      await box.click(); await page.keyboard.type(step.type); await page.keyboard.press('Enter');
    } else if (step.click) {
      await page.getByRole('button', { name: step.click, exact: step.exact !== false }).last().click();
    } else if (step.fill) {
      const box = page.locator(step.fill.selector).last();
      await box.fill(step.fill.text);
    }
    await page.waitForTimeout(step.wait || 1500);
    if (step.shot) { await page.screenshot({ path: `${shots}/${step.shot}.png`, fullPage: false }); }
  }
  if (steps.length === 0) {
    await page.screenshot({ path: `${shots}/start.png` });
  }
  await browser.close();
})().catch(e => { console.error('DRIVER ERROR', e.message); process.exit(1); });
