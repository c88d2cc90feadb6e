// Facts about the Odoo instance behind the server, for odoo://instance/info and record links.
import type { OdooClient } from '../odoo/client.js';

export interface InstanceInfo {
  odoo_version: string;
  protocol: string;
  protocol_reason: string;
  database: string | null;
  base_url: string;
  user: { id: number; login: string | null; name: string | null };
  company: { id: number; name: string | null } | null;
  /** Replace {model} and {id} to link a record in Odoo's web client. */
  record_url_template: string;
}

export class InstanceService {
  private cached?: Promise<InstanceInfo>;

  constructor(private readonly client: OdooClient) {}

  info(signal?: AbortSignal): Promise<InstanceInfo> {
    this.cached ??= this.load(signal).catch((err: unknown) => {
      this.cached = undefined;
      throw err;
    });
    return this.cached;
  }

  private async load(signal?: AbortSignal): Promise<InstanceInfo> {
    const c = await this.client.connect({ signal });
    const [user] = (await this.client.execute(
      'res.users',
      'read',
      { ids: [c.uid], kwargs: { fields: ['name', 'login', 'company_id'] } },
      { signal },
    )) as Array<{ name?: string; login?: string; company_id?: [number, string] | false }>;
    const company = Array.isArray(user?.company_id)
      ? { id: user.company_id[0], name: user.company_id[1] }
      : null;
    return {
      odoo_version: c.serverVersion,
      protocol: c.protocol,
      protocol_reason: c.reason,
      database: c.database ?? null,
      base_url: c.url,
      user: { id: c.uid, login: user?.login ?? c.login ?? null, name: user?.name ?? null },
      company,
      // Odoo 18 moved the web client to /odoo/<model>/<id>; 17 still uses the /web# fragment.
      record_url_template:
        c.major >= 18 ? `${c.url}/odoo/{model}/{id}` : `${c.url}/web#model={model}&id={id}&view_type=form`,
    };
  }
}
