/** The admin API takes writes only as JSON (no cross-site form posts): these methods carry a JSON body. */
export const writes = (method: string): boolean => method === 'POST' || method === 'PUT' || method === 'PATCH';
