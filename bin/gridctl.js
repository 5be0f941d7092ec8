#!/usr/bin/env node
// Shim only: all work happens in dist/main.js so start-up stays fast and nothing runs at import time.
import('../dist/main.js').then((m) => m.main(process.argv));
