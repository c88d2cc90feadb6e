// XML-RPC documents to values. saxes streams the events; the element stack lives in an array, never in
// the call stack, so nesting depth is bounded by memory only.
import { SaxesParser } from 'saxes';
import {
  XmlRpcDateTime,
  type XmlRpcFault,
  XmlRpcParseError,
  type XmlRpcPosition,
  type XmlRpcValue,
} from './values.js';

export type DecodedResponse = { kind: 'result'; value: XmlRpcValue } | { kind: 'fault'; fault: XmlRpcFault };
export interface DecodedCall {
  method: string;
  params: XmlRpcValue[];
}

export function decodeMethodResponse(xml: string): DecodedResponse {
  const root = parse(xml, 'methodResponse');
  if (root.items) {
    const [value] = root.items;
    if (root.items.length !== 1 || value === undefined) {
      throw structural(`<methodResponse> must hold exactly one <param>, found ${root.items.length}`, root);
    }
    return { kind: 'result', value };
  }
  if (root.hasValue) return { kind: 'fault', fault: toFault(root.value, root) };
  throw structural('<methodResponse> holds neither <params> nor <fault>', root);
}

export function decodeMethodCall(xml: string): DecodedCall {
  const root = parse(xml, 'methodCall');
  if (root.name === undefined) throw structural('<methodCall> lacks its <methodName>', root);
  return { method: root.name, params: root.items ?? [] };
}

function toFault(value: XmlRpcValue | undefined, at: Frame): XmlRpcFault {
  if (!isStruct(value)) throw structural('<fault> must hold a <struct>', at);
  const { faultCode, faultString } = value;
  if (typeof faultCode !== 'number' && typeof faultCode !== 'string') {
    throw structural('<fault> lacks an int or string faultCode', at);
  }
  if (typeof faultString !== 'string') throw structural('<fault> lacks a string faultString', at);
  return { faultCode, faultString };
}

function isStruct(value: XmlRpcValue | undefined): value is { [key: string]: XmlRpcValue } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof XmlRpcDateTime)
  );
}

/** One open element. A single shape for all tags keeps the hot path monomorphic. */
interface Frame {
  tag: string;
  line: number;
  column: number;
  text: string;
  children: number;
  /** The child value of <value>, <param>, <fault>, <array> (its data), <struct>, <member>. */
  value: XmlRpcValue | undefined;
  hasValue: boolean;
  /** <data> and <params> members; a root's params. */
  items: XmlRpcValue[] | undefined;
  struct: { [key: string]: XmlRpcValue } | undefined;
  /** A <member>'s name, a <methodCall>'s method. */
  name: string | undefined;
}

type ScalarParser = (text: string, at: Frame) => XmlRpcValue;

// The types xmlrpc.client's Unmarshaller reads, including the Apache extensions it accepts.
const SCALARS = new Map<string, ScalarParser>([
  ['int', parseInteger],
  ['i4', parseInteger],
  ['i8', parseInteger],
  ['i1', parseInteger],
  ['i2', parseInteger],
  ['biginteger', parseInteger],
  ['double', parseDouble],
  ['float', parseDouble],
  ['boolean', parseBoolean],
  ['string', (text) => text],
  ['base64', parseBase64],
  ['dateTime.iso8601', (text) => new XmlRpcDateTime(text.trim())],
  ['nil', parseNil],
]);

const VALUE_CHILDREN = new Set([...SCALARS.keys(), 'array', 'struct']);
const CHILDREN = new Map<string, ReadonlySet<string>>([
  ['methodCall', new Set(['methodName', 'params'])],
  ['methodResponse', new Set(['params', 'fault'])],
  ['params', new Set(['param'])],
  ['param', new Set(['value'])],
  ['fault', new Set(['value'])],
  ['value', VALUE_CHILDREN],
  ['array', new Set(['data'])],
  ['data', new Set(['value'])],
  ['struct', new Set(['member'])],
  ['member', new Set(['name', 'value'])],
]);
const KNOWN = new Set([...CHILDREN.keys(), ...VALUE_CHILDREN, 'methodName', 'name']);
/** Elements whose text is data; anywhere else only whitespace may appear between elements. */
const TEXTUAL = new Set([...SCALARS.keys(), 'value', 'name', 'methodName']);
/** Elements that hold one child element at most. */
const SINGLE = new Set(['param', 'fault', 'value', 'array', 'methodResponse']);

function parse(xml: string, rootTag: 'methodCall' | 'methodResponse'): Frame {
  const parser = new SaxesParser({ position: true });
  const stack: Frame[] = [];
  let root: Frame | undefined;
  const here = (): XmlRpcPosition => ({ line: parser.line, column: parser.column });

  const onText = (text: string): void => {
    const top = stack[stack.length - 1];
    if (!top) return; // whitespace around the root; saxes rejects anything else there
    if (TEXTUAL.has(top.tag)) top.text += text;
    else if (/\S/.test(text)) {
      throw new XmlRpcParseError(`unexpected text ${preview(text)} inside <${top.tag}>`, here());
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('doctype', () => {
    throw new XmlRpcParseError('a DOCTYPE has no place in XML-RPC', here());
  });
  parser.on('opentag', (tag) => {
    // xmlrpc.client ignores namespace prefixes (Apache's <ex:nil/>, <ex:i8>).
    const local = tag.name.slice(tag.name.lastIndexOf(':') + 1);
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (local !== rootTag) {
        throw new XmlRpcParseError(`expected <${rootTag}> as the root element, found <${tag.name}>`, here());
      }
    } else {
      checkChild(parent, local, tag.name, here());
    }
    const frame: Frame = {
      tag: local,
      line: parser.line,
      column: parser.column,
      text: '',
      children: 0,
      value: undefined,
      hasValue: false,
      items: local === 'data' || local === 'params' ? [] : undefined,
      struct: local === 'struct' ? {} : undefined,
      name: undefined,
    };
    stack.push(frame);
    if (!parent) root = frame;
  });
  parser.on('closetag', () => {
    const frame = stack.pop();
    if (frame) close(frame, stack[stack.length - 1]);
  });

  try {
    parser.write(tolerateControls(xml)).close();
  } catch (err) {
    if (err instanceof XmlRpcParseError) throw err;
    // saxes prefixes "line:column: "; we give the position our own way.
    const message = err instanceof Error ? err.message.replace(/^\d+:\d+: /, '') : String(err);
    throw new XmlRpcParseError(`malformed XML: ${message}`, here(), { cause: err });
  }
  if (!root) throw new XmlRpcParseError(`malformed XML: no <${rootTag}> element`);
  return root;
}

function checkChild(parent: Frame, local: string, raw: string, at: XmlRpcPosition): void {
  if (!CHILDREN.get(parent.tag)?.has(local)) {
    const what = KNOWN.has(local) ? `<${raw}> cannot appear` : `unknown tag <${raw}>`;
    throw new XmlRpcParseError(`${what} inside <${parent.tag}>`, at);
  }
  parent.children++;
  const repeated =
    (SINGLE.has(parent.tag) && parent.children > 1) ||
    (local === 'name' && parent.name !== undefined) ||
    (local === 'methodName' && parent.name !== undefined) ||
    (local === 'params' && parent.items !== undefined) ||
    (local === 'value' && parent.tag === 'member' && parent.hasValue);
  if (repeated) throw new XmlRpcParseError(`<${parent.tag}> holds a second <${raw}>`, at);
}

function close(frame: Frame, parent: Frame | undefined): void {
  const scalar = SCALARS.get(frame.tag);
  if (scalar) {
    give(parent, scalar(frame.text, frame));
    return;
  }
  switch (frame.tag) {
    case 'value':
      if (!frame.hasValue) {
        // No type element: the text is a string, whitespace and all.
        give(parent, frame.text);
      } else if (/\S/.test(frame.text)) {
        throw structural(`<value> mixes text ${preview(frame.text)} with a typed element`, frame);
      } else {
        give(parent, frame.value as XmlRpcValue);
      }
      return;
    case 'data':
      give(parent, frame.items as XmlRpcValue[]);
      return;
    case 'array':
      // xmlrpc.client reads <array/> without <data> as an empty list.
      give(parent, frame.hasValue ? (frame.value as XmlRpcValue) : []);
      return;
    case 'struct':
      give(parent, frame.struct as { [key: string]: XmlRpcValue });
      return;
    case 'member':
      if (frame.name === undefined) throw structural('<member> lacks its <name>', frame);
      if (!frame.hasValue) throw structural(`<member> ${preview(frame.name)} lacks its <value>`, frame);
      setMember(parent?.struct, frame.name, frame.value as XmlRpcValue);
      return;
    case 'name':
    case 'methodName':
      if (parent) parent.name = frame.text;
      return;
    case 'param':
    case 'fault':
      if (!frame.hasValue) throw structural(`<${frame.tag}> lacks its <value>`, frame);
      if (frame.tag === 'param') parent?.items?.push(frame.value as XmlRpcValue);
      else give(parent, frame.value as XmlRpcValue);
      return;
    case 'params':
      if (parent) parent.items = frame.items;
      return;
  }
}

/** Hands a finished value to the element that holds it. */
function give(parent: Frame | undefined, value: XmlRpcValue): void {
  if (!parent) return;
  if (parent.tag === 'data') parent.items?.push(value);
  else {
    parent.value = value;
    parent.hasValue = true;
  }
}

function setMember(
  struct: { [key: string]: XmlRpcValue } | undefined,
  key: string,
  value: XmlRpcValue,
): void {
  if (!struct) return;
  if (key === '__proto__') {
    // Plain assignment would call the __proto__ setter and swap the object's prototype.
    Object.defineProperty(struct, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    struct[key] = value;
  }
}

function parseInteger(text: string, at: Frame): number | bigint {
  const digits = text.trim();
  if (!/^[+-]?\d+$/.test(digits)) throw badScalar(at, text);
  if (digits.length <= 16) {
    const n = Number(digits);
    // Anything that rounds into the safe range was in it; `|| 0` turns "-0" into 0.
    if (Number.isSafeInteger(n)) return n || 0;
  }
  const big = BigInt(digits);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

function parseDouble(text: string, at: Frame): number {
  const t = text.trim();
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return Number(t);
  // Python's repr() of the non-finite floats a Python peer may send.
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) {
    if (special[2]?.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  throw badScalar(at, text);
}

function parseBoolean(text: string, at: Frame): boolean {
  const t = text.trim();
  if (t === '1') return true;
  if (t === '0') return false;
  throw badScalar(at, text);
}

function parseBase64(text: string, at: Frame): Uint8Array {
  // base64.encodebytes breaks lines every 76 characters; other peers use other widths.
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) throw badScalar(at, text);
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

function parseNil(text: string, at: Frame): null {
  if (/\S/.test(text)) throw badScalar(at, text);
  return null;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the controls XML forbids is the point.
const REF_OR_CONTROL = /[\0-\x08\x0B\x0C\x0E-\x1F]|&#(?:[xX]0*[0-9a-fA-F]{1,2}|0*\d{1,2});/g;

/**
 * Drops the C0 controls XML 1.0 forbids, raw or as character references, before the parser sees
 * them: Odoo's marshaller strips exactly these from what it sends, so a peer that did not gives us
 * the value Odoo would have given rather than a failed call.
 */
function tolerateControls(xml: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding the controls XML forbids is the point.
  if (!/[\0-\x08\x0B\x0C\x0E-\x1F]|&#/.test(xml)) return xml;
  return xml.replace(REF_OR_CONTROL, (match) => {
    if (match.length === 1) return '';
    const code =
      match[2] === 'x' || match[2] === 'X'
        ? Number.parseInt(match.slice(3, -1), 16)
        : Number.parseInt(match.slice(2, -1), 10);
    return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d ? match : '';
  });
}

function badScalar(at: Frame, text: string): XmlRpcParseError {
  return structural(`<${at.tag}> holds ${preview(text)}, which is not a valid ${at.tag}`, at);
}

function structural(message: string, at: Frame): XmlRpcParseError {
  return new XmlRpcParseError(message, { line: at.line, column: at.column });
}

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
