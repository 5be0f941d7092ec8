import { isIP } from 'node:net';
import { DOC, at, dataNodes, type Rule } from './rule.js';

/** Network rules (NET0xx). */

/** Loopback or private (RFC 1918, CGNAT, ULA, link-local) addresses are fine to bind. */
function isPrivateAddress(addr: string): boolean {
  const a = addr.replace(/^-/, '');
  if (a === 'localhost') return true;
  if (isIP(a) === 4) {
    const [x, y] = a.split('.').map(Number) as [number, number];
    return x === 127 || x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127) || (x === 169 && y === 254);
  }
  if (isIP(a) === 6) {
    const l = a.toLowerCase();
    return l === '::1' || l.startsWith('fc') || l.startsWith('fd') || l.startsWith('fe80');
  }
  return false;
}

export const netRules: Rule[] = [
  {
    id: 'NET001', severity: 'error', title: 'Listening on all or public interfaces',
    why: 'Without `bind` the compiled default is `* -::*` (every interface); *, 0.0.0.0, :: or a public address expose Redis to networks it should never face.',
    fix: 'bind 127.0.0.1 -::1 plus the private address clients use, e.g. `bind 10.0.0.5 127.0.0.1 -::1`.',
    docs: DOC.security,
    check(input, report) {
      for (const s of input.servers) {
        const { addresses, line } = s.eff.bindAddresses();
        if (!line) { report({ file: s.conf.file, line: 0 }, 'no bind directive: Redis listens on every interface (* -::*)'); continue; }
        const bad = addresses.filter((a) => ['*', '0.0.0.0', '::', '-::*', '::*', '-*'].includes(a) || (isIP(a.replace(/^-/, '')) !== 0 && !isPrivateAddress(a)));
        if (bad.length) report(line, `bind ${addresses.join(' ')} listens on ${bad.join(', ')}`);
      }
    },
  },
  {
    id: 'NET002', severity: 'error', title: 'Protected mode off with a passwordless default user',
    why: 'This is an unauthenticated server open to the network.',
    fix: 'Set protected-mode yes and give the default user a password or turn it off.',
    docs: DOC.security,
    check(input, report) {
      for (const s of dataNodes(input)) {
        const d = s.users.defaultUser;
        if (s.eff.value('protected-mode') === 'no' && d.enabled && d.nopass) report(at(s, 'protected-mode'), 'protected-mode no while the default user is on with nopass: anyone who reaches the port has full access');
      }
    },
  },
  {
    id: 'NET003', severity: 'warn', title: 'Protected mode off',
    why: 'Defence in depth: with protected mode on, a passwordless default user never answers non-local clients.',
    fix: 'protected-mode yes',
    docs: DOC.security,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.eff.value('protected-mode') === 'no') report(at(s, 'protected-mode'), 'protected-mode no on a data node');
    },
  },
  {
    id: 'NET004', severity: 'warn', title: 'Plaintext port open next to TLS',
    why: 'With tls-port set and port ≠ 0 the plaintext listener stays open beside TLS.',
    fix: 'port 0 (TLS only).',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) if (s.eff.tlsPort() > 0 && s.eff.port() !== 0) report(at(s, 'port'), `tls-port ${s.eff.tlsPort()} is set but the plaintext port ${s.eff.port()} is open too`);
    },
  },
  {
    id: 'NET005', severity: 'error', title: 'Not listening anywhere',
    why: 'With port 0, no tls-port and no unixsocket the server exits: "Configured to not listen anywhere, exiting."',
    fix: 'Set tls-port (TLS-only), a non-zero port, or a unixsocket.',
    docs: DOC.config,
    check(input, report) {
      for (const s of input.servers) if (s.eff.port() === 0 && s.eff.tlsPort() === 0 && !s.eff.value('unixsocket')) report(at(s, 'port'), 'port 0 without tls-port or unixsocket: "Configured to not listen anywhere, exiting."');
    },
  },
  {
    id: 'NET006', severity: 'warn', title: 'Unix socket permissions',
    why: 'Unix-socket clients count as local: they bypass protected mode and match enable-*-command local. Without unixsocketperm the umask decides.',
    fix: 'unixsocketperm 700 (or 770 with a dedicated group).',
    docs: DOC.security,
    check(input, report) {
      for (const s of input.servers) {
        if (!s.eff.value('unixsocket')) continue;
        const perm = s.eff.value('unixsocketperm');
        if (!perm || perm === '0') report(at(s, 'unixsocket'), 'unixsocket without unixsocketperm: the umask decides who may connect');
        else if (/^[0-7]+$/.test(perm) && (parseInt(perm, 8) & 0o007) !== 0) report(at(s, 'unixsocketperm'), `unixsocketperm ${perm} lets any local user connect`);
      }
    },
  },
];
