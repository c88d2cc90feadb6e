// RFC 6570 form-style query expansions ({?a,b}) leave out the variables that are not set, but the
// SDK's matcher insists on every one of them, in order. This template matches the path exactly and
// takes whichever of the declared query parameters are present, in any order.
import { UriTemplate, type Variables } from '@modelcontextprotocol/server';

export class OptionalQueryTemplate extends UriTemplate {
  private readonly base: UriTemplate;
  private readonly queryNames: Set<string>;

  constructor(template: string) {
    super(template);
    const m = /^(.*)\{\?([^}]+)\}$/.exec(template);
    if (!m) throw new Error(`${template} does not end with a {?...} query expression`);
    this.base = new UriTemplate(m[1] as string);
    this.queryNames = new Set((m[2] as string).split(',').map((s) => s.trim()));
  }

  override match(uri: string): Variables | null {
    const q = uri.indexOf('?');
    const vars = this.base.match(q < 0 ? uri : uri.slice(0, q));
    if (!vars) return null;
    if (q < 0) return vars;
    const out: Variables = { ...vars };
    for (const [key, value] of new URLSearchParams(uri.slice(q + 1))) {
      // Unknown parameters make the URI someone else's: no match rather than a silent drop.
      if (!this.queryNames.has(key)) return null;
      out[key] = value;
    }
    return out;
  }
}
