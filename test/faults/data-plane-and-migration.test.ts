// Runs beside control-plane.test.ts: the two files take about as long.
import { faultShard } from './shard.ts';
import { FAULT_GROUPS } from './catalogue.ts';

faultShard(1, FAULT_GROUPS[1]!);
faultShard(2, FAULT_GROUPS[2]!);
