import type { RuleMeta } from '../types.js';
import { DOC } from './rule.js';

/** Rules only `--live` can evaluate (the running server), plus the drift rules. */
export const liveRules: RuleMeta[] = [
  { id: 'LIVE001', severity: 'error', title: 'Running default user has no password', why: 'ACL LIST shows `user default on nopass`: every client is a superuser, whatever the files say.', fix: 'ACL SETUSER default off resetpass, then fix the files and ACL SAVE / restart.', docs: DOC.acl },
  { id: 'LIVE002', severity: 'warn', title: 'Running with protected-mode off', why: 'CONFIG GET protected-mode returns no on the running server.', fix: 'CONFIG SET protected-mode yes and fix the file.', docs: DOC.security },
  { id: 'LIVE003', severity: 'warn', title: 'Running server does not use TLS', why: 'INFO / CONFIG GET tls-port show no TLS listener: passwords and data cross the network in cleartext.', fix: 'Enable tls-port with port 0.', docs: DOC.tls },
  { id: 'LIVE004', severity: 'error', title: 'Running server has an enabled nopass user', why: 'ACL LIST shows an enabled user with nopass.', fix: 'ACL SETUSER <user> resetpass #<sha256>.', docs: DOC.acl },
  { id: 'DRIFT001', severity: 'warn', title: 'Directive differs from the running server', why: 'CONFIG SET / CONFIG REWRITE / Sentinel changed the running server, or the file was edited without a restart: the next restart changes behaviour.', fix: 'Make the file and the server agree (edit the file, or CONFIG SET and CONFIG REWRITE).', docs: DOC.config },
  { id: 'DRIFT002', severity: 'warn', title: 'ACL user differs from the running server', why: 'ACL SETUSER at run time (or an unloaded ACL file) means the files no longer describe who can do what.', fix: 'ACL LOAD after editing the file, or ACL SAVE after a deliberate change.', docs: DOC.acl },
];

/** `--boot`: the real server refused the file. */
export const bootRule: RuleMeta = {
  id: 'BOOT001', severity: 'error', title: 'redis-server refuses to start with this file',
  why: 'gridctl check --boot started the target redis-server on a copy of the file (throwaway dir, loopback ports) and it exited: this is the ground truth the static rules approximate.',
  fix: 'Fix the line Redis names; run gridctl check --boot again.',
  docs: DOC.config,
};
