/**
 * The settings' defaults as plain data: what `ConfigSchema.parse({})` gives (a unit test holds them equal). Its
 * own module, so that the page's main thread gets the defaults without config.ts' validation (zod, re2js,
 * redos-detector), which runs in the config and engine workers.
 */
import type { Config } from './config.ts';

export const DEFAULT_CONFIG: Config = Object.freeze({
  schema: 'loglens.config/1',
  maxLineBytes: 1048576,
  timeZone: 'local',
  errorLevels: ['ERROR', 'FATAL'],
  timeline: {
    maxBuckets: 2000,
  },
  spikes: {
    windowSec: 60,
    threshold: 'auto',
  },
  anomalies: {
    bucketSec: 60,
    history: 30,
    minHistory: 10,
    z: 3,
    minCount: 5,
    minStd: 1,
    minExcess: 10,
    baseline: 'robust',
  },
  incidents: {
    minSeverity: 25,
  },
  sequences: [
    {
      name: 'db-outage',
      steps: [
        {
          contains: 'connection pool exhausted',
        },
        {
          contains: 'timeout calling db',
          level: 'ERROR',
        },
        {
          contains: 'circuit breaker opened',
        },
      ],
      maxGapSec: 60,
      key: 'service',
    },
    {
      name: 'restart',
      steps: [
        {
          contains: 'shutting down',
        },
        {
          regex: '^Starting \\S+ version',
        },
        {
          contains: 'ready to accept connections',
        },
      ],
      maxGapSec: 30,
      key: 'service',
    },
  ],
  templates: {
    similarity: 0.4,
    depth: 3,
    maxChildren: 100,
    maxTemplates: 5000,
  },
  format: 'auto',
  customFormats: [],
  alerts: {
    spikes: true,
    anomalies: ['errors', 'volume'],
    sequences: 'all',
  },
}) as Config;
