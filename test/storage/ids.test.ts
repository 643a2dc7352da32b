import { expect, it } from 'vitest';
import { uuidv7 } from '../../electron/core/ids.js';

it('uuidv7: RFC 9562 layout, unique, ordered by time', () => {
  // First, while no later time has been seen: the 48-bit Unix-ms prefix, then version 7.
  expect(uuidv7(0x0123456789ab).startsWith('01234567-89ab-7')).toBe(true);
  const ids = Array.from({ length: 5000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
  for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
});

it('uuidv7: ids made in the same millisecond, or after the clock stepped back, still sort in the order made', () => {
  const at = 1_800_000_000_000;
  const ids = [...Array.from({ length: 2000 }, () => uuidv7(at)), ...Array.from({ length: 100 }, () => uuidv7(at - 5_000))];
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
});
