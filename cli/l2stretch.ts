// Entry point of the l2stretch command (see bin/l2stretch.js).
import { main } from './main.ts';

process.exit(await main(process.argv.slice(2)));
