import { z } from 'zod';

/** A list's offset in the URL (`offset=50`); a bad one is the first page. */
export const offsetParam = z.coerce.number().int().min(0).default(0);
