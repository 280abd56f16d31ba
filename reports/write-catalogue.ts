// `npm run catalogue`: regenerates conformance.yaml from suites/catalogue.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueYaml } from '../suites/catalogue.ts';
import { suiteVersion } from './suite-identity.ts';
import { PACKAGE_ROOT } from '../cli/paths.ts';

const file = join(PACKAGE_ROOT, 'conformance.yaml');
writeFileSync(file, catalogueYaml(suiteVersion()));
process.stdout.write(`wrote ${file}\n`);
