import { faultShard } from './shard.ts';
import { FAULT_GROUPS } from './catalogue.ts';

faultShard(0, FAULT_GROUPS[0]!);
