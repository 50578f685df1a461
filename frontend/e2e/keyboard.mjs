// Moving through a page with the keyboard alone, as the keyboard specs do: where the focus is, whether a ring shows
// it, and Chromium's accessibility tree (what a screen reader reads).
import assert from 'node:assert/strict';

import { shot } from './lib.mjs';

// The roles a screen reader announces as something to operate: each needs a name to be told apart.
export const CONTROLS = new Set(['button', 'textbox', 'searchbox', 'combobox', 'checkbox', 'radio', 'spinbutton', 'slider', 'switch', 'link']);

/** What has the focus: its tag, its accessible name as a label or its text gives it, and whether a ring shows it. */
export const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', name: '', ring: false, within: [] };
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || (style.boxShadow !== 'none' && style.boxShadow !== '');
  const text = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? (el.textContent || el.getAttribute('placeholder')) ?? '';
  const within = [];
  for (let node = el; node; node = node.parentElement) if (node.dataset?.testid) within.push(node.dataset.testid);
  return { tag: el.tagName.toLowerCase(), name: text.replace(/\s+/g, ' ').trim(), ring, within };
});

export const said = (f) => `${f.tag} "${f.name}"`;

/** Tab (or Shift+Tab) until the focus is on what `wanted` accepts; every stop on the way must show its focus. */
export async function tabTo(page, wanted, { back = false, most = 60 } = {}) {
  const way = [];
  for (let i = 0; i < most; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    way.push(said(now));
    if (now.tag !== 'body' && !now.ring) {
      await shot(page, `failed-focus-${Date.now()}`);
      assert.fail(`no visible focus on ${said(now)} (the way: ${way.join(' → ')})`);
    }
    if (wanted(now)) return now;
  }
  return assert.fail(`never reached it by ${back ? 'Shift+Tab' : 'Tab'}: ${way.join(' → ')}`);
}

export const named = (tag, name) => (f) => f.tag === tag && f.name === name;

/** Chromium's accessibility tree of the page (what a screen reader reads), through the DevTools protocol. */
export async function accessibilityTree(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  return nodes;
}

/**
 * The tree under the first node of that role and name, one line a node, indented by depth, each with its description
 * (a hint or an error tied to it); a list's options counted rather than listed, text's line boxes left out.
 */
export function dump(nodes, role, name) {
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const root = nodes.find((n) => n.role?.value === role && n.name?.value === name);
  assert.ok(root, `no ${role} named "${name}" in the accessibility tree`);
  const lines = [];
  const walk = (node, depth) => {
    const kind = node.role?.value ?? '?';
    if (kind === 'InlineTextBox') return;
    const children = (node.childIds ?? []).map((id) => byId.get(id)).filter(Boolean);
    if (!node.ignored) {
      const described = node.description?.value ? ` (described: "${node.description.value}")` : '';
      lines.push(`${'  '.repeat(depth)}${kind} "${node.name?.value ?? ''}"${described}`);
    }
    if (kind === 'MenuListPopup') {
      lines.push(`${'  '.repeat(depth + 1)}${children.length} options`);
      return;
    }
    for (const child of children) walk(child, node.ignored ? depth : depth + 1);
  };
  walk(root, 0);
  return lines.join('\n');
}
