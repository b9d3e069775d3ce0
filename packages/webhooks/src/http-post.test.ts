import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'node:test';
import { postJson } from './http-post';

/**
 * Keep-alive against a real receiver on loopback that never closes an idle connection itself (and
 * announces no `Keep-Alive: timeout`): the sender reuses its connection, then closes it once idle.
 */
test('an idle keep-alive socket is reused, then closed by the sender', async () => {
  const connections: Socket[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.once('end', () => response.end('ok'));
  });
  server.keepAliveTimeout = 0;
  server.on('connection', (socket: Socket) => connections.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const options = { timeoutMs: 5_000, allowPrivateNetworks: true };
    for (let i = 0; i < 2; i++) {
      const outcome = await postJson(url, '{}', {}, options);
      assert.equal(outcome.kind === 'response' && outcome.statusCode, 200);
    }
    assert.equal(connections.length, 1, 'the second POST reused the first connection');
    const [socket] = connections;
    assert.ok(socket);
    // Without an idle timeout of the sender's, this end never comes and the test times out.
    if (!socket.readableEnded) await once(socket, 'end');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
