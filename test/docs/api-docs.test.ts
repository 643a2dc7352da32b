import fs from 'node:fs';
import { expect, it } from 'vitest';
import { API_DOCS_PATH, renderApiDocs } from '../../scripts/api-docs.js';

it('docs/api.md matches the contract (regenerate with node --import tsx scripts/api-docs.ts --write)', () => {
  expect(fs.readFileSync(API_DOCS_PATH, 'utf8')).toBe(renderApiDocs());
});
