// Change detection for resource subscriptions. Odoo has no push channel an API key can open (its
// bus needs a web session), so this polls, and keeps the cost flat: per interval, one search_read
// of write_date over all subscribed ids of a model, one query per distinct list, one for all
// subscribed field lists, and nothing at all while nothing is subscribed. Whether something changed
// is decided only from values Odoo returned (its write_date, the ids it still has), never from the
// local clock, so a change made while Odoo was unreachable is found once it answers again.
import { createHash } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import type { Domain, OdooClient } from '../odoo/client.js';
import { AccessError, NetworkError, OdooError } from '../odoo/errors.js';
import type { OdooRecord } from '../odoo/values.js';
import type { ModelCatalog } from './metadata.js';
import type { AccessPolicy } from './policy.js';
import { InputError, MissingIdsError, type RecordService } from './records.js';

export type WatchTarget =
  | {
      kind: 'record';
      model: string;
      id: number /** A binary field the URI names (odoo://M/binary/F/ID). */;
      binary?: string;
    }
  | { kind: 'list'; model: string; domain: Domain; order?: string; limit?: number; offset?: number }
  | { kind: 'fields'; model: string };

export type ChangeListener = () => void;
export type TroubleLevel = 'warning' | 'info';
export type TroubleListener = (level: TroubleLevel, message: string) => void;

/**
 * Polling shared by replicas (services/shared-state.ts), for one Odoo identity: per channel (a
 * model's records, the lists, the field lists) the watched keys of every replica, one poller at a
 * time (a lease), the marks where a new poller finds them, and the changes announced to all.
 * A mark is what the last poll saw (write_date or a signature), with "?" while unsettled.
 */
export interface SharedPolling {
  /**
   * Adds this replica's keys (kept for `ttlMs`) with the mark each had when watched (kept where
   * one exists); true when this replica holds the channel's lease now.
   */
  claim(channel: string, marks: Map<string, string>, ttlMs: number): Promise<boolean>;
  /** Every replica's keys of `channel` with the mark each last had ('' for none yet). */
  members(channel: string): Promise<Map<string, string>>;
  /**
   * Stores new marks, forgets deleted keys, and tells every replica which keys changed (with their
   * new marks); nothing when this replica lost the lease meanwhile.
   */
  settle(channel: string, marks: Map<string, string>, changed: string[], deleted: string[]): Promise<void>;
  /** Hears the changes any replica's poll found, once subscribed; the function stops it. */
  onChanges(listener: ChangesListener): Promise<() => void>;
}

export type ChangesListener = (
  channel: string,
  changed: string[],
  deleted: string[],
  marks: Record<string, string>,
) => void;

/** Channels of SharedPolling besides the models (whose names never start with "~"). */
const LISTS = '~lists';
const FIELDS = '~fields';

export interface WatcherOptions {
  /** With replicas: subscriptions polled once for all of them. */
  shared?: SharedPolling;
  pollMs: number;
  /** Longest wait between attempts while Odoo does not answer. */
  maxBackoffMs?: number;
  logger?: Logger;
}

/** A subscription the server cannot keep: the text says why and what to do instead. */
export class WatchError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'WatchError';
  }
}

interface RecordEntry {
  writeDate: string | null;
  /** Read so soon after writeDate (on Odoo's clock) that a later write could carry the same value. */
  unsettled: boolean;
  gone: boolean;
  listeners: Set<ChangeListener>;
}

type ListTarget = Extract<WatchTarget, { kind: 'list' }>;

interface ListEntry {
  target: ListTarget;
  signature: string;
  /** As RecordEntry.unsettled, for the newest write_date among the members. */
  unsettled: boolean;
  listeners: Set<ChangeListener>;
}

interface FieldsEntry {
  signature: string;
  listeners: Set<ChangeListener>;
}

/** A list's identity, which is also how replicas name it to each other (see listOfKey). */
const listKey = (t: ListTarget): string =>
  JSON.stringify([t.model, t.domain, t.order ?? '', t.limit ?? null, t.offset ?? 0]);

const listOfKey = (key: string): ListTarget => {
  const [model, domain, order, limit, offset] = JSON.parse(key) as [string, Domain, string, number, number];
  return { kind: 'list', model, domain, order: order || undefined, limit, offset };
};

/** The mark a shared poll keeps: the value, and "?" while it may still be shared by a later write. */
const markOf = (value: string, unsettled: boolean) => `${value}${unsettled ? '?' : ''}`;

/**
 * Whether a key changed between two marks: its value moved, or it was unsettled and is settled
 * now (a write in the same second could not be told apart, so it is reported once). '' is a key
 * not seen by any poll yet.
 */
const markChanged = (before: string, after: string): boolean =>
  before !== '' &&
  (before.replace(/\?$/, '') !== after.replace(/\?$/, '') || (before.endsWith('?') && !after.endsWith('?')));

/** Odoo's datetime strings are UTC with second precision. */
const odooTime = (value: string): number => Date.parse(`${value.replace(' ', 'T')}Z`);

/**
 * Odoo stamps write_date to the second. A value read before its second was over on Odoo's clock
 * might be shared by a write still to come, so it is looked at again once that second is over.
 * Odoo's clock as known here (the Date header, whole seconds) is never ahead of the real one.
 */
const SETTLE_MS = 1000;

const NO_ARCHIVE_FILTER = { active_test: false };

export class ChangeWatcher {
  private readonly records = new Map<string, Map<number, RecordEntry>>();
  private readonly lists = new Map<string, ListEntry>();
  private readonly fields = new Map<string, FieldsEntry>();
  private readonly trouble = new Set<TroubleListener>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private failures = 0;
  private closed = false;
  /** Odoo queries made by polls (not by subscribing), for tests and the benchmark. */
  polls = 0;
  queries = 0;

  constructor(
    private readonly client: OdooClient,
    private readonly records_: RecordService,
    private readonly catalog: ModelCatalog,
    private readonly policy: AccessPolicy,
    private readonly opts: WatcherOptions,
  ) {}

  /** Subscriptions held, across all targets. */
  get size(): number {
    let n = 0;
    for (const byId of this.records.values()) for (const e of byId.values()) n += e.listeners.size;
    for (const e of this.lists.values()) n += e.listeners.size;
    for (const e of this.fields.values()) n += e.listeners.size;
    return n;
  }

  /** Hears about polling trouble (Odoo down, back, a model no longer readable), for MCP logging. */
  onTrouble(listener: TroubleListener): () => void {
    this.trouble.add(listener);
    return () => this.trouble.delete(listener);
  }

  /**
   * Starts watching `target`; `onChange` runs after each poll that found it changed (or deleted).
   * Checks first that the target can be watched, with the caller's Odoo identity: an unknown or
   * unreadable record is refused rather than watched in silence. With `since` (a mark from check()),
   * a change made between that check and now is reported at once.
   */
  async watch(
    target: WatchTarget,
    onChange: ChangeListener,
    signal?: AbortSignal,
    since?: string,
  ): Promise<() => void> {
    const { drop, mark } = await this.hold(target, onChange, signal);
    if (since !== undefined && markChanged(since, mark)) queueMicrotask(() => this.fire(new Set([onChange])));
    return drop;
  }

  /**
   * Checks that `target` can be watched, as watch() does, and returns its mark now (write_date or
   * signature), for a watch() that another replica makes later.
   */
  async check(target: WatchTarget, signal?: AbortSignal): Promise<string> {
    const { drop, mark } = await this.hold(target, () => undefined, signal);
    drop();
    return mark;
  }

  private async hold(
    target: WatchTarget,
    onChange: ChangeListener,
    signal?: AbortSignal,
  ): Promise<{ drop: () => void; mark: string }> {
    if (this.closed) throw new WatchError('the server is shutting down; subscribe again later');
    this.policy.assertModel(target.model);
    await this.assertTrackable(target.model, signal);
    let held: { drop: () => void; mark: string };
    this.holding++;
    try {
      // Before the first read: a change another replica's poll finds after it must be heard here.
      if (this.opts.shared) await this.hearShared(this.opts.shared);
      if (target.kind === 'record' && target.binary)
        await this.assertBinary(target.model, target.binary, signal);
      if (target.kind === 'record') held = await this.watchRecord(target.model, target.id, onChange, signal);
      else if (target.kind === 'list') held = await this.watchList(target, onChange, signal);
      else held = await this.watchFields(target.model, onChange, signal);
    } finally {
      this.holding--;
      this.releaseIfIdle();
    }
    this.schedule();
    let live = true;
    return {
      mark: held.mark,
      drop: () => {
        if (!live) return;
        live = false;
        held.drop();
        if (this.size === 0) this.stop();
      },
    };
  }

  /** Stops polling and forgets every subscription. */
  close(): void {
    this.closed = true;
    this.records.clear();
    this.lists.clear();
    this.fields.clear();
    this.stop();
  }

  private async assertBinary(model: string, field: string, signal?: AbortSignal): Promise<void> {
    const def = (await this.catalog.fields(model, signal))[field];
    if (def?.type !== 'binary') {
      throw new WatchError(
        `${model} has no binary field "${field}"; describe_model with model "${model}" lists its fields (type binary).`,
      );
    }
  }

  private async assertTrackable(model: string, signal?: AbortSignal): Promise<void> {
    const fields = await this.catalog.fields(model, signal);
    if (!fields.write_date) {
      throw new WatchError(
        `${model} has no write_date (an SQL view or a model without change tracking), so changes to it cannot be detected; read it again when you need fresh values instead of subscribing.`,
      );
    }
    const models = await this.catalog.allModels(signal).catch(() => undefined);
    if (models && !models.some((m) => m.model === model)) {
      // The catalog lists ir.model without transient models: wizards live minutes and are never shared.
      throw new WatchError(
        `${model} is a transient (wizard) model: its records are temporary and cannot be subscribed to.`,
      );
    }
  }

  private async watchRecord(
    model: string,
    id: number,
    onChange: ChangeListener,
    signal?: AbortSignal,
  ): Promise<{ drop: () => void; mark: string }> {
    let byId = this.records.get(model);
    let entry = byId?.get(id);
    if (!entry) {
      const rows = await this.client.searchRead(
        model,
        { domain: [['id', '=', id]], fields: ['write_date'], context: NO_ARCHIVE_FILTER },
        { signal },
      );
      const row = rows[0];
      if (!row) throw new MissingIdsError(model, [id]);
      // Another subscriber may have added the record while this one read it.
      byId = this.records.get(model) ?? new Map();
      this.records.set(model, byId);
      entry = byId.get(id) ?? this.recordEntry(row);
      byId.set(id, entry);
    }
    const held = entry;
    held.listeners.add(onChange);
    const drop = () => {
      held.listeners.delete(onChange);
      const map = this.records.get(model);
      if (held.listeners.size === 0 && map?.get(id) === held) {
        map.delete(id);
        if (map.size === 0) this.records.delete(model);
      }
    };
    return { drop, mark: held.gone ? '(deleted)' : markOf(held.writeDate ?? '', held.unsettled) };
  }

  private recordEntry(row: OdooRecord): RecordEntry {
    const writeDate = typeof row.write_date === 'string' ? row.write_date : null;
    return { writeDate, unsettled: this.isUnsettled(writeDate), gone: false, listeners: new Set() };
  }

  private isUnsettled(writeDate: string | null): boolean {
    if (writeDate === null) return false;
    const now = this.client.odooNow();
    return now !== undefined && now - odooTime(writeDate) < SETTLE_MS;
  }

  private async watchList(
    target: Extract<WatchTarget, { kind: 'list' }>,
    onChange: ChangeListener,
    signal?: AbortSignal,
  ): Promise<{ drop: () => void; mark: string }> {
    const watched = {
      ...target,
      limit: this.records_.pageLimit(target.limit),
      offset: target.offset ?? 0,
    };
    // The list resource's own checks (fields, searchable and sortable, limits, relation policy).
    await this.records_.search({ ...watched, fields: ['write_date'] }, signal);
    const key = listKey(watched);
    let entry = this.lists.get(key);
    if (!entry) {
      const { signature, unsettled } = await this.listSignature(watched, signal);
      entry = this.lists.get(key) ?? { target: watched, signature, unsettled, listeners: new Set() };
      this.lists.set(key, entry);
    }
    const held = entry;
    held.listeners.add(onChange);
    const drop = () => {
      held.listeners.delete(onChange);
      if (held.listeners.size === 0 && this.lists.get(key) === held) this.lists.delete(key);
    };
    return { drop, mark: markOf(held.signature, held.unsettled) };
  }

  private async listSignature(
    target: Extract<WatchTarget, { kind: 'list' }>,
    signal?: AbortSignal,
  ): Promise<{ signature: string; unsettled: boolean }> {
    const rows = await this.client.searchRead(
      target.model,
      {
        domain: target.domain,
        fields: ['write_date'],
        limit: target.limit,
        offset: target.offset,
        order: target.order,
      },
      { signal },
    );
    // Membership, order and each member's write_date: a record entering, leaving or changing.
    let newest: string | null = null;
    for (const r of rows)
      if (typeof r.write_date === 'string' && (newest === null || r.write_date > newest))
        newest = r.write_date;
    return {
      // Hashed: replicas keep it in Redis, and a page can hold hundreds of members.
      signature: createHash('sha256')
        .update(rows.map((r) => `${r.id}@${String(r.write_date)}`).join(','))
        .digest('base64url'),
      unsettled: this.isUnsettled(newest),
    };
  }

  private async watchFields(
    model: string,
    onChange: ChangeListener,
    signal?: AbortSignal,
  ): Promise<{ drop: () => void; mark: string }> {
    let entry = this.fields.get(model);
    if (!entry) {
      const signatures = await this.fieldSignatures([model], signal);
      entry = this.fields.get(model) ?? { signature: signatures.get(model) ?? '', listeners: new Set() };
      this.fields.set(model, entry);
    }
    const held = entry;
    held.listeners.add(onChange);
    const drop = () => {
      held.listeners.delete(onChange);
      if (held.listeners.size === 0 && this.fields.get(model) === held) this.fields.delete(model);
    };
    return { drop, mark: held.signature };
  }

  /** Per model: how many fields it has and the latest write_date among them. */
  private async fieldSignatures(models: string[], signal?: AbortSignal): Promise<Map<string, string>> {
    const rows = await this.client.searchRead(
      'ir.model.fields',
      { domain: [['model', 'in', models]], fields: ['model', 'write_date'] },
      { signal },
    );
    const acc = new Map<string, { n: number; latest: string }>();
    for (const r of rows) {
      const m = String(r.model);
      const a = acc.get(m) ?? { n: 0, latest: '' };
      a.n++;
      const wd = typeof r.write_date === 'string' ? r.write_date : '';
      if (wd > a.latest) a.latest = wd;
      acc.set(m, a);
    }
    return new Map(models.map((m) => [m, `${acc.get(m)?.n ?? 0}@${acc.get(m)?.latest ?? ''}`]));
  }

  // ---- polling ----------------------------------------------------------------------------

  private schedule(): void {
    if (this.timer || this.polling || this.closed || this.size === 0) return;
    const delay = this.delay();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
        this.schedule();
      });
    }, delay);
    this.timer.unref?.();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.releaseIfIdle();
  }

  /** Nothing watched or being set up: other replicas' changes need not be heard (and this is freed). */
  private releaseIfIdle(): void {
    if (this.size > 0 || this.holding > 0 || !this.unhear) return;
    const unhear = this.unhear;
    this.unhear = undefined;
    unhear.then(
      (stop) => stop(),
      () => undefined,
    );
  }

  /** One round: every model's records, every list, the field lists; Odoo's answers decide. */
  async poll(): Promise<void> {
    this.polls++;
    const jobs: Array<Promise<void>> = [];
    const shared = this.opts.shared;
    if (shared) {
      for (const [model, byId] of this.records) jobs.push(this.pollRecordsShared(shared, model, byId));
      if (this.lists.size > 0) jobs.push(this.pollListsShared(shared));
      if (this.fields.size > 0) jobs.push(this.pollFieldsShared(shared));
    } else {
      for (const [model, byId] of this.records) jobs.push(this.pollRecords(model, byId));
      for (const entry of this.lists.values()) jobs.push(this.pollList(entry));
      if (this.fields.size > 0) jobs.push(this.pollFields());
    }
    const outcomes = await Promise.allSettled(jobs);
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed.length === 0) {
      if (this.failures > 0) this.report('info', 'Odoo answers again; subscription polling resumed.');
      this.failures = 0;
      return;
    }
    // Any failure slows the polls down (a revoked right or key must not cost a query every
    // interval forever), and is told once, then every tenth time.
    this.failures++;
    if (this.failures !== 1 && this.failures % 10 !== 0) return;
    const next = Math.round(Math.max(this.delay(), this.opts.pollMs) / 1000);
    const down = failed.find((o) => o.reason instanceof NetworkError);
    if (down) {
      this.report(
        'warning',
        `Odoo did not answer the subscription poll (${(down.reason as Error).message}); checking again in ${next} s. Changes made meanwhile are reported once it answers.`,
      );
    }
    for (const o of failed) {
      if (!(o.reason instanceof NetworkError))
        this.report('warning', `${this.describe(o.reason)}; checking again in ${next} s`);
    }
  }

  /** The wait before the next poll: the interval, doubled per failed poll up to the maximum. */
  private delay(): number {
    if (this.failures === 0) return this.opts.pollMs;
    return Math.max(
      this.opts.pollMs,
      Math.min(this.opts.pollMs * 2 ** this.failures, this.opts.maxBackoffMs ?? 60_000),
    );
  }

  private describe(err: unknown): string {
    if (err instanceof AccessError) return `subscription poll refused by Odoo: ${err.message}`;
    if (err instanceof OdooError) return `subscription poll failed: ${err.name}: ${err.message}`;
    return `subscription poll failed: ${err instanceof Error ? err.message : String(err)}`;
  }

  private report(level: TroubleLevel, message: string): void {
    if (level === 'warning') this.opts.logger?.warn(message);
    else this.opts.logger?.info(message);
    for (const t of this.trouble) t(level, message);
  }

  // ---- polling shared by replicas ----------------------------------------------------------

  private unhear: Promise<() => void> | undefined;
  /** watch() and check() calls under way (they hear other replicas before they read). */
  private holding = 0;

  /** Hears the changes replicas' polls announce, from the first watch on; a failure is told. */
  private async hearShared(shared: SharedPolling): Promise<void> {
    this.unhear ??= shared.onChanges((...change) => this.heard(...change));
    try {
      await this.unhear;
    } catch {
      this.unhear = undefined;
      throw new WatchError(
        "the replicas' shared state (Redis) is unreachable, so changes other replicas find cannot be heard; subscribe again in a few seconds",
      );
    }
  }

  /** Changes a replica's poll (this one's too) announced: this replica's view and listeners follow. */
  private heard(channel: string, changed: string[], deleted: string[], marks: Record<string, string>): void {
    const settle = (mark: string | undefined) =>
      mark === undefined ? undefined : { value: mark.replace(/\?$/, ''), unsettled: mark.endsWith('?') };
    if (channel === LISTS || channel === FIELDS) {
      for (const key of changed) {
        const entry = channel === LISTS ? this.lists.get(key) : this.fields.get(key);
        if (!entry) continue;
        const now = settle(marks[key]);
        if (now) {
          entry.signature = now.value;
          if ('unsettled' in entry) entry.unsettled = now.unsettled;
        }
        this.fire(entry.listeners);
      }
      return;
    }
    const byId = this.records.get(channel);
    if (!byId) return;
    const gone = new Set(deleted);
    for (const key of changed) {
      const entry = byId.get(Number(key));
      if (!entry || entry.gone) continue;
      if (gone.has(key)) entry.gone = true;
      const now = settle(marks[key]);
      if (now) {
        entry.writeDate = now.value || null;
        entry.unsettled = now.unsettled;
      }
      this.fire(entry.listeners);
    }
  }

  /**
   * One shared poll of `channel`: this replica's keys join it; the lease holder alone asks Odoo
   * (`current`: each key's mark now, none for a key gone) for the keys of all replicas, against
   * the marks kept in Redis (a new holder goes on from them), and announces what changed.
   */
  private async pollShared(
    shared: SharedPolling,
    channel: string,
    mine: Map<string, string>,
    current: (keys: string[]) => Promise<Map<string, string | null>>,
  ): Promise<void> {
    if (mine.size === 0) return;
    if (!(await shared.claim(channel, mine, this.opts.pollMs * 3))) return;
    const members = await shared.members(channel);
    if (members.size === 0) return;
    // null: the key is gone (a deleted record); absent: not known this time (its query failed).
    const now = await current([...members.keys()]);
    const marks = new Map<string, string>();
    const changed: string[] = [];
    const deleted: string[] = [];
    for (const [key, before] of members) {
      const after = now.get(key);
      if (after === undefined) continue;
      if (after === null) {
        deleted.push(key);
        changed.push(key);
        continue;
      }
      if (markChanged(before, after)) changed.push(key);
      if (after !== before) marks.set(key, after);
    }
    await shared.settle(channel, marks, changed, deleted);
  }

  private pollRecordsShared(shared: SharedPolling, model: string, byId: Map<number, RecordEntry>) {
    const mine = new Map<string, string>();
    for (const [id, e] of byId) if (!e.gone) mine.set(String(id), markOf(e.writeDate ?? '', e.unsettled));
    return this.pollShared(shared, model, mine, async (keys) => {
      this.queries++;
      const rows = await this.client.searchRead(model, {
        domain: [['id', 'in', keys.map(Number)]],
        fields: ['write_date'],
        context: NO_ARCHIVE_FILTER,
      });
      const now = new Map<string, string | null>(keys.map((k) => [k, null]));
      for (const r of rows) {
        const writeDate = typeof r.write_date === 'string' ? r.write_date : '';
        now.set(String(r.id), markOf(writeDate, this.isUnsettled(writeDate || null)));
      }
      return now;
    });
  }

  private async pollListsShared(shared: SharedPolling): Promise<void> {
    const mine = new Map([...this.lists].map(([key, e]) => [key, markOf(e.signature, e.unsettled)]));
    // One list that fails (a field since removed, a right revoked) holds up none of the others.
    const failures: unknown[] = [];
    await this.pollShared(shared, LISTS, mine, async (keys) => {
      const now = new Map<string, string>();
      await Promise.all(
        keys.map(async (key) => {
          this.queries++;
          try {
            const { signature, unsettled } = await this.listSignature(listOfKey(key));
            now.set(key, markOf(signature, unsettled));
          } catch (err) {
            failures.push(err);
          }
        }),
      );
      return now;
    });
    if (failures.length > 0) throw failures[0];
  }

  private pollFieldsShared(shared: SharedPolling) {
    const mine = new Map([...this.fields].map(([model, e]) => [model, e.signature]));
    return this.pollShared(shared, FIELDS, mine, (models) => {
      this.queries++;
      return this.fieldSignatures(models);
    });
  }

  // ---- polling by this replica alone ----------------------------------------------------------

  private async pollRecords(model: string, byId: Map<number, RecordEntry>): Promise<void> {
    const ids = [...byId].filter(([, e]) => !e.gone).map(([id]) => id);
    if (ids.length === 0) return;
    this.queries++;
    const rows = await this.client.searchRead(model, {
      domain: [['id', 'in', ids]],
      fields: ['write_date'],
      context: NO_ARCHIVE_FILTER,
    });
    const seen = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) {
      const entry = byId.get(id);
      if (!entry) continue;
      const row = seen.get(id);
      if (!row) {
        entry.gone = true;
        this.fire(entry.listeners);
        continue;
      }
      const writeDate = typeof row.write_date === 'string' ? row.write_date : null;
      const unsettled = this.isUnsettled(writeDate);
      // Unchanged but last read too early to be sure: once the second is safely over, a write that
      // shared it cannot be told apart from none, so it is reported (once) rather than missed.
      const changed = writeDate !== entry.writeDate || (entry.unsettled && !unsettled);
      entry.writeDate = writeDate;
      entry.unsettled = unsettled;
      if (changed) this.fire(entry.listeners);
    }
  }

  private async pollList(entry: ListEntry): Promise<void> {
    this.queries++;
    const { signature, unsettled } = await this.listSignature(entry.target);
    const changed = signature !== entry.signature || (entry.unsettled && !unsettled);
    entry.signature = signature;
    entry.unsettled = unsettled;
    if (changed) this.fire(entry.listeners);
  }

  private async pollFields(): Promise<void> {
    this.queries++;
    const signatures = await this.fieldSignatures([...this.fields.keys()]);
    for (const [model, entry] of this.fields) {
      const signature = signatures.get(model) ?? '';
      if (signature === entry.signature) continue;
      entry.signature = signature;
      this.fire(entry.listeners);
    }
  }

  private fire(listeners: Set<ChangeListener>): void {
    for (const l of [...listeners]) {
      try {
        l();
      } catch (err) {
        this.opts.logger?.debug(
          { err: err instanceof Error ? err.message : String(err) },
          'Subscription listener failed',
        );
      }
    }
  }
}
