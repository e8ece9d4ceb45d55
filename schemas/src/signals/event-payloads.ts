import type { TSchema } from '@sinclair/typebox';
import { caepEvent, riscEvent, ztiEvent, type CaepEventName, type RiscEventName, type ZtiEventName } from './event-types.js';
import { CAEP_PAYLOADS } from './events-caep.js';
import { RISC_PAYLOADS } from './events-risc.js';
import { ZTI_PAYLOADS } from './events-zti.js';

// Which payload schema each event type URI has (SIG-051: a known type whose payload does not
// validate is refused), and the registry entries of the signals family.

export const EVENT_PAYLOADS: ReadonlyMap<string, TSchema> = new Map<string, TSchema>([
  ...Object.entries(CAEP_PAYLOADS).map(([n, s]) => [caepEvent(n as CaepEventName), s] as const),
  ...Object.entries(RISC_PAYLOADS).map(([n, s]) => [riscEvent(n as RiscEventName), s] as const),
  ...Object.entries(ZTI_PAYLOADS).map(([n, s]) => [ztiEvent(n as ZtiEventName), s] as const),
]);

/** The signals family's event schemas by registry name ("caep-session-revoked", ...). */
export const EVENT_SCHEMA_ENTRIES: Record<string, TSchema> = {
  ...Object.fromEntries(Object.entries(CAEP_PAYLOADS).map(([n, s]) => [`caep-${n}`, s])),
  ...Object.fromEntries(Object.entries(RISC_PAYLOADS).map(([n, s]) => [`risc-${n}`, s])),
  ...Object.fromEntries(Object.entries(ZTI_PAYLOADS).map(([n, s]) => [`zti-${n}`, s])),
};
