/** The build's identifier (vite.config.ts `define`): a date, or BUILD_ID from the environment. */
declare const __BUILD_ID__: string;
