import { describe, it, expect } from 'vitest';
import { PassThrough } from 'node:stream';
import { SocketBytes, INCOMPLETE, RedisReplyError } from '../../../src/core/redis/socket-bytes.js';

/** Parse the replies of a pipelined PEXPIRETIME + DUMP exchange the way the backup does. */
async function readPairs(input: SocketBytes, n: number): Promise<Array<[number, string | null]>> {
  const out: Array<[number, string | null]> = [];
  for (let i = 0; i < n; i++) {
    let e = input.tryInteger();
    while (e === INCOMPLETE) {
      await input.more();
      e = input.tryInteger();
    }
    let len = input.tryBulkHeader();
    while (len === INCOMPLETE) {
      await input.more();
      len = input.tryBulkHeader();
    }
    if (len < 0) {
      out.push([e, null]);
      continue;
    }
    await input.need(len + 2);
    out.push([e, input.buf.toString('latin1', input.pos, input.pos + len)]);
    input.pos += len + 2;
  }
  return out;
}

const big = 'v'.repeat(300_000);
const REPLIES = `:-1\r\n$5\r\nhello\r\n:1767225600000\r\n$-1\r\n:-2\r\n$0\r\n\r\n:42\r\n$${big.length}\r\n${big}\r\n:7\r\n$4\r\na\r\nb\r\n`;
const EXPECTED: Array<[number, string | null]> = [[-1, 'hello'], [1767225600000, null], [-2, ''], [42, big], [7, 'a\r\nb']];

describe('SocketBytes: RESP replies parsed from the bytes as they arrive', () => {
  it('gives the same replies whatever the chunk boundaries (every split of the small replies, and 1-byte chunks)', async () => {
    const bytes = Buffer.from(REPLIES, 'latin1');
    const splits = [...Array.from({ length: 80 }, (_, i) => [i + 1]), [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 300_000]];
    for (const cuts of splits) {
      const s = new PassThrough();
      const input = new SocketBytes(s, 1000);
      const parsed = readPairs(input, EXPECTED.length);
      let at = 0;
      for (const c of cuts) {
        if (at >= bytes.length) break;
        s.write(bytes.subarray(at, Math.min(bytes.length, at + c)));
        at += c;
      }
      s.write(bytes.subarray(at));
      expect(await parsed).toEqual(EXPECTED);
    }
    const s = new PassThrough();
    const input = new SocketBytes(s, 1000);
    const parsed = readPairs(input, EXPECTED.length);
    for (let i = 0; i < 2000; i++) s.write(bytes.subarray(i, i + 1));
    s.write(bytes.subarray(2000));
    expect(await parsed).toEqual(EXPECTED);
  });

  it('an error reply throws RedisReplyError with the server message; a wrong reply type is a protocol error', async () => {
    const s = new PassThrough();
    const input = new SocketBytes(s, 1000);
    s.write('-NOPERM this user has no permissions to run the \'dump\' command\r\n+OK\r\n');
    await input.more();
    expect(() => input.tryInteger()).toThrow(RedisReplyError);
    expect(() => input.tryBulkHeader()).toThrow(/protocol error: expected a bulk string, got "\+OK/);
    const s2 = new PassThrough();
    const i2 = new SocketBytes(s2, 1000);
    s2.write('-ERR unknown command \'PEXPIRETIME\'\r\n');
    await i2.more();
    expect(() => i2.tryBulkHeader()).toThrow(/^ERR unknown command 'PEXPIRETIME'$/);
  });

  it('waiting longer than the idle timeout fails with ETIMEDOUT; a closed stream fails need() and ends more()', async () => {
    const s = new PassThrough();
    const input = new SocketBytes(s, 50);
    await expect(input.need(1)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    const s2 = new PassThrough();
    const i2 = new SocketBytes(s2, 1000);
    s2.end(':1');
    expect(await i2.more()).toBe(true);
    expect(i2.tryInteger()).toBe(INCOMPLETE);
    expect(await i2.more()).toBe(false);
    await expect(i2.need(10)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('line() skips keepalive newlines', async () => {
    const s = new PassThrough();
    const input = new SocketBytes(s, 1000);
    s.write('\n\n+OK\r\n\n:12\r\n');
    expect(await input.line()).toBe('+OK');
    expect(await input.line()).toBe(':12');
  });

  it('pauses the stream above its high-water mark and resumes when the bytes are taken in', async () => {
    const s = new PassThrough();
    const input = new SocketBytes(s, 1000, 1024);
    s.write(Buffer.alloc(2048, 0x61));
    await new Promise((r) => setImmediate(r));
    expect(s.isPaused()).toBe(true);
    await input.need(2048);
    expect(s.isPaused()).toBe(false);
    expect(input.available).toBe(2048);
  });
});
