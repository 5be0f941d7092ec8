import { GridctlError } from '../errors.js';

const UNITS: Record<string, number> = { b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };

/** "10mb", "512kb", "1g" or a plain number of bytes -> bytes (binary units, as Redis uses). */
export function parseSize(value: string | number, what = 'size'): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
    throw new GridctlError('USAGE', `invalid ${what} ${value}`);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNITS[(m?.[2] || 'b').toLowerCase()];
  if (!m || unit === undefined) throw new GridctlError('USAGE', `invalid ${what} "${value}"`, { hint: 'use bytes or a unit: 512kb, 10mb, 1gb' });
  return Math.round(Number(m[1]) * unit);
}

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(Math.abs(v) < 10 ? 2 : 1)} ${units[i]}`;
}
