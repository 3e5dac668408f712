import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderHtml } from '../../src/report/render-html.js';
import type { Report } from '../../src/core/model.js';
import { findingsAgentReport, healthyReport, probeNoJobReport, skipsAndErrorReport } from '../unit/fixtures/reports.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** LKD_CHROMIUM_PATH points the test at another binary (or at a missing one, to see the CI failure). */
const chromiumPath = process.env.LKD_CHROMIUM_PATH || '/usr/bin/chromium';
const artifacts = join(repoRoot, 'test-artifacts');

/** Installs Debian's chromium if it is missing and we may; otherwise the reason to skip. */
function ensureChromium(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  try {
    execFileSync('bash', [join(repoRoot, 'scripts', 'install-chromium.sh')], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
    return existsSync(chromiumPath) ? undefined : `${chromiumPath} still missing after install-chromium.sh`;
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return `chromium unavailable: ${stderr || String(err)}`;
  }
}

/** In CI a missing browser is a failure, not a skip: a skipped test there would pass the build unseen. */
const inCi = Boolean(process.env.CI) && !/^(0|false)$/i.test(process.env.CI ?? '');
const missing = ensureChromium();
if (missing && !inCi) console.warn(`report-html.test.ts skipped: ${missing}`);

if (missing && inCi) {
  describe('HTML report in CI', () => {
    it('has Chromium to render in', () => {
      expect.fail(`CI is set (CI=${process.env.CI}) and Chromium is needed at ${chromiumPath}, but ${missing}; install it before the tests (as root: bash scripts/install-chromium.sh, or apt-get install -y chromium)`);
    });
  });
}

describe.skipIf(Boolean(missing))('HTML report in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const workDir = mkdtempSync(join(tmpdir(), 'lkd-html-'));

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      timeout: 30_000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.setDefaultTimeout(10_000);
    // The page must be self-contained: any request other than the file itself is a bug.
    await page.route('**/*', (route) => (route.request().url().startsWith('file://') ? route.continue() : route.abort()));
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function open(report: Report, name: string): Promise<string[]> {
    const file = join(workDir, `${name}.html`);
    writeFileSync(file, renderHtml(report));
    const requests: string[] = [];
    const onRequest = (r: { url(): string }) => requests.push(r.url());
    page.on('request', onRequest);
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    page.off('request', onRequest);
    return requests;
  }

  async function screenshot(name: string): Promise<void> {
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, name), fullPage: true });
  }

  it('shows one timeline bar and one checklist row per check, coloured by status', async () => {
    const requests = await open(probeNoJobReport, 'probe-no-job');
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    const bars = await page.locator('svg.timeline g.bar').evaluateAll((nodes) =>
      nodes.map((n) => {
        const rect = n.querySelector('rect.bar-rect')!.getBoundingClientRect();
        return { id: n.getAttribute('data-check-id'), status: n.getAttribute('data-status'), width: rect.width, x: rect.x, label: n.querySelector('.bar-label')?.textContent };
      }),
    );
    expect(bars.map((b) => b.id)).toEqual(probeNoJobReport.checks.map((c) => c.id));
    expect(bars.map((b) => b.status)).toEqual(probeNoJobReport.checks.map((c) => c.status));
    for (const bar of bars) expect(bar.width).toBeGreaterThan(0);
    // The 5 s wait dominates the run: its bar must be by far the widest.
    const failed = bars.find((b) => b.id === 'probe.job-received')!;
    expect(failed.label).toBe('5.00 s');
    expect(Math.max(...bars.filter((b) => b !== failed && b.status !== 'skip').map((b) => b.width))).toBeLessThan(failed.width / 10);
    const skippedLabels = bars.filter((b) => b.status === 'skip').map((b) => b.label);
    expect(skippedLabels).toEqual(['skipped (needs probe.job-received)', 'skipped (needs probe.job-assigned)']);
    // Bars run left to right in time order.
    const active = bars.filter((b) => b.status !== 'skip');
    for (let i = 1; i < active.length; i++) expect(active[i]!.x).toBeGreaterThanOrEqual(active[i - 1]!.x);

    const failedFill = await page.locator('g.bar[data-check-id="probe.job-received"] rect.bar-rect').getAttribute('fill');
    expect(failedFill).toBe('#d73a49');
    await expect.poll(() => page.locator('svg .stop-line').count()).toBe(1);

    const rows = page.locator('table.checklist tr.check');
    expect(await rows.count()).toBe(probeNoJobReport.checks.length);
    const failedRow = page.locator('tr.check[data-status="fail"]');
    expect(await failedRow.innerText()).toContain('dispatch-not-delivered');
    expect(await failedRow.innerText()).toContain('lk dispatch list livekit-doctor-m2p7');
    expect(await page.locator('.summary-line').innerText()).toBe('6 passed, 1 failed, 2 skipped');
    expect(await page.locator('g.event-tick').count()).toBe(probeNoJobReport.timeline.length);
    expect(await page.locator('table.events tr.event').count()).toBe(probeNoJobReport.timeline.length);
    await screenshot('report.png');
  });

  it('renders the other fixture reports with every check, finding and event', async () => {
    for (const [name, report] of Object.entries({ healthyReport, skipsAndErrorReport, findingsAgentReport })) {
      await open(report, name);
      expect(await page.locator('g.bar').count(), name).toBe(report.checks.length);
      expect(await page.locator('tr.check').count(), name).toBe(report.checks.length);
      expect(await page.locator('li.finding').count(), name).toBe(report.findings.length);
      expect(await page.locator('g.event-tick').count(), name).toBe(report.timeline.length);
      // No bar may spill out of the picture.
      const overflow = await page.locator('svg.timeline').evaluate((svg) => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('rect.bar-rect')].filter((r) => r.getBoundingClientRect().right > box.right + 0.5).length;
      });
      expect(overflow, name).toBe(0);
      await screenshot(`report-${name}.png`);
    }
  });

  it('shows hostile text as text: no element or script is injected', async () => {
    const hostile: Report = structuredClone(healthyReport);
    hostile.checks[0]!.title = '<img src=x onerror="window.__pwned=1">Settings';
    hostile.checks[1]!.summary = '</svg><script>window.__pwned=2</script>';
    hostile.timeline.push({ atMs: 5, source: 'probe', type: '"><script>window.__pwned=3</script>' });
    await open(hostile, 'hostile');
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('tr.check').first().innerText()).toContain('<img src=x');
    expect(await page.locator('g.bar').count()).toBe(hostile.checks.length);
  });
});
