/** Every integration's non-secret options, validated when settings are saved (not only when used). */
import { INTEGRATION_NAMES, INTEGRATIONS, isIntegrationName } from '../../../shared/integrations/index.js';
import type { SettingsValidator } from '../storage/settings-store.js';

export const validateIntegrationOptions: SettingsValidator = (s) =>
  Object.entries(s.integrations).flatMap(([name, value]) => {
    if (!isIntegrationName(name)) return [{ path: `integrations.${name}`, message: `is not an integration (use ${INTEGRATION_NAMES.join(', ')})` }];
    // Strict on save, so a typo in an option name is refused instead of silently ignored.
    const parsed = INTEGRATIONS[name].options.strict().safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: ['integrations', name, ...i.path.map(String)].join('.'), message: i.message }));
  });
