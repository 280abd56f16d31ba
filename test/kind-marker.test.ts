// kind teardown removes only what bring-up recorded in its lab's marker: never `/`,
// the home folder or the working directory, never a bridge that existed before.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assertRemovableLabDir, readMarker, writeMarker, toBeMade, MARKER_FILE } from '../testbeds/kind/marker.ts';
import { downKind, kindOptions } from '../testbeds/kind/testbed.ts';
import { kindDownPlan } from '../testbeds/kind/plan.ts';
import { loadTopology } from '../topology/load.ts';

const t = loadTopology('multicluster');
const scratch = mkdtempSync(join(tmpdir(), 'l2s-kind-marker-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('kind lab marker', () => {
  it('refuses to treat /, the home folder, the working directory or a parent of them as a lab', () => {
    for (const dir of ['/', homedir(), process.cwd(), dirname(process.cwd())]) {
      expect(() => assertRemovableLabDir(dir), dir).toThrow(/l2stretch removes only a lab directory of its own/);
    }
    expect(() => assertRemovableLabDir(join(scratch, 'lab'))).not.toThrow();
  });

  it('teardown of a folder without the marker removes nothing, and says so', async () => {
    const lab = join(scratch, 'not-a-lab');
    mkdirSync(lab);
    writeFileSync(join(lab, 'precious'), 'x');
    const o = kindOptions({ labDir: lab, onProgress: () => undefined });
    await expect(downKind(t, o)).rejects.toThrow(
      `lab directory ${lab}: no ${MARKER_FILE}, so not a lab l2stretch made; nothing removed`,
    );
    expect(existsSync(join(lab, 'precious'))).toBe(true);
    await expect(downKind(t, kindOptions({ labDir: homedir(), onProgress: () => undefined }))).rejects.toThrow();
  });

  it('a marker copied from another lab is refused', async () => {
    const lab = join(scratch, 'copied');
    mkdirSync(lab);
    writeFileSync(join(lab, MARKER_FILE), JSON.stringify(toBeMade(t, join(scratch, 'elsewhere'))));
    expect(() => readMarker(lab)).toThrow(`${MARKER_FILE} is not this lab's; nothing removed`);
  });

  it('bring-up refuses a switch named like a bridge that exists (docker0, lo), before making anything', async () => {
    const lab = join(scratch, 'taken');
    const taken = { ...t, fabric: { ...t.fabric, switches: ['lo', ...t.fabric.switches] } };
    await expect(writeMarker(taken, lab)).rejects.toThrow("bridge(s) lo exist already: rename the topology's switches");
    expect(existsSync(lab)).toBe(false);
  });

  it('the teardown plan deletes the recorded clusters and bridges, and only those', async () => {
    const lab = join(scratch, 'lab');
    const made = await writeMarker(t, lab);
    expect(readMarker(lab)).toEqual(made);
    const argv = kindDownPlan(
      { ...made, bridges: made.bridges.slice(0, 1) },
      kindOptions({ labDir: lab, onProgress: () => undefined }),
    )
      .flatMap((s) => s.steps)
      .flatMap((s) => (s.kind === 'run' ? [s.argv.join(' ')] : []));
    expect(argv).toContain(`ip link del dev ${made.bridges[0]}`);
    expect(argv).not.toContain(`ip link del dev ${made.bridges[1]}`);
  });
});
