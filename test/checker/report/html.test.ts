// The HTML report, parsed: well-formed, self-contained, escaped, and drawing what it claims.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topicsModel } from '../../../src/checker/models/topics.js';
import { renderHtmlReport } from '../../../src/checker/report/html.js';
import type { CheckResult } from '../../../src/checker/verdict.js';
import { HOSTILE_NAME, checkStaleRead } from './failing-history.js';

interface Element {
  name: string;
  attributes: Map<string, string>;
  children: Element[];
  text: string;
}

const VOID_ELEMENTS = new Set(['meta', 'br', 'img', 'input', 'link', 'hr']);
// SVG children written as self-closing tags.
const SELF_CLOSING_OK = new Set(['rect', 'stop', 'path', 'line', 'circle']);
const ENTITY = /^&(amp|lt|gt|quot|#39);/;

/**
 * A strict little parser for the subset of HTML the report writes: every non-void element is
 * closed in order, attributes are double-quoted, text holds no raw `<` or `>` and every `&` starts
 * an entity; script and style contents are raw text up to their closing tag.
 */
function parseStrictHtml(html: string): Element {
  const root: Element = { name: '#root', attributes: new Map(), children: [], text: '' };
  const stack: Element[] = [root];
  let at = 0;
  const fail = (why: string): never => { throw new Error(`${why} at offset ${at}: ${JSON.stringify(html.slice(at, at + 60))}`); };
  while (at < html.length) {
    const top = stack[stack.length - 1]!;
    if (html.startsWith('<!DOCTYPE html>', at)) { at += '<!DOCTYPE html>'.length; continue; }
    if (html.startsWith('</', at)) {
      const close = /^<\/([a-zA-Z][\w-]*)>/.exec(html.slice(at)) ?? fail('bad closing tag');
      if (close[1] !== top.name) fail(`</${close[1]}> closes <${top.name}>`);
      stack.pop();
      at += close[0].length;
      continue;
    }
    if (html[at] === '<') {
      const open = /^<([a-zA-Z][\w-]*)((?:\s+[a-zA-Z][\w:-]*(?:="[^"<>]*")?)*)\s*(\/?)>/.exec(html.slice(at)) ?? fail('bad opening tag');
      const element: Element = { name: open[1]!, attributes: new Map(), children: [], text: '' };
      for (const attribute of open[2]!.matchAll(/([a-zA-Z][\w:-]*)(?:="([^"]*)")?/g)) {
        checkEscaped(attribute[2] ?? '', fail);
        element.attributes.set(attribute[1]!, attribute[2] ?? '');
      }
      top.children.push(element);
      at += open[0].length;
      if (open[3] === '/') {
        if (!SELF_CLOSING_OK.has(element.name)) fail(`<${element.name}/> may not self-close`);
        continue;
      }
      if (VOID_ELEMENTS.has(element.name)) continue;
      if (element.name === 'script' || element.name === 'style') {
        const end = html.indexOf(`</${element.name}>`, at);
        if (end < 0) fail(`unclosed <${element.name}>`);
        element.text = html.slice(at, end);
        at = end + element.name.length + 3;
        continue;
      }
      stack.push(element);
      continue;
    }
    const next = html.indexOf('<', at);
    const text = html.slice(at, next < 0 ? html.length : next);
    checkEscaped(text, fail);
    top.text += text;
    at = next < 0 ? html.length : next;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  return root;
}

function checkEscaped(text: string, fail: (why: string) => never): void {
  if (/[<>]/.test(text)) fail('raw < or > in text');
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) fail('& that starts no entity');
  }
}

function all(element: Element, predicate: (e: Element) => boolean, found: Element[] = []): Element[] {
  if (predicate(element)) found.push(element);
  for (const child of element.children) all(child, predicate, found);
  return found;
}

function textOf(element: Element): string {
  return element.text + element.children.map(textOf).join('');
}

const unescape = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('renderHtmlReport for an invalid result', () => {
  const result = checkStaleRead();
  const html = renderHtmlReport(result, topicsModel, { title: HOSTILE_NAME });
  const root = parseStrictHtml(html);

  it('is well-formed and needs nothing from the network', () => {
    expect(all(root, (e) => e.name === 'html')).toHaveLength(1);
    const names = new Set(all(root, () => true).map((e) => e.name));
    for (const name of names) {
      expect(['#root', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'p', 'span', 'table', 'thead', 'tbody',
        'tr', 'th', 'td', 'section', 'pre', 'div', 'svg', 'defs', 'linearGradient', 'stop', 'g', 'rect', 'text', 'title',
        'aside', 'script', 'button']).toContain(name);
    }
    expect(all(root, (e) => e.attributes.has('src') || e.attributes.has('href'))).toEqual([]);
    expect(html).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//);
    const scripts = all(root, (e) => e.name === 'script');
    expect(scripts.map((s) => s.attributes.get('type') ?? 'classic')).toEqual(['application/json', 'classic']);
  });

  it('escapes the hostile topic name everywhere, and the embedded data parses back to it', () => {
    expect(html).not.toContain('<img');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(unescape(textOf(all(root, (e) => e.name === 'h1')[0]!))).toBe(`linearizability check: ${HOSTILE_NAME}`);
    const data = JSON.parse(all(root, (e) => e.attributes.get('id') === 'report-data')[0]!.text) as {
      calls: Record<string, { line: string }>;
    };
    expect(Object.values(data.calls).some((c) => c.line.includes(HOSTILE_NAME))).toBe(true);
  });

  it('draws one bar per call of the failing part, numbers the prefix in order and marks the failing call', () => {
    const failure = result.failure!;
    const bars = all(root, (e) => e.name === 'g' && (e.attributes.get('class') ?? '').startsWith('call '));
    expect(bars.map((b) => Number(b.attributes.get('data-id'))).sort()).toEqual(failure.calls.map((c) => c.id).sort());
    const failing = bars.filter((b) => b.attributes.get('class')!.includes('failing'));
    expect(failing.map((b) => Number(b.attributes.get('data-id')))).toEqual([failure.failingCall.id]);
    const numbered = bars.filter((b) => b.attributes.get('class')!.includes('linearized'));
    const orderById = new Map(numbered.map((b) => [Number(b.attributes.get('data-id')), textOf(all(b, (e) => e.name === 'text')[0]!)]));
    expect(failure.longestPrefix.map((id) => orderById.get(id))).toEqual(failure.longestPrefix.map((_, i) => String(i + 1)));
    // The alter-config never completed: its bar is open-ended.
    const unfinished = bars.filter((b) => b.attributes.get('class')!.includes('unfinished'));
    expect(unfinished.map((b) => unescape(textOf(b)))).toEqual([expect.stringContaining('set configs of')]);
  });

  it('lists the prefix with the model state after each call and ends with the failing call', () => {
    const rows = all(root, (e) => e.name === 'tr' && e.attributes.has('data-id'));
    const cells = rows.map((row) => row.children.map((cell) => unescape(textOf(cell))));
    expect(cells.slice(0, 3).map((c) => c[0])).toEqual(['1', '2', '3']);
    expect(cells[0]![2]).toBe(`${HOSTILE_NAME}: 3 partitions {} id id-a`);
    expect(cells[cells.length - 1]).toEqual(['✗', expect.stringContaining('3 partitions'), 'could not be linearized']);
  });
});

describe('renderHtmlReport for other verdicts', () => {
  const base: CheckResult = { verdict: 'valid', model: 'topics', calls: 12, partitions: 3, elapsedMs: 5 };

  it('a valid result is a plain page with its counts and no timeline', () => {
    const root = parseStrictHtml(renderHtmlReport(base));
    expect(unescape(textOf(root))).toContain('valid: the history is linearizable (model topics, 12 calls in 3 parts, 5 ms)');
    expect(all(root, (e) => e.name === 'svg' || e.name === 'script')).toEqual([]);
  });

  it('an unknown result says why and that it is not a pass', () => {
    const root = parseStrictHtml(renderHtmlReport({ ...base, verdict: 'unknown', cause: 'time limit <1> ms spent' }));
    expect(unescape(textOf(root))).toContain('The checker could not decide: time limit <1> ms spent. An unknown verdict is never a pass.');
  });
});

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

describe('in a real browser', () => {
  it.skipIf(chromium === undefined)('runs its script: the details panel shows the failing call and its reason', () => {
    const directory = mkdtempSync(join(tmpdir(), 'report-'));
    const file = join(directory, 'report.html');
    writeFileSync(file, renderHtmlReport(checkStaleRead('orders'), topicsModel));
    const dom = execFileSync(chromium!, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--dump-dom', `file://${file}`,
    ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
    const details = dom.slice(dom.indexOf('<aside id="details"'), dom.indexOf('</aside>'));
    expect(details).toContain('describe topic orders → 3 partitions id id-a');
    expect(details).toContain("can't describe topic orders with 3 partitions: it has 5");
    expect(dom).toMatch(/<g class="call failing[^"]*selected"/);
  });
});

describe('the strict parser these tests rely on', () => {
  it.each([
    ['<p>a < b</p>', /raw < or >|bad opening tag/],
    ['<p>fish & chips</p>', /& that starts no entity/],
    ['<p title="x>y">z</p>', /bad opening tag/],
    ['<div><p>x</div></p>', /<\/div> closes <p>/],
    ['<div>', /unclosed <div>/],
  ])('rejects %s', (html, message) => {
    expect(() => parseStrictHtml(html)).toThrow(message);
  });
});
