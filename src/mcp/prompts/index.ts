// Prompts for everyday Odoo work. Arguments complete from Odoo itself (models, customers,
// salespeople) and the texts steer the model to the cheap tools first.
import { completable, type McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { ToolDeps } from '../define-tool.js';
import { MAX_COMPLETIONS } from '../resources/index.js';

function user(text: string) {
  return { messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] };
}

export function registerPrompts(server: McpServer, deps: ToolDeps): void {
  const names = async (model: string, value: string) => {
    if (!deps.policy.modelAllowed(model)) return [];
    const found = await deps.records.nameSearch(model, value, 20).catch(() => []);
    return [...new Set(found.map((r) => r.name))].slice(0, MAX_COMPLETIONS);
  };
  const models = async (value: string) => {
    const all = await deps.catalog.allModels().catch(() => []);
    return all
      .map((m) => m.model)
      .filter((m) => m.startsWith(value))
      .slice(0, MAX_COMPLETIONS);
  };

  server.registerPrompt(
    'explore_model',
    {
      title: 'Explore a model',
      description:
        'Learn what an Odoo model holds: its important fields, a few sample records and how they are distributed.',
      argsSchema: z.object({
        model: completable(z.string().describe('Technical model name, e.g. crm.lead'), models),
      }),
    },
    ({ model }) =>
      user(
        `Explore the Odoo model "${model}". First call describe_model to learn its fields (required ones, selections, relations). Then count_records for its size, search_records with limit 5 for a sample, and aggregate_records on one or two selection or many2one fields (for example a state or stage) to show how records are distributed. Finish with a short plain-language summary of what this model is used for and which fields matter most.`,
      ),
  );

  server.registerPrompt(
    'customer_summary',
    {
      title: 'Summarise a customer',
      description:
        'A one-page summary of a customer: contact details, sales, invoices and open opportunities.',
      argsSchema: z.object({
        customer: completable(z.string().describe('Customer name, as in Odoo'), (v) =>
          names('res.partner', v),
        ),
      }),
    },
    ({ customer }) =>
      user(
        `Summarise the Odoo customer "${customer}". Find the partner with search_records on res.partner (query "${customer}"). Then, using its id as partner_id: aggregate_records on sale.order grouped by state with amount_total:sum; search_records on sale.order for the 5 latest orders (order "date_order desc"); aggregate_records on account.move (domain move_type = out_invoice) grouped by payment_state with amount_residual:sum; and search_records on crm.lead for open opportunities. Skip any model you cannot access and say so. Present contact details, sales totals, what is still unpaid and the open pipeline, briefly.`,
      ),
  );

  server.registerPrompt(
    'sales_report',
    {
      title: 'Sales report for a period',
      description: 'Confirmed sales between two dates, with totals per customer, salesperson or month.',
      argsSchema: z.object({
        date_from: z.string().describe('First day, YYYY-MM-DD'),
        date_to: z.string().describe('Last day, YYYY-MM-DD'),
        group_by: completable(z.string().describe('customer, salesperson or month').optional(), (v) =>
          ['customer', 'salesperson', 'month'].filter((g) => g.startsWith(v ?? '')),
        ),
      }),
    },
    ({ date_from, date_to, group_by }) => {
      const field =
        group_by === 'salesperson' ? 'user_id' : group_by === 'month' ? 'date_order:month' : 'partner_id';
      return user(
        `Build a sales report for ${date_from} to ${date_to}. Use aggregate_records on sale.order with domain [["state","=","sale"],["date_order",">=","${date_from} 00:00:00"],["date_order","<=","${date_to} 23:59:59"]], group_by ["${field}"] and aggregates ["amount_total:sum","__count"]. Also get the overall total with count_records and a single aggregate. Present a table sorted by amount, the grand total and the number of orders, and one or two observations. Do not read individual orders unless asked.`,
      );
    },
  );

  server.registerPrompt(
    'pipeline_review',
    {
      title: 'Review the CRM pipeline',
      description: 'Open opportunities by stage with expected revenue, optionally for one salesperson.',
      argsSchema: z.object({
        salesperson: completable(z.string().describe('Salesperson name (optional)').optional(), (v) =>
          names('res.users', v ?? ''),
        ),
      }),
    },
    ({ salesperson }) =>
      user(
        `Review the CRM pipeline${salesperson ? ` of ${salesperson}` : ''}. ${salesperson ? `Find the user with search_records on res.users (query "${salesperson}"), then use` : 'Use'} aggregate_records on crm.lead with domain [["type","=","opportunity"]${salesperson ? ',["user_id","=",USER_ID]' : ''}], group_by ["stage_id"], aggregates ["expected_revenue:sum","__count"]. Then search_records for the 5 opportunities with the highest expected_revenue (order "expected_revenue desc") and any with a date_deadline in the past. Summarise the pipeline health and suggest next actions.`,
      ),
  );
}
