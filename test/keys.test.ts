// Check instance keys: how a key is written, escaped, read back and titled, and that
// a key two tests share is an error of the run.
import { describe, it, expect } from 'vitest';
import { CATALOGUE, checkIds } from '../suites/catalogue.ts';
import {
  checkKey,
  parseKey,
  keyMatches,
  instanceTitle,
  duplicateKeys,
  splitKeyList,
  type KeyParams,
} from '../suites/keys.ts';
import { checkVerdicts, type FinishedTest } from '../reports/run-record.ts';
import { instanceSelected, selectedChecks } from '../suites/selection.ts';

describe('check instance keys', () => {
  it('are the ID and the parameters in catalogue order, whatever order they are given in', () => {
    expect(checkKey('L2S-EVPN-002', { router: 'leafA' })).toBe('L2S-EVPN-002[router=leafA]');
    expect(checkKey('L2S-EVPN-001', { vni: 110, router: 'spine' })).toBe('L2S-EVPN-001[router=spine,vni=110]');
    expect(checkKey('L2S-L3-002', { vm: 'vm-1', host: 'hostA_red' })).toBe('L2S-L3-002[host=hostA_red,vm=vm-1]');
  });

  it('escape the characters that delimit a key, so that any value reads back as itself', () => {
    const odd = 'a,b=c]d[e%f g→h';
    const key = checkKey('L2S-EVPN-002', { router: odd });
    expect(key).toBe('L2S-EVPN-002[router=a%2Cb%3Dc%5Dd%5Be%25f%20g%E2%86%92h]');
    expect(parseKey(key)).toEqual({ id: 'L2S-EVPN-002', params: { router: odd } });
    expect(keyMatches(key, 'L2S-EVPN-002', { router: odd })).toBe(true);
    expect(keyMatches(key, 'L2S-EVPN-002', { router: 'a' })).toBe(false);
    expect(keyMatches(key, 'L2S-BGP-001')).toBe(false);
  });

  it('refuse parameters the catalogue does not declare, missing ones and empty values', () => {
    expect(() => checkKey('L2S-EVPN-002', { router: 'leafA', vni: 1 } as unknown as KeyParams<'L2S-EVPN-002'>)).toThrow(
      'L2S-EVPN-002: key parameters are router; unknown vni',
    );
    expect(() => checkKey('L2S-EVPN-001', { router: 'spine' } as unknown as KeyParams<'L2S-EVPN-001'>)).toThrow(
      'L2S-EVPN-001: key parameters are router, vni; missing vni',
    );
    expect(() => checkKey('L2S-EVPN-002', { router: '' })).toThrow('L2S-EVPN-002: key parameter router is empty');
  });

  it('read back only what checkKey writes', () => {
    expect(parseKey('L2S-L2-001[from=vm-1,to=vm-2]')).toEqual({
      id: 'L2S-L2-001',
      params: { from: 'vm-1', to: 'vm-2' },
    });
    for (const bad of [
      'L2S-EVPN-002',
      'L2S-EVPN-002[]',
      'L2S-EVPN-002[router=leafA',
      'L2S-EVPN-002[router=leafA,router=leafB]',
      'L2S-EVPN-002[=leafA]',
      'L2S-EVPN-002[router=%E2]',
      'L2S-L2-001[to=vm-2,from=vm-1]',
      'L2S-EVPN-002[router=a b]',
      'L2S-XYZ-001[router=a]',
      'spine',
    ])
      expect(() => parseKey(bad), bad).toThrow();
    expect(() => parseKey('L2S-L2-001[to=vm-2,from=vm-1]')).toThrow(
      'not in canonical form (L2S-L2-001[from=vm-1,to=vm-2])',
    );
  });

  it('titles fill the catalogue title from the parameters and the values shown beside them', () => {
    expect(instanceTitle('L2S-EVPN-001', { router: 'spine', vni: 110 })).toBe(
      'spine: type-3 route for VNI 110 from every node VTEP',
    );
    expect(instanceTitle('L2S-L3-003', { vm: 'vm-1', host: 'hostA_blue' }, { ip: '192.168.21.2', vrf: 'blue' })).toBe(
      'vm-1 → hostA_blue (192.168.21.2, VRF blue): must be dropped, in every probe',
    );
    expect(() => instanceTitle('L2S-BGP-001', { router: 'spine' })).toThrow(
      'L2S-BGP-001: its title needs a value for {peers}',
    );
    expect(() => instanceTitle('L2S-EVPN-002', { router: 'spine' }, { router: 'leafA', imports: '' })).toThrow(
      'L2S-EVPN-002: title value router is a key parameter',
    );
  });

  it('every catalogue entry declares identifier parameters, and each appears in its title or its describe', () => {
    for (const id of checkIds()) {
      const { params, title } = CATALOGUE[id];
      for (const p of params) expect(p, id).toMatch(/^[a-z][A-Za-z]*$/);
      expect(new Set(params).size, id).toBe(params.length);
      // Live-migration instances are titled under a describe block that names the leg.
      if (!id.startsWith('L2S-MIG-')) for (const p of params) expect(title, `${id} {${p}}`).toContain(`{${p}}`);
    }
  });

  it('lists split at the commas between keys, not those inside one', () => {
    expect(splitKeyList('L2S-BGP-001, L2S-EVPN-001[router=spine,vni=110],L2S-L2-001[from=vm-1,to=vm-2]')).toEqual([
      'L2S-BGP-001',
      'L2S-EVPN-001[router=spine,vni=110]',
      'L2S-L2-001[from=vm-1,to=vm-2]',
    ]);
  });

  it('a key two tests of a run share is reported, and a test without a key is a stray', () => {
    expect(duplicateKeys(['a', 'b', 'a', 'c', 'a'])).toEqual(['a']);
    const t = (name: string, key?: string): FinishedTest => ({
      name,
      ...(key ? { key } : {}),
      title: `s > ${name}`,
      verdict: 'passed',
      durationMs: 1,
      annotations: [],
    });
    const r = checkVerdicts(
      [
        t('L2S-BGP-001 spine: leafA Established', 'L2S-BGP-001[router=spine]'),
        t('L2S-BGP-001 spine: leafA Established', 'L2S-BGP-001[router=spine]'),
        t('L2S-BGP-001 leafA: spine Established', 'L2S-BGP-001[router=leafA]'),
        t('L2S-BGP-001 leafB: spine Established'),
        t('L2S-EVPN-002 leafB: routes', 'L2S-BGP-001[router=leafB]'),
      ],
      ['conformance'],
      ['L2S-BGP-001'],
    );
    expect(r.duplicates).toEqual(['L2S-BGP-001[router=spine]']);
    expect(r.strays).toEqual(['s > L2S-BGP-001 leafB: spine Established', 's > L2S-EVPN-002 leafB: routes']);
    expect(r.checks[0]!.instances.map((i) => i.key)).toEqual([
      'L2S-BGP-001[router=spine]',
      'L2S-BGP-001[router=spine]',
      'L2S-BGP-001[router=leafA]',
    ]);
  });

  it('--check and --skip take keys: one instance of a check, the others of it left out', () => {
    const env = { L2STRETCH_CHECKS: 'L2S-BGP-001,L2S-EVPN-001[router=spine,vni=110]' };
    expect(selectedChecks(env)).toEqual(['L2S-BGP-001', 'L2S-EVPN-001']);
    expect(instanceSelected('L2S-EVPN-001[router=spine,vni=110]', env)).toBe(true);
    expect(instanceSelected('L2S-EVPN-001[router=leafA,vni=110]', env)).toBe(false);
    expect(instanceSelected('L2S-BGP-001[router=leafA]', env)).toBe(true);
    const skip = { L2STRETCH_SKIP: 'L2S-BGP-001[router=leafA]' };
    expect(selectedChecks(skip)).toContain('L2S-BGP-001');
    expect(instanceSelected('L2S-BGP-001[router=leafA]', skip)).toBe(false);
    expect(instanceSelected('L2S-BGP-001[router=spine]', skip)).toBe(true);
    expect(() => selectedChecks({ L2STRETCH_CHECKS: 'L2S-EVPN-001[router=spine]' })).toThrow(
      'L2STRETCH_CHECKS: L2S-EVPN-001: key parameters are router, vni; missing vni',
    );
  });
});
