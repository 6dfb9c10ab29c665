/**
 * The sandbox: the production server with an in-process Restcomm emulator as its provider, simulated
 * handsets, the sandbox phone's routes and the demo page on top. Never loaded by `flash-call-verify/server`.
 */
export { sandboxBanner } from './banner.js';
export { createSandboxRoutes } from './phone-routes.js';
export { EMULATOR_API_VERSION, EmulatorError, createRestcommEmulator, spokenText } from './restcomm-emulator.js';
export type {
  EmulatedCall,
  EmulatedCallStatus,
  EmulatedSms,
  EmulatedSmsStatus,
  EmulatorErrorCode,
  RestcommEmulator,
  RestcommEmulatorOptions,
} from './restcomm-emulator.js';
export { sandboxLayer, startSandboxServer } from './server.js';
export type { RunningSandbox } from './server.js';
