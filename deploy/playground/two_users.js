const { chromium } = require('playwright-core');
const shots = process.env.SHOTS || '.';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 1500 } });
  const alex = await ctx.newPage(); const megan = await ctx.newPage(); const nestor = await ctx.newPage();
  await megan.goto('http://localhost:56151/'); await nestor.goto('http://localhost:56152/'); await alex.goto('http://localhost:56150/');
  await alex.waitForTimeout(5000);
  const type = async (p, t) => { const b = p.locator('[data-lexical-editor=true]').first(); await b.click(); await p.keyboard.type(t); await p.keyboard.press('Enter'); await p.waitForTimeout(2000); };
  const click = async (p, name) => { await p.getByRole('button', { name, exact: true }).last().click(); await p.waitForTimeout(2000); };
  await type(megan, 'register dsl oakfield-2026');
  await megan.screenshot({ path: `${shots}/1-megan-registered.png` });
  await type(nestor, 'register dsl oakfield-2026');
  await click(alex, 'Can I share this information?');
  await click(alex, 'Yes');
  await click(alex, 'Not sure');
  await click(alex, 'Ask my DSL');
  await alex.locator('.ac-adaptiveCard input, .ac-adaptiveCard textarea').last().fill('Unsure whether a bruise on the arm is enough to refer');
  await click(alex, 'Send');
  await click(alex, 'Urgent: today');
  await alex.screenshot({ path: `${shots}/2-alex-summary.png` });
  await click(alex, 'Send');
  await alex.waitForTimeout(2000);
  await alex.screenshot({ path: `${shots}/3-alex-sent.png` });
  await megan.waitForTimeout(1000);
  await megan.screenshot({ path: `${shots}/4-megan-card.png` });
  await click(megan, 'Acknowledge');
  await megan.screenshot({ path: `${shots}/5-megan-acked.png` });
  await alex.waitForTimeout(2000);
  await alex.screenshot({ path: `${shots}/6-alex-told.png` });
  // The second DSL's card was updated in place: who acknowledged, and no Acknowledge button left.
  await nestor.waitForTimeout(1000);
  await nestor.screenshot({ path: `${shots}/8-nestor-card-updated.png` });
  await type(megan, 'escalations');
  await megan.screenshot({ path: `${shots}/7-megan-list.png` });
  await browser.close();
})().catch(e => { console.error('DRIVER ERROR', e.message); process.exit(1); });
