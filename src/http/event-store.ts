// Resumable SSE streams across replicas (state.redis_url): the events of a session's streams are
// kept in Redis, so a client that reconnects with Last-Event-ID, to any replica, gets what it
// missed. Events are kept per session and stream, for as long as the session lives, the newest
// MAX_EVENTS of each stream.
import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';
import { type SharedState, SharedStateError } from '../services/shared-state.js';

const MAX_EVENTS = 1000;

/** The SDK's id for a session's GET stream, the prefix of that stream's event ids. */
export const STANDALONE_STREAM = '_GET_stream';

/** Where one stream's events are kept. */
export const eventsKey = (prefix: string, session: string, streamId: StreamId) =>
  `${prefix}events:${session}:${streamId}`;

export class RedisEventStore implements EventStore {
  constructor(
    private readonly state: SharedState,
    /** The session the transport serves (known once initialize answered). */
    private readonly session: () => string | undefined,
    private readonly ttlMs: number,
  ) {}

  private key(streamId: StreamId): string {
    return eventsKey(this.state.prefix, this.session() ?? 'none', streamId);
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const { redis } = this.state;
    try {
      const seq = await redis.incr(`${this.state.prefix}events:seq`);
      const eventId = `${streamId}_${seq}`;
      const key = this.key(streamId);
      await redis.rPush(key, JSON.stringify([seq, message]));
      await redis.lTrim(key, -MAX_EVENTS, -1);
      await redis.pExpire(key, this.ttlMs);
      return eventId;
    } catch (err) {
      throw new SharedStateError('the stream event', err);
    }
  }

  private parse(eventId: EventId): { streamId: string; seq: number } | undefined {
    const at = eventId.lastIndexOf('_');
    const seq = Number(eventId.slice(at + 1));
    if (at <= 0 || !Number.isInteger(seq)) return undefined;
    return { streamId: eventId.slice(0, at), seq };
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    const parsed = this.parse(eventId);
    // Only a stream of this session: an event id of another session's stream finds nothing here.
    if (!parsed || !(await this.state.redis.exists(this.key(parsed.streamId)))) return undefined;
    return parsed.streamId;
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const parsed = this.parse(lastEventId);
    if (!parsed) throw new Error('not an event id of this server');
    const rows = await this.state.redis.lRange(this.key(parsed.streamId), 0, -1);
    for (const row of rows) {
      const [seq, message] = JSON.parse(row) as [number, JSONRPCMessage & { jsonrpc?: string }];
      // The priming events that open a stream carry no message.
      if (seq > parsed.seq && message.jsonrpc) await send(`${parsed.streamId}_${seq}`, message);
    }
    return parsed.streamId;
  }
}
