/*
 * Browser benchmark of the portal's lineage graph: is the Lineage tab
 * responsive at 2,000 nodes and 3,000 edges (issue 11: "no layout on every
 * render")?
 *
 * The page is a minimal harness (harness.tsx) bundled with esbuild around
 * the tab's own graph component, LineageGraphView from
 * plugins/conductor/src/lineage, fed a synthetic neighbourhood shaped like a
 * large GraphQL API's (synthetic.ts). A harness rather than the built portal:
 * the backend caps a neighbourhood at conductor.lineage.graph.maxNodes and
 * the portal's build takes many minutes on this machine, while what is
 * measured here is the component alone (the HTTP fetch is not part of it).
 *
 * Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH) is driven with
 * Playwright. Per case: time to first draw (graph handed to the component →
 * nodes measured, view fitted, painted), the layout alone (median of 5),
 * hovering and clicking nodes (the slowest click as the browser's Event
 * Timing reports it: input to next paint), highlighting a blast radius of
 * 20 % of the nodes (to paint), panning and zooming (frames per second and
 * the longest long task, PerformanceObserver 'longtask'), all at the fitted
 * view where every node is on screen, then panning zoomed in.
 *
 * Cases, in one run: 2,000 nodes; baselines 200 nodes (the same component)
 * and 2,000 nodes laid out on every render (the graph handed over as a new
 * object on each render, what a view without a layout memoised on the graph
 * does). Usage: bash bench/run.sh lineage-browser
 */
import { build } from 'esbuild';
import { chromium, Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const NODES = Number(process.env.BENCH_NODES ?? 2000);
const EDGES = Number(process.env.BENCH_EDGES ?? 3000);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type Mode = 'memo' | 'every-render';
type Case = { name: string; nodes: number; edges: number; mode: Mode };
type Figures = {
  firstDrawMs: number;
  layoutMs: number;
  renderedNodes: number;
  hoverLongestTaskMs: number;
  clickWorstMs: number;
  clickLongestTaskMs: number;
  highlightMs: number;
  clearHighlightMs: number;
  panFps: number;
  panLongestTaskMs: number;
  zoomFps: number;
  zoomLongestTaskMs: number;
  zoomedPanFps: number;
  zoomedPanLongestTaskMs: number;
  zoomedRenderedNodes: number;
};

async function bundle(dir: string) {
  await build({
    entryPoints: [path.join(__dirname, 'harness.tsx')],
    bundle: true,
    minify: true,
    outdir: dir,
    jsx: 'automatic',
    loader: { '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="harness.css"></head>' +
      '<body style="margin:0"><div id="root"></div><script src="harness.js"></script></body></html>',
  );
}

type Bench = {
  lineageBench: {
    load(n: number, e: number, m: Mode): Promise<number>;
    layout(n: number, e: number): number;
    highlight(share: number): Promise<number>;
    clearHighlight(): Promise<number>;
    rendered(): number;
  };
  __tasks: Array<{ start: number; duration: number }>;
  __events: Array<{ name: string; start: number; duration: number }>;
  __frames: number;
  __counting: boolean;
};

/** Runs `action`, answering frames per second and the longest long task meanwhile. */
async function watch(page: Page, action: () => Promise<void>) {
  const start = await page.evaluate(() => {
    const w = window as unknown as Bench;
    w.__frames = 0;
    w.__counting = true;
    const tick = () => {
      if (!w.__counting) return;
      w.__frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    return performance.now();
  });
  await action();
  return page.evaluate(async started => {
    const w = window as unknown as Bench;
    // let the last frame and long-task entries land
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)));
    w.__counting = false;
    const end = performance.now() - 100;
    const tasks = w.__tasks.filter(
      t => t.start + t.duration >= started && t.start <= end,
    );
    return {
      fps: (w.__frames * 1000) / (end - started),
      longestTaskMs: Math.max(0, ...tasks.map(t => t.duration)),
      start: started,
    };
  }, start);
}

/** Centres of up to `count` nodes on screen, clear of the minimap and controls. */
function nodeTargets(page: Page, count: number) {
  return page.evaluate(k => {
    const out: Array<{ x: number; y: number }> = [];
    const nodes = [...document.querySelectorAll('.react-flow__node')];
    const step = Math.max(1, Math.floor(nodes.length / k));
    for (let i = 0; i < nodes.length && out.length < k; i += step) {
      const r = nodes[i].getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (nodes[i].contains(document.elementFromPoint(x, y)))
        out.push({ x, y });
    }
    return out;
  }, count);
}

async function pan(page: Page, steps: number) {
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  const cx = box.x + box.width / 3;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 0; i < steps; i++)
    await page.mouse.move(
      cx + 150 * Math.sin(i / 6),
      cy + 100 * Math.cos(i / 6),
    );
  await page.mouse.up();
}

async function measureCase(url: string, c: Case): Promise<Figures> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 800 },
    });
    await page.goto(url);
    await page.waitForFunction(() => 'lineageBench' in window);
    await page.evaluate(() => {
      const w = window as unknown as Bench;
      w.__tasks = [];
      w.__events = [];
      new PerformanceObserver(list =>
        list
          .getEntries()
          .forEach(e =>
            w.__tasks.push({ start: e.startTime, duration: e.duration }),
          ),
      ).observe({ type: 'longtask', buffered: true });
      new PerformanceObserver(list =>
        list.getEntries().forEach(e =>
          w.__events.push({
            name: e.name,
            start: e.startTime,
            duration: e.duration,
          }),
        ),
      ).observe({
        type: 'event',
        durationThreshold: 16,
        buffered: true,
      } as PerformanceObserverInit);
    });
    const bench = (
      fn: (b: Bench['lineageBench'], a: [number, number, Mode]) => unknown,
    ) =>
      page.evaluate(
        ([f, a]) =>
          // eslint-disable-next-line no-new-func
          new Function('b', 'a', `return (${f})(b, a)`)(
            (window as unknown as Bench).lineageBench,
            a,
          ),
        [fn.toString(), [c.nodes, c.edges, c.mode]] as const,
      );
    const firstDrawMs = (await bench((b, [n, e, m]) =>
      b.load(n, e, m),
    )) as number;
    const layoutMs = (await bench((b, [n, e]) => b.layout(n, e))) as number;
    const renderedNodes = (await bench(b => b.rendered())) as number;

    const targets = await nodeTargets(page, 10);
    const hover = await watch(page, async () => {
      for (const t of targets) await page.mouse.move(t.x, t.y, { steps: 4 });
    });
    const clicks = await watch(page, async () => {
      for (const t of targets) await page.mouse.click(t.x, t.y);
    });
    const clickWorstMs = await page.evaluate(
      started =>
        Math.max(
          0,
          ...(window as unknown as Bench).__events
            .filter(e => e.start >= started && /click|pointer/.test(e.name))
            .map(e => e.duration),
        ),
      clicks.start,
    );
    const highlightMs = (await bench(b => b.highlight(0.2))) as number;
    const clearHighlightMs = (await bench(b => b.clearHighlight())) as number;
    const panned = await watch(page, () => pan(page, 60));
    const box = (await page.locator('.react-flow__pane').boundingBox())!;
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
    const zoomed = await watch(page, async () => {
      for (let i = 0; i < 12; i++) {
        await page.mouse.wheel(0, -250);
        await page.waitForTimeout(30);
      }
    });
    const zoomedRenderedNodes = (await bench(b => b.rendered())) as number;
    const zoomedPan = await watch(page, () => pan(page, 60));
    return {
      firstDrawMs,
      layoutMs,
      renderedNodes,
      hoverLongestTaskMs: hover.longestTaskMs,
      clickWorstMs,
      clickLongestTaskMs: clicks.longestTaskMs,
      highlightMs,
      clearHighlightMs,
      panFps: panned.fps,
      panLongestTaskMs: panned.longestTaskMs,
      zoomFps: zoomed.fps,
      zoomLongestTaskMs: zoomed.longestTaskMs,
      zoomedPanFps: zoomedPan.fps,
      zoomedPanLongestTaskMs: zoomedPan.longestTaskMs,
      zoomedRenderedNodes,
    };
  } finally {
    await browser.close();
  }
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-browser-'));
  await bundle(dir);
  const url = `file://${dir}/index.html`;
  const small = Math.round(NODES / 10);
  const cases: Case[] = [
    { name: `${NODES} nodes`, nodes: NODES, edges: EDGES, mode: 'memo' },
    {
      name: `${small} nodes (baseline)`,
      nodes: small,
      edges: Math.round(EDGES / 10),
      mode: 'memo',
    },
    {
      name: `${NODES} nodes, layout on every render (baseline)`,
      nodes: NODES,
      edges: EDGES,
      mode: 'every-render',
    },
  ];
  const results: Figures[] = [];
  // BENCH_CASES=0 measures the first case only (a quick look while tuning)
  const only = process.env.BENCH_CASES?.split(',').map(Number);
  for (const c of cases.filter((_, i) => !only || only.includes(i))) {
    // eslint-disable-next-line no-console
    console.log(`measuring ${c.name}, ${c.edges} edges...`);
    results.push(await measureCase(url, c));
  }
  const rows: Array<[string, keyof Figures, 'lower' | 'higher']> = [
    ['first draw (ms)', 'firstDrawMs', 'lower'],
    ['layout alone, median of 5 (ms)', 'layoutMs', 'lower'],
    ['nodes in the DOM, fitted view', 'renderedNodes', 'lower'],
    ['hover: longest long task (ms)', 'hoverLongestTaskMs', 'lower'],
    ['click a node: worst input-to-paint (ms)', 'clickWorstMs', 'lower'],
    ['click a node: longest long task (ms)', 'clickLongestTaskMs', 'lower'],
    ['highlight 20 % blast radius, to paint (ms)', 'highlightMs', 'lower'],
    ['clear highlight, to paint (ms)', 'clearHighlightMs', 'lower'],
    ['pan, fitted view (frames/s)', 'panFps', 'higher'],
    ['pan, fitted view: longest long task (ms)', 'panLongestTaskMs', 'lower'],
    ['wheel zoom (frames/s)', 'zoomFps', 'higher'],
    ['wheel zoom: longest long task (ms)', 'zoomLongestTaskMs', 'lower'],
    ['pan, zoomed in (frames/s)', 'zoomedPanFps', 'higher'],
    [
      'pan, zoomed in: longest long task (ms)',
      'zoomedPanLongestTaskMs',
      'lower',
    ],
    ['nodes in the DOM, zoomed in', 'zoomedRenderedNodes', 'lower'],
  ];
  if (results.length < cases.length) {
    // eslint-disable-next-line no-console
    console.log(JSON.stringify(results, null, 1));
    return;
  }
  const [big, base, every] = results;
  const lines = [
    `| figure | ${cases
      .map(c => c.name)
      .join(' | ')} | ${NODES} / ${small} | every render / memoised |`,
    `| --- | ${cases.map(() => '---').join(' | ')} | --- | --- |`,
    ...rows.map(([label, key]) => {
      const ratio = (a: number, b: number) =>
        b > 0 ? `${(a / b).toFixed(1)}×` : '–';
      return `| ${label} | ${results
        .map(r => fmt(r[key]))
        .join(' | ')} | ${ratio(big[key], base[key])} | ${ratio(
        every[key],
        big[key],
      )} |`;
    }),
  ];
  // eslint-disable-next-line no-console
  console.log(
    `\nlineage graph in chromium, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}\n${lines.join('\n')}`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
