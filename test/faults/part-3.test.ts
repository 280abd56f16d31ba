import { faultPart } from './shard.ts';

faultPart(import.meta.url);
