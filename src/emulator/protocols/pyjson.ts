// JSON as Odoo's Python speaks it: `json.dumps` output (", " and ": " separators, Python float
// repr, NaN/Infinity) and `json.loads` error wording, because clients and the corpus see both verbatim.

/** Python's json.JSONDecodeError: `msg` is the bare reason, `message` the full text with the position. */
export class PyJsonDecodeError extends Error {
  constructor(
    readonly msg: string,
    readonly doc: string,
    readonly pos: number,
  ) {
    super(`${msg}: ${position(doc, pos)}`);
    this.name = 'PyJsonDecodeError';
  }
}

function position(doc: string, pos: number): string {
  const before = doc.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `line ${line} column ${col} (char ${pos})`;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const LITERALS: ReadonlyArray<[string, unknown]> = [
  ['null', null],
  ['true', true],
  ['false', false],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
];
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** json.loads with Python's error messages (pre-3.13 wording, as the recorded servers ran). */
export function pyJsonLoads(doc: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < doc.length && WS.has(doc[i] as string)) i++;
  };
  const fail = (msg: string, at: number): never => {
    throw new PyJsonDecodeError(msg, doc, at);
  };

  const str = (): string => {
    const start = i; // at the opening quote
    i++;
    let out = '';
    for (;;) {
      if (i >= doc.length) fail('Unterminated string starting at', start);
      const c = doc[i] as string;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = doc[i + 1];
        if (e === undefined) fail('Unterminated string starting at', start);
        if (e === 'u') {
          const hex = doc.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\uXXXX escape', i + 1);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
          continue;
        }
        const mapped = ESCAPES[e as string];
        if (mapped === undefined) fail('Invalid \\escape', i);
        out += mapped;
        i += 2;
        continue;
      }
      if (c < ' ') fail('Invalid control character at', i);
      out += c;
      i++;
    }
  };

  const value = (): unknown => {
    const c = doc[i];
    if (c === '"') return str();
    if (c === '{') return object();
    if (c === '[') return array();
    for (const [word, v] of LITERALS) {
      if (doc.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(doc);
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    return fail('Expecting value', i);
  };

  const object = (): Record<string, unknown> => {
    i++;
    const out: Record<string, unknown> = {};
    ws();
    if (doc[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      if (doc[i] !== '"') fail('Expecting property name enclosed in double quotes', i);
      const key = str();
      ws();
      if (doc[i] !== ':') fail("Expecting ':' delimiter", i);
      i++;
      ws();
      out[key] = value();
      ws();
      if (doc[i] === '}') {
        i++;
        return out;
      }
      if (doc[i] !== ',') fail("Expecting ',' delimiter", i);
      i++;
      ws();
    }
  };

  const array = (): unknown[] => {
    i++;
    const out: unknown[] = [];
    ws();
    if (doc[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      ws();
      out.push(value());
      ws();
      if (doc[i] === ']') {
        i++;
        return out;
      }
      if (doc[i] !== ',') fail("Expecting ',' delimiter", i);
      i++;
    }
  };

  ws();
  const result = value();
  ws();
  if (i !== doc.length) fail('Extra data', i);
  return result;
}

/** Python's float repr: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x);
  const [mantissa = '0', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(x);
}

/**
 * json.dumps(value, ensure_ascii=False) with Python's default separators. `undefined` (Python None)
 * is written as null like any other None.
 */
export function pyJsonDumps(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(v: unknown, out: string[]): void {
  if (v === null || v === undefined) {
    out.push('null');
  } else if (typeof v === 'string') {
    out.push(JSON.stringify(v));
  } else if (typeof v === 'number') {
    out.push(pyFloatRepr(v));
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (typeof v === 'bigint') {
    out.push(v.toString());
  } else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item, n) => {
      if (n) out.push(', ');
      write(item, out);
    });
    out.push(']');
  } else if (typeof v === 'object') {
    out.push('{');
    let first = true;
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      if (!first) out.push(', ');
      first = false;
      out.push(JSON.stringify(k), ': ');
      write(item, out);
    }
    out.push('}');
  } else {
    out.push('null');
  }
}
