import * as Comlink from 'comlink';
import type { ConfigCheckApi } from '../worker/config.worker.ts';
import type { ConfigResult } from '../engine/config.ts';

/** A check that takes longer than this is given up: the worker is replaced and that config refused. */
export const CHECK_TIMEOUT_MS = 8000;

interface Job {
  call: (api: Comlink.Remote<ConfigCheckApi>) => Promise<ConfigResult>;
  resolve: (r: ConfigResult) => void;
}

/**
 * Validates configs in a worker of its own, so that no config (a share link, a saved or imported document, a
 * draft in the panel) can hold the page's main thread. Checks run one at a time, each with its own time limit
 * from when it starts: one that does not answer in time is refused and its worker replaced; the checks
 * queued behind it then run on the new one.
 */
export class ConfigChecker {
  private worker: Worker | null = null;
  private api: Comlink.Remote<ConfigCheckApi> | null = null;
  private queue: Job[] = [];
  private running = false;

  check(value: unknown): Promise<ConfigResult> {
    return this.enqueue((api) => api.check(value));
  }

  checkText(text: string): Promise<ConfigResult> {
    return this.enqueue((api) => api.checkText(text));
  }

  /** Loads the worker ahead of the first check (a cold worker takes a few hundred ms to answer). */
  warm(): void {
    this.ensure();
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    const waiting = this.queue;
    this.queue = [];
    for (const job of waiting) job.resolve(refused('the page closed the settings checker'));
  }

  private ensure(): Comlink.Remote<ConfigCheckApi> {
    if (this.api === null) {
      this.worker = new Worker(new URL('../worker/config.worker.ts', import.meta.url), { type: 'module' });
      this.api = Comlink.wrap<ConfigCheckApi>(this.worker);
    }
    return this.api;
  }

  private enqueue(call: Job['call']): Promise<ConfigResult> {
    return new Promise<ConfigResult>((resolve) => {
      this.queue.push({ call, resolve });
      void this.next();
    });
  }

  private async next(): Promise<void> {
    if (this.running) return;
    const job = this.queue.shift();
    if (job === undefined) return;
    this.running = true;
    const api = this.ensure();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<ConfigResult>((resolve) => {
      timer = setTimeout(() => {
        // a worker stuck in one check cannot be interrupted: replace it
        this.worker?.terminate();
        this.worker = null;
        this.api = null;
        resolve(
          refused(
            `the settings could not be checked within ${CHECK_TIMEOUT_MS / 1000} s (a regular expression too complex to check?)`,
          ),
        );
      }, CHECK_TIMEOUT_MS);
    });
    const answer = job
      .call(api)
      .catch((e: unknown) => refused(`could not be checked (${e instanceof Error ? e.message : String(e)})`));
    const result = await Promise.race([answer, timeout]);
    clearTimeout(timer);
    job.resolve(result);
    this.running = false;
    void this.next();
  }
}

function refused(why: string): ConfigResult {
  return { ok: false, errors: [`(document): ${why}`] };
}
