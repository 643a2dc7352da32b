/** Starts test/engine/core-process.ts as a child Node process pointed at the vendor fakes. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Fakes } from '../fakes/vendors.js';
import type { CoreProcessConfig } from './core-process.js';

export interface CoreProcess {
  child: ChildProcess;
  port: number;
  /** The admin API's port, when the config gave an adminToken. */
  adminPort: number | null;
  stderr: string[];
  /** Resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Secrets and settings that point every integration at the fakes (Loops optionally elsewhere). */
export function fakesConfig(fakes: Fakes, dataDir: string, loopsBaseUrl = fakes.loops.url): CoreProcessConfig {
  return {
    dataDir,
    secrets: {
      'integration.loops.api_key': fakes.loops.apiKey,
      'integration.discord.webhook_url': fakes.discord.webhookUrl,
      'integration.slack.webhook_url': fakes.slack.webhookUrl,
      'integration.notion.token': fakes.notion.token,
      'integration.meta.access_token': fakes.meta.accessToken,
    },
    settings: {
      integrations: {
        loops: { base_url: loopsBaseUrl },
        notion: { base_url: fakes.notion.url, data_source_id: fakes.notion.dataSourceId },
        meta: { base_url: fakes.meta.url, audiences: fakes.meta.audienceIds },
      },
    },
  };
}

/**
 * LEADBELL_CORE_NODE_ARGS adds Node flags to the core process, e.g. to profile it under a benchmark:
 * `LEADBELL_CORE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- engine`.
 */
export async function startCoreProcess(config: CoreProcessConfig): Promise<CoreProcess> {
  const nodeArgs = process.env.LEADBELL_CORE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(import.meta.dirname, 'core-process.ts')], {
    env: { ...process.env, CORE_PROCESS_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { port, adminPort } = await new Promise<{ port: number; adminPort: number | null }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l) as { port: number; adminPort: number | null }));
    child.once('exit', (code) => reject(new Error(`the core exited (${code}) before it started:\n${stderr.join('\n')}`)));
  });
  return {
    child,
    port,
    adminPort,
    stderr,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
