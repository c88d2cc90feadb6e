// A tool is data (name, title, description, schemas, annotations) plus a small handler that calls a
// service. Registration, error conversion and read-only filtering live here, once for all tools.
import type { McpServer } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { AuditCaller, AuditLog } from '../logging/audit.js';
import { type CallScope, runInScope } from '../logging/call-scope.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../logging/redact.js';
import type { InstanceService } from '../services/instance.js';
import type { ModelCatalog } from '../services/metadata.js';
import type { AccessPolicy } from '../services/policy.js';
import type { RecordService } from '../services/records.js';
import { WriteOutcomeError } from '../services/write-outcome.js';
import { describeError } from './errors.js';
import { PRECOMPUTED_SCHEMAS, portableSchema } from './json-schema.js';
import { requestLog } from './logging.js';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a tool handler may use: services only, never the Odoo client or HTTP. */
export interface ToolDeps {
  records: RecordService;
  catalog: ModelCatalog;
  policy: AccessPolicy;
  instance: InstanceService;
  logger?: Logger;
  redact?: Redactor;
  /** Whose Odoo credentials the calls use: the server's configuration, or the caller's own (per-user mode). */
  credentials?: 'server' | 'caller';
  /** Where write tool calls are recorded (audit.file); unset when the audit log is off. */
  audit?: AuditLog;
  /** The Odoo login these services call as, for the audit log. */
  login?: string;
  /** List output schemas in tools/list (tools.output_schemas); results are checked either way. */
  outputSchemas?: boolean;
}

export interface ToolRunContext {
  signal?: AbortSignal;
  /** Reports progress when the client asked for it; a no-op otherwise. */
  progress(done: number, total?: number, message?: string): Promise<void>;
}

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; data: string; mimeType: string }
  | {
      type: 'resource';
      resource:
        | { uri: string; mimeType: string; blob: string }
        | { uri: string; mimeType: string; text: string };
    }
  | { type: 'resource_link'; uri: string; name: string; mimeType?: string; description?: string };

export interface ToolOutput<S> {
  structured: S;
  text: string;
  /** Extra content after the text (images, embedded files, links). */
  extra?: ContentBlock[];
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  run(args: z.output<I>, deps: ToolDeps, ctx: ToolRunContext): Promise<ToolOutput<z.output<O>>>;
  /** Write tools: the structured result when Odoo's answer was lost and the outcome is not known. */
  unknownOutcome?(args: z.output<I>): z.output<O>;
}

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  def: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return def;
}

export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/** Which tools a server with this policy shows: read-only mode keeps only read-only tools. */
export function visibleTools(tools: readonly ToolDefinition[], policy: AccessPolicy): ToolDefinition[] {
  return tools.filter((t) => !policy.readOnly || t.annotations.readOnlyHint);
}

export function registerTools(server: McpServer, tools: readonly ToolDefinition[], deps: ToolDeps): void {
  for (const tool of visibleTools(tools, deps.policy)) {
    const listed = listedAnnotations(tool.annotations);
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        // zod validates; clients are shown schemas that draft-07 and 2020-12 validators read alike.
        inputSchema: portableSchema(
          tool.input,
          'input',
          PRECOMPUTED_SCHEMAS?.[tool.name]?.input,
        ) as unknown as typeof tool.input,
        outputSchema: deps.outputSchemas
          ? (portableSchema(
              tool.output,
              'output',
              PRECOMPUTED_SCHEMAS?.[tool.name]?.output,
            ) as unknown as typeof tool.output)
          : undefined,
        annotations: Object.keys(listed).length > 0 ? listed : undefined,
      },
      async (args, ctx) => {
        const token = ctx.mcpReq._meta?.progressToken;
        let steps = 0;
        const scope: CallScope = {
          log: requestLog(server, ctx, deps.redact),
          signal: ctx.mcpReq.signal,
          // Each Odoo request the call made, as it finishes: long calls show they are moving.
          step:
            token === undefined
              ? undefined
              : (what) => void run.progress(++steps, undefined, `${what} done`).catch(() => undefined),
        };
        const run: ToolRunContext = {
          signal: ctx.mcpReq.signal,
          progress: async (progress, total, message) => {
            if (token === undefined) return;
            await ctx.mcpReq.notify({
              method: 'notifications/progress',
              params: { progressToken: token, progress, total, message },
            });
          },
        };
        const audited = deps.audit && !tool.annotations.readOnlyHint ? deps.audit : undefined;
        let call: string | undefined;
        try {
          if (audited) {
            call = audited.intent(
              auditIntent(tool, args as Record<string, unknown>, audited.values, {
                client: ctx.http?.authInfo?.clientId,
                session: ctx.sessionId,
                login: deps.login,
              }),
            );
          }
          const out = await runInScope(scope, () => tool.run(args as z.output<typeof tool.input>, deps, run));
          if (audited && call) audited.outcome(call, 'applied', appliedDetail(out.structured));
          // With the schema listed the SDK checks the result; without, the same check happens here.
          // A write that ran is reported whatever its shape: an error would invite a second write.
          if (!deps.outputSchemas) {
            const checked = tool.output.safeParse(out.structured);
            if (!checked.success) {
              deps.logger?.error(
                { tool: tool.name, issues: checked.error.issues },
                'tool result does not fit its schema',
              );
            }
            if (!checked.success && tool.annotations.readOnlyHint) {
              return {
                isError: true,
                content: [
                  {
                    type: 'text' as const,
                    text: `Output validation error: the server built a ${tool.name} result that does not fit its schema (a server bug; the details are in its log). Try a narrower call or report it.`,
                  },
                ],
              };
            }
          }
          return {
            content: [{ type: 'text' as const, text: out.text }, ...(out.extra ?? [])],
            structuredContent: out.structured as Record<string, unknown>,
          };
        } catch (err) {
          const a = args as { model?: unknown; method?: unknown };
          const text = await describeError(err, {
            model: typeof a.model === 'string' ? a.model : undefined,
            method: typeof a.method === 'string' ? a.method : undefined,
            operation: operationOf(tool),
            catalog: deps.catalog,
            logger: deps.logger,
            redact: deps.redact,
            credentials: deps.credentials,
          });
          if (audited && call) {
            const failure = err instanceof Error ? err : new Error(String(err));
            audited.outcome(call, err instanceof WriteOutcomeError ? 'unknown' : 'failed', {
              error: {
                type: errorType(failure),
                message: deps.redact ? deps.redact(failure.message) : failure.message,
              },
            });
          }
          const content = [{ type: 'text' as const, text }];
          if (err instanceof WriteOutcomeError && tool.unknownOutcome) {
            const structuredContent = tool.unknownOutcome(args as z.output<typeof tool.input>);
            return {
              isError: true,
              content,
              structuredContent: structuredContent as Record<string, unknown>,
            };
          }
          return { isError: true, content };
        }
      },
    );
  }
}

/** The spec's value for a hint that is not given. */
const HINT_DEFAULTS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
};

/**
 * The hints that differ from the spec's defaults (the title is the tool's own already). On a
 * read-only tool the destructive and idempotent hints mean nothing (the spec says so) and go.
 */
export function listedAnnotations(a: ToolAnnotations): Partial<ToolAnnotations> {
  const out: Partial<ToolAnnotations> = {};
  for (const key of Object.keys(HINT_DEFAULTS) as Array<keyof typeof HINT_DEFAULTS>) {
    const value = a[key];
    if (value === undefined || value === HINT_DEFAULTS[key]) continue;
    if (a.readOnlyHint && (key === 'destructiveHint' || key === 'idempotentHint')) continue;
    out[key] = value;
  }
  return out;
}

/** The Odoo method each write tool runs. */
const TOOL_METHOD: Record<string, string> = {
  create_records: 'create',
  update_records: 'write',
  delete_records: 'unlink',
};

function auditIntent(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  withValues: boolean,
  caller: AuditCaller,
) {
  const values = args.values;
  const fields = Array.isArray(values)
    ? [...new Set(values.flatMap((v) => (v && typeof v === 'object' ? Object.keys(v) : [])))]
    : values && typeof values === 'object'
      ? Object.keys(values)
      : undefined;
  const argsOf = tool.name === 'call_method' ? { args: args.args, kwargs: args.kwargs } : values;
  return {
    tool: tool.name,
    model: typeof args.model === 'string' ? args.model : undefined,
    method: typeof args.method === 'string' ? args.method : TOOL_METHOD[tool.name],
    ids: Array.isArray(args.ids) ? (args.ids as number[]) : undefined,
    fields,
    values: withValues ? argsOf : undefined,
    caller,
  };
}

function appliedDetail(structured: unknown): { ids?: number[]; note?: string } {
  const s = (structured ?? {}) as { ids?: unknown; deleted_ids?: unknown; outcome?: unknown };
  const ids = Array.isArray(s.ids) ? s.ids : Array.isArray(s.deleted_ids) ? s.deleted_ids : undefined;
  return {
    ids: ids?.every((i) => typeof i === 'number') ? (ids as number[]) : undefined,
    // Found by the server's check after the answer was lost.
    note: s.outcome === 'applied' ? 'answer lost; found applied by the server check' : undefined,
  };
}

function errorType(err: Error): string {
  const details = (err as { details?: { exceptionName?: string } }).details;
  return details?.exceptionName ? `${err.name} (${details.exceptionName})` : err.name;
}

function operationOf(tool: ToolDefinition): string {
  if (tool.name.startsWith('create')) return 'create';
  if (tool.name.startsWith('update')) return 'write';
  if (tool.name.startsWith('delete')) return 'delete';
  if (tool.name === 'call_method') return 'call methods of';
  return 'read';
}
