/**
 * The resource label a test-fired event carries: `leadbell.test` is "true" (the owner's test,
 * sent to no connected app) or "send_for_real" (the owner chose to send it to the apps). Leads it
 * creates are test leads.
 */
export const TEST_LABEL = 'leadbell.test';
export type TestMark = 'true' | 'send_for_real';

export const testMarkLabel = (sendForReal: boolean): Record<string, TestMark> => ({ [TEST_LABEL]: sendForReal ? 'send_for_real' : 'true' });

/** How a call step held back for a test starts its reason: the test-fire summary lists it as "would have sent". */
export const TEST_HOLD_REASON = 'A test: nothing was sent to';
