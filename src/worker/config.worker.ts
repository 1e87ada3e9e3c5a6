/**
 * Validates configs off the page's main thread: a config carries user regexes (proved safe or moved to the
 * linear engine here, which takes up to a second or two for an odd pattern) and sample lines run against them.
 */
import * as Comlink from 'comlink';
import { parseConfig, parseConfigText, type ConfigResult } from '../engine/config.ts';

const api = {
  check(value: unknown): ConfigResult {
    return parseConfig(value);
  },
  checkText(text: string): ConfigResult {
    return parseConfigText(text);
  },
};

export type ConfigCheckApi = typeof api;

Comlink.expose(api);
