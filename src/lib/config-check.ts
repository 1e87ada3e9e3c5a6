import * as Comlink from 'comlink';
import type { ConfigCheckApi } from '../worker/config.worker.ts';
import type { ConfigResult } from '../engine/config.ts';

/** A check that takes longer than this is given up: the worker is replaced and the config refused. */
export const CHECK_TIMEOUT_MS = 8000;

/**
 * Validates configs in a worker of its own, so that no config (a share link, a saved or imported document, a
 * draft in the panel) can hold the page's main thread. Checks run one after another in that worker; one that
 * does not answer in time terminates it, and every check still waiting is answered as failed.
 */
export class ConfigChecker {
  private worker: Worker | null = null;
  private api: Comlink.Remote<ConfigCheckApi> | null = null;
  private pending = new Set<(r: ConfigResult) => void>();

  check(value: unknown): Promise<ConfigResult> {
    return this.run((api) => api.check(value));
  }

  checkText(text: string): Promise<ConfigResult> {
    return this.run((api) => api.checkText(text));
  }

  /** Loads the worker ahead of the first check (a cold worker takes a few hundred ms to answer). */
  warm(): void {
    void this.check({});
  }

  dispose(): void {
    this.stop('the page closed the settings checker');
  }

  private run(call: (api: Comlink.Remote<ConfigCheckApi>) => Promise<ConfigResult>): Promise<ConfigResult> {
    if (this.api === null) {
      this.worker = new Worker(new URL('../worker/config.worker.ts', import.meta.url), { type: 'module' });
      this.api = Comlink.wrap<ConfigCheckApi>(this.worker);
    }
    const api = this.api;
    return new Promise<ConfigResult>((resolve) => {
      const done = (r: ConfigResult): void => {
        clearTimeout(timer);
        this.pending.delete(done);
        resolve(r);
      };
      this.pending.add(done);
      const timer = setTimeout(
        () =>
          this.stop(
            `the settings could not be checked within ${CHECK_TIMEOUT_MS / 1000} s (a regular expression too complex to check?)`,
          ),
        CHECK_TIMEOUT_MS,
      );
      call(api).then(done, (e: unknown) =>
        done({
          ok: false,
          errors: [`(document): could not be checked (${e instanceof Error ? e.message : String(e)})`],
        }),
      );
    });
  }

  private stop(why: string): void {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    const waiting = [...this.pending];
    this.pending.clear();
    for (const done of waiting) done({ ok: false, errors: [`(document): ${why}`] });
  }
}
