// The Odoo emulator's public surface: start one, stage faults, read its request log.
export type { FaultConfig, FaultController, FaultKind, FaultTrigger } from './faults.js';
export type { Orm, OrmCall } from './orm/api.js';
export { OdooException } from './orm/api.js';
export type { OdooVersion } from './orm/types.js';
export {
  type Emulator,
  type EmulatorOptions,
  type RequestLog,
  type RequestLogEntry,
  startEmulator,
} from './server.js';
