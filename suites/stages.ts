/** The order conformance runs in; a stage runs only when every earlier one passed. */
export const STAGES = ['bgp-sessions', 'evpn-routes', 'l2-stretch', 'l3vni', 'live-migration'] as const;
export type Stage = (typeof STAGES)[number];
