/**
 * The order conformance runs in; a stage runs only when every earlier one passed.
 * stability comes last: it compares what the routers said when the run started.
 */
export const STAGES = ['bgp-sessions', 'evpn-routes', 'l2-stretch', 'l3vni', 'live-migration', 'stability'] as const;
export type Stage = (typeof STAGES)[number];
