import { describe, it, expect } from 'vitest';
import { loadTopology } from '../topology/load.ts';
import { renderFabricRouter } from '../topology/frr-fabric.ts';
import { parseUnderlays } from '../testbeds/embedded/openperouter.ts';
import { renderNodeFrr } from '../testbeds/embedded/openperouter-node.ts';
import { stageManifests } from '../topology/manifests.ts';
import { OPENPEROUTER_RELEASES } from '../topology/openperouter.ts';

const V005 = OPENPEROUTER_RELEASES['v0.0.5'];
import { needsShared, sharedText } from './shared.ts';

/**
 * FRR configs "equal in substance": each configuration line keyed by the stanza it
 * belongs to (router bgp … / vrf … / address-family …), order-insensitive within
 * the file, without comments, logging, debug, hostname and nht lines.
 */
function substance(config: string): string[] {
  const out: string[] = [];
  let top = '';
  let af = '';
  for (const raw of config.split('\n')) {
    const line = raw.trim().replace(/\s+/g, ' ');
    if (!line || line.startsWith('!') || /^(log |debug |hostname |ip nht |ipv6 nht |frr defaults)/.test(line)) continue;
    if (line === 'exit' || line === 'exit-vrf') {
      top = '';
      af = '';
      continue;
    }
    if (line === 'exit-address-family') {
      af = '';
      continue;
    }
    if (/^(router |vrf |route-map )/.test(line) && !raw.startsWith(' ')) {
      top = line;
      af = '';
      out.push(line);
      continue;
    }
    if (line.startsWith('address-family ')) {
      af = line;
      continue;
    }
    out.push(`${top} | ${af} | ${line}`);
  }
  return out.sort();
}

const t = loadTopology('multicluster');
const opts = { logFile: '/tmp/x.log' };
const clab = ['openperouter', 'c9d591a', 'clab', 'multicluster'];

describe('fabric FRR renderer', () => {
  it('spine equals the walkthrough spine config in substance', (ctx) => {
    needsShared(ctx);
    expect(substance(renderFabricRouter(t, 'spine', opts))).toEqual(
      substance(sharedText(...clab, 'spine', 'frr.conf')),
    );
  });

  it('ToRs equal the walkthrough leafkind-a/-b configs in substance', (ctx) => {
    needsShared(ctx);
    for (const tor of ['leafkind-a', 'leafkind-b']) {
      expect(substance(renderFabricRouter(t, tor, opts))).toEqual(substance(sharedText(...clab, tor, 'frr.conf')));
    }
  });

  it('leaves equal the leaf template rendered with DEMO_MODE=true in substance', (ctx) => {
    needsShared(ctx);
    for (const leaf of ['leafA', 'leafB']) {
      expect(substance(renderFabricRouter(t, leaf, opts))).toEqual(
        substance(sharedText('openperouter', 'derived', `c9d591a-${leaf}-frr.conf.DEMO_MODE-true`)),
      );
    }
  });

  it('every router of the built-in topology renders, with its name and log file', () => {
    for (const name of Object.keys(t.fabric.routers)) {
      const conf = renderFabricRouter(t, name, opts);
      expect(conf).toContain(`hostname ${name}\n`);
      expect(conf).toContain('log file /tmp/x.log\n');
      expect(conf).toContain('advertise-all-vni');
    }
    expect(() => renderFabricRouter(t, 'nope', opts)).toThrowError(/has no fabric router nope/);
  });
});

describe('openperouter node renderer', () => {
  const nodes = [
    ['pe-kind-a', 'pe-kind-a-control-plane', 0],
    ['pe-kind-a', 'pe-kind-a-worker', 1],
    ['pe-kind-b', 'pe-kind-b-control-plane', 0],
    ['pe-kind-b', 'pe-kind-b-worker', 1],
  ] as const;
  for (const [cluster, node, index] of nodes) {
    it(`${node} equals openperouter's expected rendering in substance`, (ctx) => {
      needsShared(ctx);
      const [u] = parseUnderlays(stageManifests(cluster, 'underlay', 'v0.0.5'), V005);
      const mine = renderNodeFrr(u!.spec, { node, index }, [{ vrf: 'red', vni: 100 }], '/tmp/x.log', V005);
      expect(substance(mine)).toEqual(
        substance(sharedText('openperouter', 'derived', `c9d591a-openperouter-frr.conf-${node}.expected`)),
      );
    });
  }

  it('without an L3VNI there is no VRF stanza, and the VTEP follows the node index', () => {
    const [u] = parseUnderlays(stageManifests('pe-kind-b', 'underlay', 'v0.0.5'), V005);
    const conf = renderNodeFrr(u!.spec, { node: 'pe-kind-b-worker', index: 1 }, [], '/tmp/x.log', V005);
    expect(conf).not.toMatch(/^vrf /m);
    expect(conf).toContain('network 100.65.1.1/32');
    expect(conf).toContain('bgp router-id 10.0.1.2');
  });
});
