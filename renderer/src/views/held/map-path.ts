/** Where the owner maps one sender: `#/held/lead-optin/<shape>`. */
export const mapPath = (endpoint: string, shape: string) => `/held/${encodeURIComponent(endpoint)}/${encodeURIComponent(shape)}`;
