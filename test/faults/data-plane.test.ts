import { faultShard } from './shard.ts';
import { FAULT_GROUPS } from './catalogue.ts';

faultShard(1, FAULT_GROUPS[1]!);
