import type { Config, ConfigResult } from '../engine/config.ts';
import { DEFAULT_CONFIG } from '../engine/config-defaults.ts';
import { ConfigChecker } from './config-check.ts';

const STORAGE_KEY = 'loglens.config';
const BACKUP_KEY = 'loglens.config.unreadable';
const HASH_PREFIX = '#config=';
/** the longest query a link may carry (the filter bar's input takes as much) */
export const MAX_LINK_QUERY = 2000;

/**
 * The URL fragment's parts: `#config=…` (the settings, base64url JSON), `q=…` (the dashboard's query, URI
 * encoded), either or both (`#config=…&q=…`). Never any data from the log, beyond what the user typed or clicked.
 */
export function hashParts(hash: string): { config: string | null; q: string | null } {
  // read once, never kept: nothing here needs to be reactive
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const q = params.get('q');
  return { config: params.get('config'), q: q === null ? null : q.slice(0, MAX_LINK_QUERY) };
}

/** The fragment that carries a query ('' for none). */
export function queryHash(q: string): string {
  return q ? `#q=${encodeURIComponent(q)}` : '';
}

export interface Notice {
  kind: 'info' | 'error';
  text: string;
}

/**
 * The settings: one validated `loglens.config/1` document, kept in local storage, exported and imported as a
 * file, shared as a link (the config only, never data, in the URL fragment — which browsers never send to a
 * server). Storage failures (private mode, quota) degrade to a notice.
 */
export class Settings {
  config = $state.raw<Config>(DEFAULT_CONFIG);
  notice = $state<Notice | null>(null);
  /** checks in progress (saved settings, a link, an import): the page shows them as being checked */
  checking = $state(0);
  /** settled once the saved settings have been checked (an analysis started before waits for it) */
  readonly ready: Promise<void>;
  readonly checker = new ConfigChecker();

  constructor(private readonly storage: Storage | null = safeStorage()) {
    this.ready = this.load();
  }

  /** bumped by every change of the settings: a check's late answer does not undo a newer choice */
  private generation = 0;

  /**
   * Validates off the main thread (src/lib/config-check.ts), counting the check as in progress. Null when the
   * settings changed while it ran (the newer choice stands).
   */
  private async checked(run: () => Promise<ConfigResult>): Promise<ConfigResult | null> {
    const asked = this.generation;
    this.checking++;
    try {
      const result = await run();
      return asked === this.generation ? result : null;
    } finally {
      this.checking--;
    }
  }

  private async load(): Promise<void> {
    let text: string | null;
    try {
      text = this.storage?.getItem(STORAGE_KEY) ?? null;
    } catch {
      this.notice = {
        kind: 'error',
        text: 'Settings cannot be read from this browser’s storage; defaults are in use.',
      };
      return;
    }
    if (text === null) return;
    this.notice = { kind: 'info', text: 'Checking your saved settings…' };
    const result = await this.checked(() => this.checker.checkText(text));
    if (this.notice?.text === 'Checking your saved settings…') this.notice = null;
    if (result === null) return; // settings chosen meanwhile (a link, an import, a reset) stand
    if (result.ok) {
      this.config = result.config;
      return;
    }
    // Keep what the user made, even if it no longer validates, rather than overwrite it.
    this.write(BACKUP_KEY, text);
    this.notice = {
      kind: 'error',
      text: `Your saved settings are not valid any more (${result.errors.join('; ')}); defaults are in use and the saved copy is kept under "${BACKUP_KEY}".`,
    };
  }

  private write(key: string, value: string): boolean {
    try {
      this.storage?.setItem(key, value);
      return true;
    } catch {
      this.notice = {
        kind: 'error',
        text: 'Settings could not be saved in this browser (storage full or disabled); they apply until you leave the page.',
      };
      return false;
    }
  }

  /** Applies a validated config and keeps it; false when it could not be kept (it still applies in this tab). */
  set(config: Config): boolean {
    this.generation++;
    this.config = config;
    return this.write(STORAGE_KEY, JSON.stringify(config));
  }

  reset(): void {
    if (this.set(DEFAULT_CONFIG)) this.notice = { kind: 'info', text: 'Settings reset to the defaults.' };
  }

  /** Applies a config file's text, or leaves everything as it was and says why. */
  async importText(text: string, source: string): Promise<ConfigResult> {
    this.notice = { kind: 'info', text: `Checking the settings in ${source}…` };
    const result = await this.checked(() => this.checker.checkText(text));
    if (result === null) {
      this.notice = {
        kind: 'info',
        text: `${source} was not applied: the settings changed while it was checked.`,
      };
      return { ok: false, errors: ['(document): the settings changed while it was checked'] };
    }
    if (result.ok) {
      if (this.set(result.config)) this.notice = { kind: 'info', text: `Settings imported from ${source}.` };
    } else {
      this.notice = {
        kind: 'error',
        text: `${source} was not imported: ${result.errors.join('; ')}. Your settings are unchanged.`,
      };
    }
    return result;
  }

  exportText(): string {
    return JSON.stringify(this.config, null, 2) + '\n';
  }

  /**
   * A link to this page that carries the settings (never any data) in its fragment, and the query of the view
   * `base` shows (its `#q=`), if any.
   */
  shareLink(base: string): string {
    const [page, hash = ''] = base.split('#');
    const q = hashParts(hash).q;
    const query = q ? `&q=${encodeURIComponent(q)}` : '';
    return `${page}${HASH_PREFIX}${encodeBase64Url(JSON.stringify(this.config))}${query}`;
  }

  /**
   * Applies settings from a share link's fragment; returns true when the fragment held some (valid or not).
   * They are checked in the settings worker: the page shows them as being checked until then.
   */
  loadFromHash(hash: string): boolean {
    const encoded = hash.startsWith(HASH_PREFIX) ? hashParts(hash).config : null;
    if (encoded === null) return false;
    let value: unknown;
    try {
      value = JSON.parse(decodeBase64Url(encoded));
    } catch {
      this.notice = {
        kind: 'error',
        text: 'The link’s settings could not be read (the link looks cut or altered). Your settings are unchanged.',
      };
      return true;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.notice = {
        kind: 'error',
        text: `The link holds no settings (${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value} instead of a settings document). Your settings are unchanged.`,
      };
      return true;
    }
    this.notice = { kind: 'info', text: 'Checking the link’s settings…' };
    void this.checked(() => this.checker.check(value)).then((result) => {
      if (result === null) {
        this.notice = {
          kind: 'info',
          text: 'The link’s settings were not applied: you changed the settings while they were checked.',
        };
        return;
      }
      if (result.ok) {
        if (this.set(result.config)) this.notice = { kind: 'info', text: 'Settings loaded from the link.' };
        else
          this.notice = {
            kind: 'error',
            text: 'The link’s settings apply in this tab only: this browser could not save them (storage full or disabled), so a reload goes back to your previous settings.',
          };
      } else {
        this.notice = {
          kind: 'error',
          text: `The link’s settings are not valid: ${result.errors.join('; ')}. Your settings are unchanged.`,
        };
      }
    });
    return true;
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function encodeBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeBase64Url(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
