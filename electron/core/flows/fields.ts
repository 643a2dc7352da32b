/**
 * Parameter and setting fields shared by the flows. Rendered parameters may be null (a missing
 * value) or a string where a number is meant (form posts): both are accepted where sensible.
 */
import { z } from 'zod';
import { audienceKey } from '../../../shared/integrations/meta.js';
import { compileTemplate } from '../triggers/template.js';

const blankToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v);

export const text = (max = 1000) => z.preprocess(blankToNull, z.string().trim().max(max).nullable());

export const email = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.email({ error: (iss) => (iss.input === null || iss.input === undefined ? 'is required' : 'must be a valid email address') }),
);

export const requiredText = (max = 1000) =>
  z.preprocess(blankToNull, z.string({ error: (iss) => (iss.input === null ? 'is required' : 'must be text') }).trim().min(1).max(max));

const toNumber = (v: unknown) => {
  const b = blankToNull(v);
  return typeof b === 'string' && /^-?\d+(\.\d+)?$/.test(b.trim()) ? Number(b) : b;
};

export const number = (min: number, max: number) => z.preprocess(toNumber, z.number().min(min).max(max).nullable());

/** 0-10 ratings keyed by system name, as the assessment endpoint stores them. */
export const ratings = z.preprocess(blankToNull, z.record(z.string(), z.preprocess(toNumber, z.number().min(0).max(10))).nullable());

// --- settings ---

export const templateId = (def: string) => z.string().trim().min(1).max(200).default(def);
export const eventName = (def: string) =>
  z.string().trim().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be 1-100 letters, digits, "_", "." or "-"').default(def);
export const audience = (def: string) => audienceKey.default(def);
export const points = (def: number) => z.number().int().min(0).max(1000).default(def);
export const color = (def: number) => z.number().int().min(0).max(0xffffff).default(def);

/** Where an alert goes: a Discord post, a desktop notification on this computer, or both. */
export const ALERT_CHANNELS = ['discord', 'desktop'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];
export const alertChannels = () =>
  z
    .array(z.enum(ALERT_CHANNELS, { error: 'must be Discord or desktop' }))
    .max(ALERT_CHANNELS.length)
    .transform((c) => [...new Set(c)])
    .default([...ALERT_CHANNELS]);

/** "alerts Discord and this computer", as a flow's description says it. */
export function alertWords(channels: readonly AlertChannel[]): string {
  const where = channels.map((c) => (c === 'discord' ? 'Discord' : 'this computer'));
  return where.length ? `alerts ${where.join(' and ')}` : 'raises no alert';
}

/** A step's skip reason when the owner turned its alert channel off. */
export const channelOff = (channels: readonly AlertChannel[], channel: AlertChannel): string | null =>
  channels.includes(channel) ? null : `${channel === 'discord' ? 'Discord alerts are' : 'desktop alerts are'} turned off in this automation's settings`;

/** A message template over the flow's parameters, checked when the setting is saved. */
export const messageTemplate = (def: string, roots: readonly string[]) =>
  z
    .string()
    .min(1)
    .max(2000)
    .superRefine((t, ctx) => {
      try {
        compileTemplate(t, roots);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    })
    .default(def);
