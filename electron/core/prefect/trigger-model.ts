/**
 * Prefect 3's deployment trigger model as `prefect.yaml` holds it (DeploymentEventTrigger:
 * EventTrigger's fields plus the automation's name, description and enabled, and the
 * RunDeployment action's parameters, job_variables and schedule_after), and the deployment
 * entries around it. `exportedTrigger` is strict: the export must write nothing Prefect would
 * silently ignore. `importedTrigger` reads what Prefect reads (unknown keys are ignored there too).
 */
import { z } from 'zod';

/** A timedelta as pydantic reads it: seconds, or an ISO 8601 duration such as "PT10M" or "P7D". */
export const duration = z.union([
  z.number().min(0),
  z
    .string()
    .regex(/^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/, 'must be seconds or an ISO 8601 duration such as "PT10M"')
    .refine((s) => s !== 'P' && !s.endsWith('T'), 'must be seconds or an ISO 8601 duration such as "PT10M"'),
]);

export function durationSeconds(d: z.infer<typeof duration>): number {
  if (typeof d === 'number') return d;
  const m = /^P(?:([\d.]+)W)?(?:([\d.]+)D)?(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?$/.exec(d)!;
  const [w, dd, h, mm, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  return (((w * 7 + dd) * 24 + h) * 60 + mm) * 60 + s;
}

const labelValues = z.union([z.string(), z.array(z.string())]);
export const resourceSpecification = z.record(z.string(), labelValues);

const triggerShape = {
  type: z.literal('event'),
  name: z.string().nullable(),
  description: z.string(),
  enabled: z.boolean(),
  match: resourceSpecification,
  match_related: z.union([resourceSpecification, z.array(resourceSpecification)]),
  after: z.array(z.string()),
  expect: z.array(z.string()),
  for_each: z.array(z.string()),
  posture: z.enum(['Reactive', 'Proactive']),
  threshold: z.number().int(),
  within: duration,
  parameters: z.record(z.string(), z.unknown()).nullable(),
  job_variables: z.record(z.string(), z.unknown()).nullable(),
  schedule_after: duration,
};

/** What the export writes: every field explicit, nothing else. */
export const exportedTrigger = z.object(triggerShape).strict();
export type ExportedTrigger = z.infer<typeof exportedTrigger>;

/** What Prefect accepts, with its defaults (type defaults to "event"; other types are named so they can be refused). */
export const importedTrigger = z.object({
  type: z.string().default('event'),
  name: triggerShape.name.optional(),
  description: triggerShape.description.default(''),
  enabled: triggerShape.enabled.default(true),
  match: resourceSpecification.default({}),
  match_related: triggerShape.match_related.default({}),
  after: triggerShape.after.default([]),
  expect: triggerShape.expect.default([]),
  for_each: triggerShape.for_each.default([]),
  posture: z.enum(['Reactive', 'Proactive', 'Metric']).default('Reactive'),
  threshold: triggerShape.threshold.default(1),
  within: duration.default(0),
  parameters: triggerShape.parameters.optional(),
  job_variables: triggerShape.job_variables.optional(),
  schedule_after: duration.default(0),
});
export type ImportedTrigger = z.infer<typeof importedTrigger>;

export const exportedDeployment = z
  .object({
    name: z.string().min(1),
    description: z.string(),
    entrypoint: z.string().regex(/^[^:]+\.py:[A-Za-z_][A-Za-z0-9_]*$/, 'must be "path/to/file.py:function"'),
    tags: z.array(z.string()),
    triggers: z.array(exportedTrigger),
  })
  .strict();

export const exportedPrefectYaml = z.object({ name: z.string(), 'prefect-version': z.string(), deployments: z.array(exportedDeployment) }).strict();

export const importedDeployment = z.object({ name: z.string().min(1), triggers: z.array(z.unknown()).default([]) });
