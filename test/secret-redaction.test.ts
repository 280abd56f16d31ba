// Each secret shape, in every kind of file a run writes (log text, JSON, YAML,
// JUnit XML): gone after redaction, and the file still parses as what it was.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { redact, redactFile, redactTree } from '../reports/redact.ts';
import { SECRET_SHAPES } from './secret-shapes.ts';

describe('redaction of every secret shape', () => {
  for (const { shape, text, leak } of SECRET_SHAPES) {
    it(`${shape}: gone from text, JSON, YAML and XML, which stay valid`, () => {
      expect(redact(text), 'text').not.toContain(leak);
      const json = String(redactFile('r.json', JSON.stringify({ message: text, nested: [{ note: text }] })));
      expect(json).not.toContain(leak);
      expect(() => JSON.parse(json)).not.toThrow();
      const yaml = String(redactFile('r.yaml', stringify({ notes: text, list: [text] })));
      expect(yaml).not.toContain(leak);
      expect(() => parse(yaml)).not.toThrow();
      const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
      const xml = String(
        redactFile('junit.xml', `<testcase name="x"><failure message="${escaped}">${escaped}</failure></testcase>`),
      );
      expect(xml).not.toContain(leak);
      expect(xml).not.toMatch(/<redacted>/);
    });
  }

  it('in text that quotes YAML (a diagnostics dump), an indented PEM cut short is gone too', () => {
    const dump = stringify({
      metadata: { annotations: Object.fromEntries(SECRET_SHAPES.map((s, i) => [`a${i}`, s.text])) },
    });
    const out = redact(dump);
    for (const s of SECRET_SHAPES) expect(out, s.shape).not.toContain(s.leak);
  });

  it('base64 attachments a reporter embeds in JSON are redacted inside; images are left alone', () => {
    const all = SECRET_SHAPES.map((s) => s.text).join('\n');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]).toString('base64');
    const report = JSON.stringify({
      meta: [
        {
          name: 'evidence',
          content: Buffer.from(all).toString('base64'),
          encoding: 'base64',
          contentType: 'text/plain',
        },
        { name: 'timeline', content: png, encoding: 'base64', contentType: 'image/png' },
      ],
    });
    const out = JSON.parse(String(redactFile('vitest.json', report))) as { meta: Array<{ content: string }> };
    const text = Buffer.from(out.meta[0]!.content, 'base64').toString('utf8');
    for (const s of SECRET_SHAPES) expect(text, s.shape).not.toContain(s.leak);
    expect(out.meta[1]!.content).toBe(png);
  });

  it('a file that is itself a kubeconfig is redacted by key: exec env values, tokens, keys', () => {
    const kubeconfig = [
      SECRET_SHAPES.find((s) => s.shape === 'kubeconfig exec env')!,
      SECRET_SHAPES.find((s) => s.shape === 'kubeconfig token')!,
    ];
    for (const s of kubeconfig) {
      const out = String(redactFile('kubeconfig.yaml', s.text));
      expect(out).not.toContain(s.leak);
      expect(parse(out)).toBeTruthy();
    }
  });

  it('`lab token: none` in a JSON or YAML value keeps the file valid', () => {
    const json = String(
      redactFile('run-record.json', JSON.stringify({ product: { notes: 'lab token: none' } }, null, 2)),
    );
    expect(JSON.parse(json)).toEqual({ product: { notes: 'lab token: "<redacted>"' } });
    const yaml = String(redactFile('product.yaml', 'vendor: Acme\nnotes: "lab token: none"\n'));
    expect(parse(yaml)).toEqual({ vendor: 'Acme', notes: 'lab token: "<redacted>"' });
  });

  it("leaves routers' JSON and ordinary text alone", () => {
    const bgp = JSON.stringify({
      routerId: '192.168.1.4',
      peers: { '192.168.1.1': { state: 'Established', pfxRcd: 3 } },
    });
    expect(redactFile('evidence.json', bgp)).toBe(bgp);
    expect(redact('neighbor 192.168.1.5 remote-as 64512')).toBe('neighbor 192.168.1.5 remote-as 64512');
  });

  it('redactTree rewrites a report folder in place and closes it to others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'l2s-tree-'));
    try {
      mkdirSync(join(dir, 'allure-results'), { mode: 0o755 });
      const all = SECRET_SHAPES.map((s) => s.text).join('\n');
      writeFileSync(join(dir, 'run.log'), all, { mode: 0o644 });
      writeFileSync(join(dir, 'allure-results', 'a-result.json'), JSON.stringify({ statusDetails: { message: all } }));
      writeFileSync(
        join(dir, 'junit.xml'),
        `<testsuites><testcase name="x"><system-out>${all.replace(/&/g, '&amp;').replace(/</g, '&lt;')}` +
          `</system-out></testcase></testsuites>`,
      );
      redactTree(dir);
      for (const f of ['run.log', 'allure-results/a-result.json', 'junit.xml']) {
        const text = readFileSync(join(dir, f), 'utf8');
        for (const s of SECRET_SHAPES) expect(text, `${f}: ${s.shape}`).not.toContain(s.leak);
        expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
      }
      expect(statSync(join(dir, 'allure-results')).mode & 0o777).toBe(0o700);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
