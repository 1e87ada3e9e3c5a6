// @datadog/sketches-js requires protobufjs (a dev dependency of it) only in DDSketch.toProto/fromProto, which
// Loglens never calls. The build resolves its import here (vite.config.ts): the module runs only if they are.
export const roots = {};
export const util = {};
export const Reader = undefined;
export const Writer = undefined;
