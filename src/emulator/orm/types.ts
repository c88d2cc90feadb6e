// Shared shapes of the emulator's in-memory ORM. The store, the domain engine and the protocol
// front ends all speak these, so none of them needs to know how the others are built.

/** One field as Odoo's fields_get describes it (the dataset files keep every attribute). */
export interface FieldDef {
  name?: string;
  type: string;
  string?: string;
  relation?: string;
  relation_field?: string;
  required?: boolean;
  readonly?: boolean;
  store?: boolean;
  searchable?: boolean;
  sortable?: boolean;
  selection?: Array<[string, string]>;
  help?: string;
  [attribute: string]: unknown;
}

export type FieldMap = Record<string, FieldDef>;

/**
 * A stored record. Values use Odoo's read() encoding with two differences that make joins cheap:
 * many2one is the bare id (or false) and x2many is a plain id list.
 */
export type Row = Record<string, unknown> & { id: number };

/** Odoo major version profile the emulator answers as. */
export type OdooVersion = '15.0' | '16.0' | '17.0' | '18.0' | '19.0';

/** The major number of a version ('16.0' -> 16), for "from 18 on" / "up to 17" conditions. */
export function majorOf(version: OdooVersion): number {
  return Number.parseInt(version, 10);
}

/** What the domain engine and the ordering code need to see of the store. */
export interface DomainEnv {
  readonly version: OdooVersion;
  /** The fields of a model, or undefined when the model is unknown. */
  fields(model: string): FieldMap | undefined;
  /** One row by id, whatever its `active` value; undefined when missing. */
  row(model: string, id: number): Row | undefined;
  /** Every row of a model, inactive ones included, in id order. */
  rows(model: string): readonly Row[];
  /** The display_name Odoo would compute for a row (used by name matching on relations). */
  displayName(model: string, id: number): string;
}

/** Raised for domain/order errors; `pyType` is the Python exception class Odoo would raise. */
export class OrmError extends Error {
  constructor(
    public readonly pyType: string,
    message: string,
  ) {
    super(message);
    this.name = 'OrmError';
  }
}
