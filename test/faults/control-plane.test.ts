// Runs beside data-plane-and-migration.test.ts: the two files take about as long.
import { faultShard } from './shard.ts';
import { FAULT_GROUPS } from './catalogue.ts';

faultShard(0, FAULT_GROUPS[0]!);
