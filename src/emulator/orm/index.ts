// The emulator's ORM: createOrm and the seam types the wire front ends use.

export { DEMO_API_KEYS } from './access.js';
export type { Orm, OrmCall, OrmResult } from './api.js';
export { OdooException } from './api.js';
export { createOrm, type EmulatedOrm, type OrmOptions } from './orm.js';
export type { OdooVersion } from './types.js';
