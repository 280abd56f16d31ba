// A migration at a glance: every probe as a bar (its latency; red when it failed),
// the migration window shaded, the moment the route moved, the stream's silences.
import type { ProbeReport } from '../helpers/traffic/prober.ts';

export interface TimelineMarks {
  title: string;
  migrationStart: number;
  migrationEnd: number;
  routeMovedAt?: number;
  routeRouter?: string;
}

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

export function timelineSvg(r: ProbeReport, m: TimelineMarks): string {
  const W = 900;
  const H = 260;
  const left = 50;
  const top = 40;
  const plotH = 160;
  const span = Math.max(1, r.end - r.start);
  const x = (t: number) => left + ((t - r.start) / span) * (W - left - 20);
  const maxMs = 500;
  const y = (ms: number) => top + plotH - (Math.min(ms, maxMs) / maxMs) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold">${esc(m.title)}</text>`,
    `<rect x="${x(m.migrationStart)}" y="${top}" width="` +
      `${Math.max(1, x(m.migrationEnd) - x(m.migrationStart))}" height="${plotH}" fill="#dde8ff"/>`,
    `<text x="${x(m.migrationStart) + 3}" y="${top + 12}" fill="#3355aa">migration</text>`,
  ];
  for (const g of r.stream.gaps) {
    parts.push(
      `<rect x="${x(g.from)}" y="${top + plotH + 4}" width="${Math.max(1, x(g.from + g.ms) - x(g.from))}" ` +
        `height="6" fill="orange"><title>stream silent ${g.ms} ms</title></rect>`,
    );
  }
  for (const p of r.probes) {
    const color = p.ok ? '#2a9d4b' : '#d62828';
    const h = p.ok ? y(p.ms) : top;
    parts.push(
      `<rect x="${x(p.t) - 1.5}" y="${h}" width="3" height="${top + plotH - h}" fill="${color}"><title>` +
        `${new Date(p.t).toISOString()} ${p.ok ? `${p.ms} ms` : `failed: ${esc(p.error ?? '')}`}</title></rect>`,
    );
  }
  if (m.routeMovedAt !== undefined) {
    parts.push(
      `<line x1="${x(m.routeMovedAt)}" x2="${x(m.routeMovedAt)}" y1="${top}" y2="${top + plotH}" ` +
        `stroke="#7b2cbf" stroke-width="2" stroke-dasharray="4 3"/>`,
    );
    parts.push(
      `<text x="${x(m.routeMovedAt) + 3}" y="${top + 26}" fill="#7b2cbf">route moved` +
        `${m.routeRouter ? ` (${esc(m.routeRouter)})` : ''}</text>`,
    );
  }
  parts.push(
    `<line x1="${left}" x2="${W - 20}" y1="${top + plotH}" y2="${top + plotH}" stroke="black"/>`,
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="black"/>`,
    `<text x="${left - 5}" y="${y(maxMs) + 4}" text-anchor="end">≥${maxMs} ms</text>`,
    `<text x="${left - 5}" y="${y(0)}" text-anchor="end">0</text>`,
    `<text x="${left}" y="${top + plotH + 26}">0 s</text>`,
    `<text x="${W - 20}" y="${top + plotH + 26}" text-anchor="end">${(span / 1000).toFixed(1)} s</text>`,
    `<text x="${left}" y="${H - 12}">bars: probe latency (green answered, red failed) · shaded: migration · ` +
      `orange: stream silent &gt; 200 ms · dashed: route moved</text>`,
    '</svg>',
  );
  return parts.join('\n') + '\n';
}
