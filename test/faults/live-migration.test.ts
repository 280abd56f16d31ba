import { faultShard } from './shard.ts';
import { FAULT_GROUPS } from './catalogue.ts';

faultShard(2, FAULT_GROUPS[2]!);
