/**
 * The shape of one integration in the catalog: what it is called, what secrets and options it
 * takes (and from which environment variables in headless mode), how fast it may be called, and
 * how Connected apps presents it. Shared by the core and the UI, so it holds only data and zod.
 */
import { z } from 'zod';
import { httpUrl } from '../http-url.js';

/** At most `limit` calls reach the vendor in any `windowMs`. */
export interface RatePolicy {
  limit: number;
  windowMs: number;
}

/** A secret the owner pastes in; stored encrypted as `integration.<name>.<key>`. */
export interface SecretEntry<K extends string = string> {
  key: K;
  /** The environment variable that fills it in headless mode. */
  env: string;
  label: string;
  hint: string;
  /**
   * What a value must be, when not just any text (a webhook URL must be an http(s) address).
   * Checked when the secret is saved and when it comes from the environment, so a bad value is
   * refused where it is given rather than failing the first call that uses it.
   */
  value?: z.ZodType<string>;
}

/** How one option is edited in Connected apps. */
export interface OptionField<K extends string = string> {
  key: K;
  label: string;
  hint: string;
  /** 'mapping' is an object edited as name=value lines; 'list' is comma-separated; 'choice' one of `choices`. */
  kind: 'text' | 'mapping' | 'list' | 'choice';
  placeholder?: string;
  choices?: { value: string; label: string }[];
}

/** An environment variable that overrides one option; `parse` reads the variable's text. */
export interface OptionEnv {
  env: string;
  parse: z.ZodType;
}

/**
 * An answer besides 401 and 403 by which an app says it refuses its key: `status` with the JSON
 * field at `field` holding one of `values` (Meta: 400 with error.code 190). Such an answer pauses
 * the app's lane like a 401 does (shared/failure-words.ts).
 */
export interface KeyRefusedAnswer {
  status: number;
  field: readonly string[];
  values: readonly (number | string)[];
}

/** Options every integration has. */
export const baseOptions = z.object({
  /** Lets the owner switch an integration off without deleting its credentials. */
  enabled: z.boolean().default(true),
});

type Options = z.ZodObject & z.ZodType<{ enabled: boolean }>;
type OptionKey<O extends Options> = keyof z.output<O> & string;

export interface IntegrationEntry<N extends string = string, K extends string = string, O extends Options = Options> {
  name: N;
  /** How messages name it: "Loops answered 401", "Meta settings are invalid". */
  label: string;
  /** The vendor's documented rate (or a polite one where none is published). */
  rate: RatePolicy;
  secrets: readonly SecretEntry<K>[];
  /** Non-secret options, stored in settings.integrations.<name>. */
  options: O;
  optionEnv: Partial<Record<OptionKey<O>, OptionEnv>>;
  /** Connected apps: the card's title and sentence, and the options it lets the owner edit. */
  title: string;
  blurb: string;
  fields: OptionField<OptionKey<O>>[];
  /**
   * Its calls reach the lead themselves (an email, a nurture sequence, an ad audience): skipped for
   * a lead marked do-not-contact.
   */
  reachesThePerson?: boolean;
  /** Set up once this option is filled in (its secrets are then optional), instead of once every secret is set. */
  configuredBy?: OptionKey<O>;
  /** Answers besides 401/403 that mean the app refuses its key. */
  keyRefused?: readonly KeyRefusedAnswer[];
}

/** Keeps the literal name and secret keys, so secret names can be checked by the compiler. */
export const defineIntegration = <const N extends string, const K extends string, O extends Options>(
  entry: IntegrationEntry<N, K, O>,
): IntegrationEntry<N, K, O> => entry;

/** A base URL given by environment variable (called with credentials: http(s) only). */
export const envUrl = httpUrl.optional();
