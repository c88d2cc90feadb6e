// The XML-RPC codec, both directions: the Odoo client encodes calls and decodes responses, the
// emulator decodes calls and encodes responses. Wire layout follows Python's xmlrpc.client.
export { type DecodedCall, type DecodedResponse, decodeMethodCall, decodeMethodResponse } from './decode.js';
export {
  type EncodeResponseOptions,
  encodeFault,
  encodeMethodCall,
  encodeMethodResponse,
  escapeText,
} from './encode.js';
export {
  XmlRpcDateTime,
  type XmlRpcFault,
  XmlRpcParseError,
  type XmlRpcPosition,
  type XmlRpcValue,
} from './values.js';
