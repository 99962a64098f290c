import { createServer, type Server, type Socket } from 'node:net';

/**
 * How the fake broker treats one connection, by the order connections arrive:
 * - `answer`: answers every ApiVersions request properly;
 * - `partialThenReset`: writes the first 10 bytes of a response frame that claims
 *   `claimedSize` bytes, then resets the socket (RST) — a cut in the middle of a response;
 * - `garbageFrame`: answers with a frame of size 0, which no response can be.
 */
export type FakeReply =
  | { readonly _tag: 'answer' }
  | { readonly _tag: 'partialThenReset'; readonly claimedSize: number }
  | { readonly _tag: 'garbageFrame' };

export interface FakeBroker {
  readonly port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** The one API entry the fake broker reports: ApiVersions (key 18), versions 0 to 2. */
export const FAKE_API_VERSIONS = [{ apiKey: 18, minVersion: 0, maxVersion: 2 }];

/** An ApiVersions v0 response frame for `correlationId`: size, correlation id, error, entries. */
const apiVersionsResponse = (correlationId: number): Buffer => {
  const body = Buffer.alloc(4 + 2 + 4 + 6 * FAKE_API_VERSIONS.length);
  let at = body.writeInt32BE(correlationId, 0);
  at = body.writeInt16BE(0, at);
  at = body.writeInt32BE(FAKE_API_VERSIONS.length, at);
  for (const v of FAKE_API_VERSIONS) {
    at = body.writeInt16BE(v.apiKey, at);
    at = body.writeInt16BE(v.minVersion, at);
    at = body.writeInt16BE(v.maxVersion, at);
  }
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
};

/** Calls `onRequest` with the correlation id of every whole request frame the socket sends. */
const onRequests = (socket: Socket, onRequest: (correlationId: number) => void): void => {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
      const size = buffered.readInt32BE(0);
      // Request header: api key (2), api version (2), correlation id (4), client id.
      onRequest(buffered.readInt32BE(8));
      buffered = buffered.subarray(4 + size);
    }
  });
};

/** A TCP server on 127.0.0.1 that speaks just enough Kafka to answer ApiVersions. */
export const startFakeBroker = async (replies: readonly FakeReply[]): Promise<FakeBroker> => {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    const reply = replies[accepted] ?? { _tag: 'answer' };
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onRequests(socket, (correlationId) => {
      const response = apiVersionsResponse(correlationId);
      if (reply._tag === 'answer') {
        socket.write(response);
      } else if (reply._tag === 'garbageFrame') {
        socket.write(Buffer.alloc(4));
      } else {
        const partial = Buffer.from(response.subarray(0, 10));
        partial.writeInt32BE(reply.claimedSize, 0);
        socket.write(partial, () => socket.resetAndDestroy());
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    connections: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
