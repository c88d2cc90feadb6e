// The XML-RPC value model shared by the encoder and the decoder.

/**
 * An XML-RPC `<dateTime.iso8601>`, kept as the wire text because the format carries no time zone and
 * peers disagree on separators (`20261124T02:57:23`, `2026-11-24T02:57:23Z`).
 */
export class XmlRpcDateTime {
  constructor(readonly iso: string) {}

  /** The form xmlrpc.client writes (`%Y%m%dT%H:%M:%S`), from the date's UTC fields. */
  static fromDate(date: Date): XmlRpcDateTime {
    const year = date.getUTCFullYear();
    if (Number.isNaN(date.getTime()) || year < 0 || year > 9999) {
      throw new RangeError(`XML-RPC cannot carry the date ${String(date)}`);
    }
    const p = (n: number, width = 2) => String(n).padStart(width, '0');
    return new XmlRpcDateTime(
      `${p(year, 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}T` +
        `${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`,
    );
  }

  /**
   * Reads a time without offset as UTC, which is how Odoo stores and sends datetimes. Text that is
   * not an ISO 8601 date-time gives an Invalid Date, as `new Date('...')` would.
   */
  toDate(): Date {
    const m = ISO_DATETIME.exec(this.iso.trim());
    if (!m) return new Date(Number.NaN);
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const fields = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
    const [year, month, day, hour, minute, second] = fields;
    const ms = frac ? Math.round(Number(`0${frac}`) * 1000) : 0;
    let time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    const check = new Date(time);
    // Date.UTC rolls 2026-02-30 over to March; such text is not a date.
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
      return new Date(Number.NaN);
    }
    if (zone && zone !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    return new Date(time);
  }

  toString(): string {
    return this.iso;
  }
}

const ISO_DATETIME =
  /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export type XmlRpcValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | XmlRpcDateTime
  | XmlRpcValue[]
  | { [key: string]: XmlRpcValue };

/** Integer codes on /xmlrpc/2, strings such as 'warning -- UserError\n\n...' on the legacy /xmlrpc routes. */
export interface XmlRpcFault {
  faultCode: number | string;
  faultString: string;
}

export interface XmlRpcPosition {
  line: number;
  column: number;
}

/** The text is not well-formed XML, or not the XML-RPC structure that was expected. */
export class XmlRpcParseError extends Error {
  override readonly name = 'XmlRpcParseError';
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, position?: XmlRpcPosition, options?: ErrorOptions) {
    super(position ? `${message} (line ${position.line}, column ${position.column})` : message, options);
    this.line = position?.line;
    this.column = position?.column;
  }
}
