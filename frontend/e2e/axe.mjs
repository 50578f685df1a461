// axe-core in a page driven by playwright-core: its WCAG 2.x A and AA rules over the page as it stands. axe is evaluated
// through the DevTools protocol, not added as a script tag: the app's Content-Security-Policy refuses inline scripts,
// and the pages are checked under the policy they are served with.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const FAILING = new Set(['serious', 'critical']);

/** axe's violations and its "needs review" items (what it could not decide alone), each as rule, impact, help, elements. */
export async function runAxe(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const { violations, incomplete } = await page.evaluate((tags) => window.axe.run(document,
    { runOnly: tags, resultTypes: ['violations', 'incomplete'] }), WCAG_AA);
  const told = (list) => list.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')),
    why: v.nodes.map((n) => n.any[0]?.data?.messageKey ?? n.any[0]?.message ?? '') }));
  return { violations: told(violations), review: told(incomplete) };
}

/** The violations of impact serious or critical, one line each (rule, impact, help, elements). */
export const failing = (violations) => violations.filter((v) => FAILING.has(v.impact))
  .map((v) => `[${v.impact}] ${v.id}: ${v.help} (${v.targets.join(', ')})`);
