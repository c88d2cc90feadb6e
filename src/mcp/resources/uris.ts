// The odoo:// URIs this server answers, in one place.
export const RECORD_TEMPLATE = 'odoo://{model}/{id}';
export const LIST_TEMPLATE = 'odoo://{model}/list{?domain,fields,limit,offset,order}';
export const BINARY_TEMPLATE = 'odoo://{model}/binary/{field}/{id}';
export const FIELDS_TEMPLATE = 'odoo://{model}/fields';
export const INSTANCE_URI = 'odoo://instance/info';

export const recordUri = (model: string, id: number) => `odoo://${model}/${id}`;
export const listUri = (model: string) => `odoo://${model}/list`;
export const binaryUri = (model: string, field: string, id: number) =>
  `odoo://${model}/binary/${field}/${id}`;
export const fieldsUri = (model: string) => `odoo://${model}/fields`;
