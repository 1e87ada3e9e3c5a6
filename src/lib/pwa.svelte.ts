import { registerSW } from 'virtual:pwa-register';

/** The install prompt Chromium offers (not in TypeScript's DOM types yet). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/**
 * The installed-app side of the page: the service worker (registered here, so the page decides when a new
 * version takes over: "Reload to update"), the install prompt, and files handed over by the OS ("open with").
 * Everything degrades quietly where a browser lacks the API (File Handling and install prompts are
 * Chromium-only).
 */
export class Pwa {
  /** a new version is installed and waiting */
  needRefresh = $state(false);
  /** everything the app needs is cached: it works offline */
  offlineReady = $state(false);
  /** the browser offers installation */
  canInstall = $state(false);
  private deferred: BeforeInstallPromptEvent | null = null;
  private update: ((reload?: boolean) => Promise<void>) | null = null;

  start(onLaunchFiles: (files: File[]) => void): void {
    if ('serviceWorker' in navigator) {
      this.update = registerSW({
        immediate: true,
        onNeedRefresh: () => (this.needRefresh = true),
        onOfflineReady: () => (this.offlineReady = true),
      });
    }
    window.addEventListener('beforeinstallprompt', (e) => {
      e.preventDefault();
      this.deferred = e as BeforeInstallPromptEvent;
      this.canInstall = true;
    });
    window.addEventListener('appinstalled', () => {
      this.canInstall = false;
      this.deferred = null;
    });
    // File Handling: the installed app launched with files ("open with Loglens").
    const lq = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
    lq?.setConsumer(async (params) => {
      try {
        const handles = params.files ?? [];
        const files = await Promise.all(handles.map((h) => h.getFile()));
        if (files.length > 0) onLaunchFiles(files);
      } catch {
        // a file gone or not permitted: nothing to open; the page stays as it is
      }
    });
  }

  async install(): Promise<void> {
    const e = this.deferred;
    if (!e) return;
    this.deferred = null;
    this.canInstall = false;
    try {
      await e.prompt();
    } catch {
      // the prompt can only be shown once per event; the browser's own install entry remains
    }
  }

  /** Switches to the waiting version and reloads once it controls the page. */
  async reload(): Promise<void> {
    const reg = await navigator.serviceWorker?.getRegistration();
    if (!reg?.waiting) {
      await this.update?.(true);
      return;
    }
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), {
      once: true,
    });
    reg.waiting.postMessage({ type: 'SKIP_WAITING' });
  }
}

interface LaunchQueue {
  setConsumer(consumer: (params: { files?: readonly { getFile(): Promise<File> }[] }) => void): void;
}
