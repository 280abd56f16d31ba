// The HTML report as a person meets it: a real live-migration run, `l2stretch report`,
// the file opened from disk in headless Chromium, the live-migration check found in
// the tree and its probe timeline shown as a picture.
import { describe, it, expect, afterAll } from 'vitest';
import { execa, execaSync } from 'execa';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openInChromium } from '../headless-chromium.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'bin', 'l2stretch.js');
const scratch = mkdtempSync(join(tmpdir(), 'l2s-html-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hasChromium = (() => {
  try {
    return execaSync('chromium', ['--version']).exitCode === 0;
  } catch {
    return false;
  }
})();

/** Clicks the first element whose own text starts with `text`; false when there is none. */
const click = (text: string) =>
  `(() => { const e = [...document.querySelectorAll('*')].find((e) => e.children.length === 0 && ` +
  `e.textContent.trim().startsWith(${JSON.stringify(text)}));` +
  ' if (!e) return false; e.click(); return true; })()';

/** Opens, one at a time, the tree's groups that are still closed, until `text` shows. */
const expandUntil = (text: string) =>
  `(() => { if ([...document.querySelectorAll('*')].some((e) => e.children.length === 0 && ` +
  `e.textContent.trim().startsWith(${JSON.stringify(text)}))) return true;` +
  " const closed = [...document.querySelectorAll('[class*=tree-section-title]')].find((e) => !e.dataset.l2sOpened);" +
  ' if (closed) { closed.dataset.l2sOpened = "1"; closed.click(); } return false; })()';

describe('the HTML report', () => {
  it('opens from disk and shows a live-migration check with its probe timeline', async (ctx) => {
    if (!hasChromium) ctx.skip("needs Debian's chromium (make deps installs it)");
    const report = join(scratch, 'run');
    const run = await execa('node', [cli, 'run', '--check', 'L2S-MIG-001'], {
      cwd: scratch,
      reject: false,
      env: { L2STRETCH_REPORT_DIR: report, NO_COLOR: '1' },
    });
    expect(run.exitCode, run.stdout.slice(-2000) + run.stderr.slice(-2000)).toBe(0);
    const rendered = await execa('node', [cli, 'report', report], { cwd: scratch, reject: false });
    expect(rendered.exitCode, rendered.stderr).toBe(0);
    const index = join(report, 'allure-report', 'index.html');
    expect(rendered.stdout).toContain('allure-report/index.html (one file');
    // One file: no scripts, styles or data beside it that a browser would fetch.
    expect(
      readdirSync(join(report, 'allure-report')).filter(
        (f) => !/^(index\.html|summary\.json|test-results\.json)$/.test(f),
      ),
    ).toEqual([]);

    const page = await openInChromium(`file://${index}`);
    try {
      await page.waitFor(expandUntil('L2S-MIG-001'), 'the check L2S-MIG-001 in the report tree', 20_000);
      await page.waitFor(click('L2S-MIG-001'), 'a click on L2S-MIG-001');
      await page.waitFor(click('probe timeline'), 'the attachment "probe timeline" of L2S-MIG-001');
      const svg = await page.waitFor<string>(
        "(async () => { for (const img of document.querySelectorAll('img')) { const t = await (await " +
          "fetch(img.src)).text().catch(() => ''); if (t.includes('<svg')) return t; } return ''; })()",
        'the probe timeline drawn as a picture',
      );
      expect(svg).toMatch(/probes from vm-2 to vm-1/);
      const shot = await page.screenshot();
      writeFileSync(join(report, 'html-report-live-migration.png'), shot);
      // `L2STRETCH_SCREENSHOT=docs/…png` keeps the screenshot README shows.
      if (process.env.L2STRETCH_SCREENSHOT) writeFileSync(process.env.L2STRETCH_SCREENSHOT, shot);
    } finally {
      await page.close();
    }
  });
});
