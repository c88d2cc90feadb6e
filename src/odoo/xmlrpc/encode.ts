// XML-RPC documents in the exact layout of Python's xmlrpc.client (what Odoo sends and receives), so a
// recorded exchange and ours differ only where the values differ.
import { XmlRpcDateTime, type XmlRpcFault, type XmlRpcValue } from './values.js';

const HEADER = "<?xml version='1.0'?>\n";
// odoo/addons/base/controllers/rpc.py dumps() from 18.0 on: its own header and a blank line before the end tag.
const ODOO18_HEADER = '<?xml version="1.0"?>\n';

export interface EncodeResponseOptions {
  /** 'python' (default): xmlrpc.client.dumps, as Odoo 17 answers. 'odoo18': Odoo 18+'s own wrapper. */
  style?: 'python' | 'odoo18';
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// Drop the C0 controls XML 1.0 forbids, as Odoo's own marshaller does ("otherwise they break clients").
// U+FFFE/U+FFFF go too; lone surrogates become U+FFFD, as UTF-8 encoding would make them anyway.
// CR goes out as &#13;: a raw CR reaches the peer as LF, the reference reaches xmlrpc.client as CR.
const FORBIDDEN = '[\\0-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]';
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const NEEDS_WORK = new RegExp(`[&<>\\r]|${FORBIDDEN}|${LONE_SURROGATE}`, 'g');

function replacement(ch: string): string {
  switch (ch) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '\r':
      return '&#13;';
    default:
      return ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff ? '\uFFFD' : '';
  }
}

/** Text content that is well-formed XML 1.0, escaped as xmlrpc.client's escape() does. */
export function escapeText(text: string): string {
  return text.replace(NEEDS_WORK, replacement);
}

export function encodeMethodCall(method: string, params: readonly XmlRpcValue[]): string {
  const out: string[] = [HEADER, '<methodCall>\n<methodName>', escapeText(method), '</methodName>\n'];
  writeParams(out, params);
  out.push('</methodCall>\n');
  return out.join('');
}

export function encodeMethodResponse(value: XmlRpcValue, options: EncodeResponseOptions = {}): string {
  const out: string[] = [];
  writeParams(out, [value]);
  return wrapResponse(out, options);
}

export function encodeFault(fault: XmlRpcFault, options: EncodeResponseOptions = {}): string {
  const code = fault.faultCode;
  if (typeof code === 'number' && !Number.isSafeInteger(code)) {
    throw new TypeError(`faultCode must be an integer or a string, got ${code}`);
  }
  const out: string[] = ['<fault>\n'];
  writeValue(out, { faultCode: code, faultString: fault.faultString }, 'fault');
  out.push('</fault>\n');
  return wrapResponse(out, options);
}

function wrapResponse(body: string[], options: EncodeResponseOptions): string {
  return options.style === 'odoo18'
    ? `${ODOO18_HEADER}<methodResponse>\n${body.join('')}\n</methodResponse>\n`
    : `${HEADER}<methodResponse>\n${body.join('')}</methodResponse>\n`;
}

function writeParams(out: string[], params: readonly XmlRpcValue[]): void {
  out.push('<params>\n');
  params.forEach((param, i) => {
    out.push('<param>\n');
    writeValue(out, param, `params[${i}]`);
    out.push('</param>\n');
  });
  out.push('</params>\n');
}

/** A value still to write, with enough of its ancestry to name it in an error. */
interface Pending {
  value: unknown;
  key: string | number;
  parent: Pending | undefined;
}

/** Marks the end of a container, which may then appear again elsewhere (shared, not cyclic). */
class Leave {
  constructor(readonly container: object) {}
}

// An explicit stack: a deep value must not overflow the call stack on the way out either.
function writeValue(out: string[], root: unknown, rootName: string): void {
  const todo: (string | Pending | Leave)[] = [{ value: root, key: rootName, parent: undefined }];
  const open = new Set<object>();
  for (let task = todo.pop(); task !== undefined; task = todo.pop()) {
    if (typeof task === 'string') {
      out.push(task);
      continue;
    }
    if (task instanceof Leave) {
      open.delete(task.container);
      continue;
    }
    const { value } = task;
    if (Array.isArray(value)) {
      enter(open, value, task);
      out.push('<value><array><data>\n');
      todo.push(new Leave(value), '</data></array></value>\n');
      for (let i = value.length - 1; i >= 0; i--) todo.push({ value: value[i], key: i, parent: task });
    } else if (isPlainObject(value)) {
      enter(open, value, task);
      out.push('<value><struct>\n');
      todo.push(new Leave(value), '</struct></value>\n');
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        const member = value[key];
        if (member === undefined) continue;
        todo.push(
          '</member>\n',
          { value: member, key, parent: task },
          `<member>\n<name>${escapeText(key)}</name>\n`,
        );
      }
    } else {
      out.push(scalar(value, task));
    }
  }
}

function enter(open: Set<object>, container: object, at: Pending): void {
  if (open.has(container)) throw new TypeError(`XML-RPC cannot encode the cycle at ${pathOf(at)}`);
  open.add(container);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function scalar(value: unknown, at: Pending): string {
  switch (typeof value) {
    case 'undefined':
      // xmlrpc.client writes nil without the newline every other value gets.
      return '<value><nil/></value>';
    case 'boolean':
      return value ? '<value><boolean>1</boolean></value>\n' : '<value><boolean>0</boolean></value>\n';
    case 'string':
      return `<value><string>${escapeText(value)}</string></value>\n`;
    case 'number':
      return number(value, at);
    case 'bigint':
      if (value >= INT32_MIN && value <= INT32_MAX) return `<value><int>${value}</int></value>\n`;
      if (value >= INT64_MIN && value <= INT64_MAX) return `<value><i8>${value}</i8></value>\n`;
      throw new RangeError(`XML-RPC integers are at most 64 bits; ${value} at ${pathOf(at)} is not`);
    case 'object':
      if (value === null) return '<value><nil/></value>';
      if (value instanceof Uint8Array) return `<value><base64>\n${base64Lines(value)}</base64></value>\n`;
      if (value instanceof XmlRpcDateTime) {
        return `<value><dateTime.iso8601>${escapeText(value.iso)}</dateTime.iso8601></value>\n`;
      }
      break;
  }
  throw new TypeError(`XML-RPC cannot encode ${describe(value)} at ${pathOf(at)}`);
}

function number(value: number, at: Pending): string {
  if (!Number.isFinite(value)) {
    throw new TypeError(`XML-RPC cannot encode the number ${value} at ${pathOf(at)}`);
  }
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
    // xmlrpc.client refuses ints beyond 32 bits (OverflowError) but reads <i8> back; Odoo would fault.
    return value >= INT32_MIN && value <= INT32_MAX
      ? `<value><int>${value}</int></value>\n`
      : `<value><i8>${value}</i8></value>\n`;
  }
  // Like Python's repr(float): a double always shows it is one (3.0, -0.0, 1e+21).
  const text = Object.is(value, -0) ? '-0' : String(value);
  return `<value><double>${/[.e]/.test(text) ? text : `${text}.0`}</double></value>\n`;
}

/** base64.encodebytes: lines of 76 characters, each ending in a newline. */
function base64Lines(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  if (text.length <= 76) return text.length === 0 ? '' : `${text}\n`;
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 76) lines.push(text.slice(i, i + 76));
  return `${lines.join('\n')}\n`;
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    return `a ${value.constructor?.name ?? 'non-plain'} object`;
  }
  return `a ${typeof value}`;
}

function pathOf(at: Pending): string {
  const parts: string[] = [];
  for (let p: Pending | undefined = at; p; p = p.parent) {
    parts.push(typeof p.key === 'number' ? `[${p.key}]` : p.parent ? `.${p.key}` : p.key);
  }
  return parts.reverse().join('');
}
