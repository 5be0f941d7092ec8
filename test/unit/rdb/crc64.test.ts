import { describe, expect, it } from 'vitest';
import { Crc64, crc64 } from '../../../src/core/rdb/crc64.js';

describe('CRC-64/Jones', () => {
  it('has Redis\' check value (crc64.c: "123456789" -> e9c6d914c4b8d9ca)', () => {
    expect(crc64(Buffer.from('123456789')).hex()).toBe('e9c6d914c4b8d9ca');
  });

  it('the WebAssembly loop (large inputs) and the JavaScript one (small pieces) agree', () => {
    const data = Buffer.alloc(3 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    const whole = crc64(data).hex(); // > 4 KiB: WebAssembly, in 1 MiB windows
    const pieces = new Crc64();
    for (let at = 0; at < data.length; at += 1000) pieces.update(data, at, Math.min(data.length, at + 1000)); // < 4 KiB: JavaScript
    expect(pieces.hex()).toBe(whole);
    const mixed = new Crc64();
    mixed.update(data, 0, 5);
    mixed.update(data, 5, data.length - 3);
    mixed.update(data, data.length - 3);
    expect(mixed.hex()).toBe(whole);
  });
});
