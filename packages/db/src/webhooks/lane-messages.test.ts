import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { unmigratedDatabase } from '../../../../tests/support/database';
import { type Database, openDatabase } from '../orm';
import { createSecretBox } from '../secrets/secret-box';
import { sealEndpointSecret } from './endpoint-secrets';
import { type LaneMessage, loadLaneBatch, nextDueAt } from './lane-batch';
import {
  dispatchEvents,
  holdPendingMessages,
  lanesWithOverdueMessages,
  recoverMessages,
  requeueMessage,
} from './message-store';
import { type LaneAttempt, type LaneHealth, recordLaneBatch } from './record-lane-batch';

/**
 * A lane's messages on a database of the test's own: the event order the migration backfills and
 * the lane follows, and a batch's outcome recorded only over the message as the batch read it.
 * The batches are played by hand (load, change the rows as an admin would meanwhile, record).
 */
const box = createSecretBox({ key: randomBytes(32) });
let database: Awaited<ReturnType<typeof unmigratedDatabase>>;
let db: Database;

before(async () => {
  database = await unmigratedDatabase();
  db = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
  await db.orm.migrator.up({ to: 'Migration20261226000000_sort_indexes_index_only' });
});
after(async () => {
  await db?.close();
  await database?.drop();
});

/** Each test's endpoints subscribe to an event type of its own, so they get only that test's messages. */
async function createEndpoint(eventType: string, ordered = false): Promise<string> {
  const id = randomUUID();
  await db.pool.query(
    `insert into webhook_endpoints (id, name, url, secret, ordered, event_types)
     values ($1, 'lane', 'https://example.com/hook', $2, $3, jsonb_build_array($4::text))`,
    [id, sealEndpointSecret(box, id, `whsec_${randomBytes(24).toString('base64')}`), ordered, eventType],
  );
  return id;
}

/** An event committed to the outbox, waiting for the dispatcher (dispatchEvents). */
async function commitEvent(eventType: string, sql: Pick<Database['pool'], 'query'> = db.pool): Promise<string> {
  const id = randomUUID();
  await sql.query(`insert into outbox_events (id, type, data) values ($1, $2, '{}')`, [id, eventType]);
  return id;
}

const dueIn = (eventId: string, seconds: number) =>
  db.pool.query(`update webhook_messages set next_attempt_at = now() + make_interval(secs => $2) where event_id = $1`, [
    eventId,
    seconds,
  ]);

async function batch(endpointId: string): Promise<LaneMessage[]> {
  const loaded = await loadLaneBatch(db.pool, box, endpointId, 10);
  assert.ok(loaded);
  return loaded.messages;
}

const health: LaneHealth = {
  last: { ok: true, statusCode: 200, error: null },
  anySuccess: true,
  consecutiveFailures: 0,
  circuit: { state: 'closed', openedAt: null, nextProbeAt: null },
};

/** The attempt a batch makes of a message it read: delivered, or answered 500 and retried in a minute. */
const attemptOf = (message: LaneMessage, delivered: boolean): LaneAttempt => ({
  seq: message.seq,
  generation: message.generation,
  eventId: message.eventId,
  eventType: message.eventType,
  attempt: message.attempts + 1,
  redelivery: message.redelivery,
  ok: delivered,
  statusCode: delivered ? 200 : 500,
  latencyMs: 5,
  responseSnippet: null,
  error: delivered ? null : 'HTTP 500',
  state: delivered ? 'delivered' : 'pending',
  retryInMs: delivered ? null : 60_000,
});

const record = (endpointId: string, attempts: LaneAttempt[]) =>
  recordLaneBatch(db.pool, endpointId, attempts, health, 3_600_000);

type MessageRow = { state: string; attempts: number; logged: number };
async function messageOf(endpointId: string, eventId: string): Promise<MessageRow> {
  const { rows } = await db.pool.query<MessageRow>(
    `select m.state, m.attempts,
            (select count(*)::int from webhook_deliveries d where d.endpoint_id = m.endpoint_id and d.event_id = m.event_id) as logged
     from webhook_messages m where m.endpoint_id = $1 and m.event_id = $2`,
    [endpointId, eventId],
  );
  assert.ok(rows[0]);
  return rows[0];
}

test('the migration gives existing messages their event order; a lane of an ordered endpoint follows it', async () => {
  const endpoint = await createEndpoint('test.migrated');
  const [first, second] = [await commitEvent('test.migrated'), await commitEvent('test.migrated')];
  const gone = randomUUID();
  // Dispatched out of event order, as before the migration (a message's seq is its dispatch order).
  for (const eventId of [second, first, gone]) {
    await db.pool.query(
      `insert into webhook_messages (endpoint_id, event_id, event_type) values ($1, $2, 'test.migrated')`,
      [endpoint, eventId],
    );
  }

  await db.orm.migrator.up();

  const { rows } = await db.pool.query<{ event_id: string; event_seq: string; outbox_seq: string | null }>(
    `select m.event_id, m.event_seq::text, o.seq::text as outbox_seq
     from webhook_messages m left join outbox_events o on o.id = m.event_id where m.endpoint_id = $1`,
    [endpoint],
  );
  for (const row of rows) assert.equal(row.event_seq, row.outbox_seq ?? '0', `event ${row.event_id}`);

  await db.pool.query(`update webhook_messages set state = 'delivered' where event_id = $1`, [gone]);
  await db.pool.query(`update webhook_endpoints set ordered = true where id = $1`, [endpoint]);
  assert.deepEqual(
    (await batch(endpoint)).map((message) => message.eventId),
    [first, second],
    'the lane reads them in event order',
  );
});

test('an ordered endpoint: messages dispatched out of event order go in event order, and only the first can make the lane due', async () => {
  const ordered = await createEndpoint('test.ordered', true);
  const unordered = await createEndpoint('test.ordered', false);
  // The first event's transaction commits late: the dispatcher has sent the second one by then.
  const late = await db.pool.connect();
  let first: string;
  let second: string;
  try {
    await late.query('begin');
    first = await commitEvent('test.ordered', late);
    second = await commitEvent('test.ordered');
    await dispatchEvents(db.pool, 100);
    await late.query('commit');
  } finally {
    late.release();
  }
  await dispatchEvents(db.pool, 100);
  assert.deepEqual(
    (await batch(ordered)).map((message) => message.eventId),
    [first, second],
  );

  // The first waits on its retry an hour away; the second is long overdue behind it.
  await dueIn(first, 3_600);
  await dueIn(second, -60);
  const due = await nextDueAt(db.pool, ordered, true);
  assert.ok(due !== null && due > Date.now() + 3_500_000, 'the ordered lane looks again at the first message’s retry');
  const woken = (await lanesWithOverdueMessages(db.pool, 5_000)).map((lane) => lane.endpointId);
  assert.ok(!woken.includes(ordered), 'the sweep leaves the ordered lane alone until its first message is due');
  assert.ok(woken.includes(unordered), 'an unordered lane with an overdue message is woken');

  await dueIn(first, -60);
  const now = (await lanesWithOverdueMessages(db.pool, 5_000)).map((lane) => lane.endpointId);
  assert.ok(now.includes(ordered), 'its first message overdue: the sweep wakes it');
});

test('a redeliver or recover landing while a batch is in flight is not overwritten by its outcome', async () => {
  const redeliveredTo = await createEndpoint('test.redelivered');
  const recoveredTo = await createEndpoint('test.recovered');
  const [redelivered, recovered] = [await commitEvent('test.redelivered'), await commitEvent('test.recovered')];
  await dispatchEvents(db.pool, 100);
  const inFlight = [...(await batch(redeliveredTo)), ...(await batch(recoveredTo))];
  assert.deepEqual(
    inFlight.map((message) => message.eventId),
    [redelivered, recovered],
  );

  // Meanwhile: one redelivered; the other held (its endpoint disabled), then recovered once enabled.
  await requeueMessage(db.pool, { endpointId: redeliveredTo, eventId: redelivered, eventType: 'test.redelivered' });
  await holdPendingMessages(db.pool, recoveredTo);
  assert.equal(await recoverMessages(db.pool, recoveredTo, new Date(Date.now() - 60_000)), 1);

  const [first, second] = inFlight;
  assert.ok(first && second);
  await record(redeliveredTo, [attemptOf(first, false)]);
  await record(recoveredTo, [attemptOf(second, false)]);
  for (const [endpoint, eventId] of [
    [redeliveredTo, redelivered],
    [recoveredTo, recovered],
  ] as const) {
    assert.deepEqual(
      await messageOf(endpoint, eventId),
      { state: 'pending', attempts: 0, logged: 1 },
      'pending with a fresh schedule as the admin left it (the attempt is still logged)',
    );
    assert.equal((await batch(endpoint)).length, 1, 'and due now');
  }

  // The next batch reads it as it is now, and its outcome is recorded; a repeat of it is not.
  const attempts = (await batch(redeliveredTo)).map((message) => attemptOf(message, true));
  await record(redeliveredTo, attempts);
  await record(redeliveredTo, attempts);
  assert.deepEqual(await messageOf(redeliveredTo, redelivered), { state: 'delivered', attempts: 1, logged: 3 });
});

test('an endpoint disabled mid-batch: what the receiver accepted is delivered, the rest stays held', async () => {
  const endpoint = await createEndpoint('test.disabled');
  const [accepted, refused] = [await commitEvent('test.disabled'), await commitEvent('test.disabled')];
  await dispatchEvents(db.pool, 100);
  const inFlight = await batch(endpoint);
  assert.equal(inFlight.length, 2);

  await holdPendingMessages(db.pool, endpoint);
  await record(
    endpoint,
    inFlight.map((message) => attemptOf(message, message.eventId === accepted)),
  );
  assert.deepEqual(await messageOf(endpoint, accepted), { state: 'delivered', attempts: 1, logged: 1 });
  assert.deepEqual(await messageOf(endpoint, refused), { state: 'held', attempts: 0, logged: 1 });
});
