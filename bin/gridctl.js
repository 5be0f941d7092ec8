#!/usr/bin/env node
// Shim only: all work happens in the bundle (dist/bundle/main.js, built by `npm run build`), so
// start-up stays fast and nothing runs at import time.
import { availableParallelism } from 'node:os';

// No more libuv pool threads (backup compression, file I/O) than cores, up to libuv's default 4:
// on a 2-core host two more threads only compete with Redis, and each keeps its own malloc arena
// (a 1M-key backup peaked ~8 MB lower). Read once, when the pool starts, so it must be set first.
process.env.UV_THREADPOOL_SIZE ??= String(Math.min(4, Math.max(2, availableParallelism())));
import('../dist/bundle/main.js').then((m) => m.main(process.argv));
