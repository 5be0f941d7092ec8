import type { LocalState } from '../../core/local/state.js';
import type { Output } from '../output.js';
import { renderTable } from '../table.js';

/** What `gridctl up` prints: the URL on stdout (so `$(gridctl up)` works), details on stderr. */
export function renderUp(state: LocalState, out: Output): void {
  out.print(state.url);
  const rows = state.nodes.map((n) => [n.name, n.role, `${n.host}:${n.port}`, n.pid]);
  out.info(renderTable(['NODE', 'ROLE', 'ADDRESS', 'PID'], rows, { tty: out.stderrIsTTY }));
  const notes = [`${state.topology} deployment ready; state in ${state.dir}/state.json`];
  if (state.masterName) notes.push(`sentinel master name: ${state.masterName}`);
  if (state.passwordFile) notes.push(`user ${state.username}, password in ${state.passwordFile} (0600)`);
  if (state.tlsFiles) notes.push(`TLS: --tls-ca ${state.tlsFiles.ca} --tls-cert ${state.tlsFiles.cert} --tls-key ${state.tlsFiles.key}`);
  notes.push('`gridctl health` checks it; `gridctl down` stops it');
  for (const n of notes) out.info(n);
}
