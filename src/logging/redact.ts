// Secrets must never reach a log line or an error text. Two nets: the exact values we know
// (configured API key, password, HTTP tokens) and patterns that look like credentials wherever
// they come from (bearer tokens, cookies, key/password fields in serialized objects).

const MASK = '[REDACTED]';

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization headers and bearer tokens in any text.
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${MASK}`],
  // Cookies that carry a session.
  [/\b(session_id|sessionid|sid)=[^;\s"',]+/gi, `$1=${MASK}`],
  // "password": "..." / api_key=... / "X-Odoo-Api-Key": "..." in JSON, query strings or headers.
  [
    /(["']?(?:password|passwd|api[_-]?key|x-odoo-api-key|token|access_token|secret|authorization)["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;&}]+)/gi,
    `$1"${MASK}"`,
  ],
  // Credentials embedded in URLs: scheme://user:secret@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi, `$1${MASK}@`],
];

export type Redactor = ((text: string) => string) & { add(secret: string | undefined): void };

/** Builds a redactor that knows the given secret values in addition to the generic patterns. */
export function createRedactor(secrets: Iterable<string | undefined> = []): Redactor {
  const known = new Set<string>();
  const redact = ((text: string): string => {
    let out = text;
    for (const s of known) {
      if (out.includes(s)) out = out.split(s).join(MASK);
    }
    for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
    return out;
  }) as Redactor;
  redact.add = (secret) => {
    // Very short values would mask ordinary words; they are still caught by the patterns.
    if (secret && secret.length >= 4) known.add(secret);
  };
  for (const s of secrets) redact.add(s);
  return redact;
}

export const REDACTED = MASK;
