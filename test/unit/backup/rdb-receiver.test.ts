import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { RdbReceiver, RDB_BATCH_BYTES } from '../../../src/core/backup/rdb-receiver.js';

const MARK = 'M'.repeat(40);

/** A receiver whose sink keeps every payload batch; `reads` feeds it through space()/readInto() the way `onread` does. */
function receiving() {
  const got: Buffer[] = [];
  const r = new RdbReceiver((payload) => {
    got.push(Buffer.from(payload));
    return true;
  });
  const read = (bytes: Buffer) => {
    for (let o = 0; o < bytes.length; ) {
      const space = r.space();
      const n = bytes.copy(space, 0, o, o + space.length);
      o += n;
      r.readInto(n);
    }
  };
  return { r, got, read, payload: () => Buffer.concat(got) };
}

/** The bytes after SYNC of a diskless transfer: keepalives, the header, the payload, the mark. */
const diskless = (payload: Buffer) => Buffer.concat([Buffer.from(`\n\n$EOF:${MARK}\r\n`), payload, Buffer.from(MARK)]);

describe('RdbReceiver', () => {
  it('a diskless transfer: the payload without the mark, however the reads split it (through onread and through push)', async () => {
    const payload = Buffer.from('REDIS0010' + 'x'.repeat(150));
    const stream = diskless(payload);
    for (let a = 0; a <= stream.length; a += 3) {
      for (const b of [a, Math.min(stream.length, a + 1), Math.min(stream.length, a + 39), stream.length]) {
        for (const via of ['onread', 'push'] as const) {
          const { r, read, payload: got } = receiving();
          const kind = r.expectPayload();
          for (const piece of [stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]) {
            if (via === 'push') r.push(piece);
            else read(piece);
          }
          expect(await kind).toBe('eof-marker');
          await r.finished;
          expect(got().equals(payload)).toBe(true);
          expect(r.payloadBytes).toBe(payload.length);
        }
      }
    }
  });

  it('a payload over several batches, with the mark split across a batch boundary, arrives whole and in order', async () => {
    for (const extra of [-41, -40, -39, -20, -1, 0, 1, 20, 39, 40, 41, RDB_BATCH_BYTES]) {
      const payload = randomBytes(2 * RDB_BATCH_BYTES + extra);
      const { r, got, read, payload: all } = receiving();
      const kind = r.expectPayload();
      const stream = diskless(payload);
      for (let o = 0; o < stream.length; o += 16_384 + 7) read(stream.subarray(o, o + 16_384 + 7));
      expect(await kind).toBe('eof-marker');
      await r.finished;
      expect(all().equals(payload)).toBe(true);
      expect(got.slice(0, -1).every((b) => b.length === RDB_BATCH_BYTES - 40)).toBe(true); // full batches, less the carried 40 bytes
    }
  });

  it('a sized transfer ($<length>): exactly that many bytes, even if more arrive; an empty one ends at once', async () => {
    const payload = randomBytes(RDB_BATCH_BYTES + 123);
    const { r, read, payload: got } = receiving();
    const kind = r.expectPayload();
    read(Buffer.concat([Buffer.from(`\n$${payload.length}\r\n`), payload, Buffer.from('+garbage after\r\n')]));
    expect(await kind).toBe('sized');
    await r.finished;
    expect(got().equals(payload)).toBe(true);

    const empty = receiving();
    const k2 = empty.r.expectPayload();
    empty.read(Buffer.from('$0\r\n'));
    expect(await k2).toBe('sized');
    await empty.r.finished;
    expect(empty.got).toEqual([]);
  });

  it('the replies before SYNC come as lines; the SYNC reply switches to the payload within the same read', async () => {
    const { r, read, payload: got } = receiving();
    const first = r.line();
    read(Buffer.from('+OK\r\n+O'));
    expect(await first).toBe('+OK');
    read(Buffer.from('K\r\n'));
    expect(await r.line()).toBe('+OK');
    const kind = r.expectPayload();
    read(Buffer.from(`$EOF:${MARK}\r\nREDIS0010abc${MARK}`));
    expect(await kind).toBe('eof-marker');
    await r.finished;
    expect(got().toString()).toBe('REDIS0010abc');
  });

  it('an error reply to SYNC rejects as a reply error; a closed connection fails with what was missing', async () => {
    const refused = receiving();
    const kind = refused.r.expectPayload();
    refused.read(Buffer.from('-NOPERM this user has no permissions to run the \'sync\' command\r\n'));
    await expect(kind).rejects.toMatchObject({ replyError: true, message: expect.stringMatching(/^NOPERM/) });

    const cut = receiving();
    void cut.r.expectPayload();
    cut.read(Buffer.from(`$EOF:${MARK}\r\nREDIS0010`));
    cut.r.end();
    await expect(cut.r.finished).rejects.toThrow(/before the end-of-transfer marker/);

    const short = receiving();
    void short.r.expectPayload();
    short.read(Buffer.from('$100\r\nREDIS0010'));
    short.r.end();
    await expect(short.r.finished).rejects.toThrow(/91 RDB bytes still to come/);

    const early = receiving();
    const line = early.r.line();
    early.r.end();
    await expect(line).rejects.toMatchObject({ code: 'ECONNRESET' });
    // Closed between the replies and SYNC: waiting for SYNC's reply fails at once, never hangs.
    await expect(early.r.expectPayload()).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('a batch handed back once written is filled again instead of a new one; the payload stays whole', async () => {
    const seen: Buffer[] = [];
    const copies: Buffer[] = [];
    const r = new RdbReceiver((payload) => {
      seen.push(payload);
      copies.push(Buffer.from(payload));
      r.recycle(payload); // as if written at once
      return true;
    });
    const kind = r.expectPayload();
    const payload = randomBytes(3 * RDB_BATCH_BYTES);
    const stream = diskless(payload);
    for (let o = 0; o < stream.length; o += 65_536) {
      const piece = stream.subarray(o, o + 65_536);
      for (let p = 0; p < piece.length; ) {
        const n = piece.copy(r.space(), 0, p);
        p += n;
        r.readInto(n);
      }
    }
    expect(await kind).toBe('eof-marker');
    await r.finished;
    expect(Buffer.concat(copies).equals(payload)).toBe(true);
    expect(new Set(seen.slice(0, -1).map((b) => b.buffer)).size).toBeLessThan(seen.length - 1); // memory reused
  });

  it('reading stops when the sink says so (the writes fell behind)', () => {
    let accept = true;
    const r = new RdbReceiver(() => accept);
    void r.expectPayload();
    const feed = (b: Buffer) => {
      const space = r.space();
      return r.readInto(b.copy(space));
    };
    expect(feed(Buffer.from(`$EOF:${MARK}\r\n`))).toBe(true);
    accept = false;
    let kept = true;
    for (let sent = 0; kept && sent < 2 * RDB_BATCH_BYTES; sent += 65_536) kept = feed(Buffer.alloc(65_536, 1));
    expect(kept).toBe(false); // the first full batch was refused
  });
});
