/** Contract handlers: the triggers as a prefect.yaml, and a prefect.yaml (or one trigger) imported. */
import type { ApiHandlers } from '../../../shared/api/contract.js';
import { ApiError } from '../api/api-error.js';
import { exportPrefectYaml, importPrefectYaml } from './prefect-yaml.js';

type TriggerHandlers = Pick<ApiHandlers, 'listTriggers' | 'saveTrigger' | 'dryRunTrigger' | 'listFlows'>;

export function prefectApi(h: TriggerHandlers): Pick<ApiHandlers, 'exportPrefectYaml' | 'importPrefectYaml'> {
  return {
    exportPrefectYaml: async () => ({ filename: 'prefect.yaml', yaml: exportPrefectYaml((await h.listTriggers({})).items) }),

    importPrefectYaml: async ({ yaml, flows, flow, dry_run }) => {
      const knownFlows = (await h.listFlows({})).items.map((f) => f.name);
      const { drafts, problems } = importPrefectYaml(yaml, { flows, knownFlows, flow });
      // Every draft is checked (flow, patterns, templates) before any is saved: all or nothing.
      for (const [i, draft] of drafts.entries()) {
        try {
          await h.dryRunTrigger({ trigger: { ...draft, enabled: true }, limit: 1 });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          problems.push(...(e.fields ?? [{ path: '', message: e.message }]).map((f) => ({ path: `${draft.name} (#${i + 1}).${f.path}`, message: f.message })));
        }
      }
      if (problems.length) {
        throw new ApiError('invalid_input', `nothing was imported: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
      }
      if (dry_run) return { saved: false, items: drafts.map((d) => ({ ...d, id: d.id ?? null })) };
      const saved = [];
      for (const d of drafts) saved.push(await h.saveTrigger(d));
      return { saved: true, items: saved.map(({ created_at: _c, updated_at: _u, ...t }) => t) };
    },
  };
}
