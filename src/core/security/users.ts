import type { OpenNode } from '../acl/every-node.js';
import type { UserSecurity } from './types.js';

/** The commands a user being able to run is worth knowing about, as ACL DRYRUN takes them. */
const DANGEROUS_COMMANDS: ReadonlyArray<readonly string[]> = [['FLUSHALL'], ['CONFIG', 'GET', 'maxmemory'], ['DEBUG', 'SLEEP', '0'], ['KEYS', '*'], ['MODULE', 'LIST']];

/** Users from every node's ACL LIST (`user <name> on|off <rules>`), merged by name. */
export function usersFromAclLists(lists: ReadonlyArray<{ node: string; lines: readonly string[] }>): UserSecurity[] {
  const users = new Map<string, UserSecurity>();
  for (const { node, lines } of lists) {
    for (const line of lines) {
      const tokens = line.split(' ');
      if (tokens[0] !== 'user' || !tokens[1]) continue;
      const u = users.get(tokens[1]) ?? { user: tokens[1], enabled: false, nopass: false, allCommands: false, dangerous: [], nodes: [] };
      u.enabled ||= tokens.includes('on');
      u.nopass ||= tokens.includes('nopass');
      u.allCommands ||= tokens.includes('+@all') || tokens.includes('allcommands');
      if (!u.nodes.includes(node)) u.nodes.push(node);
      users.set(u.user, u);
    }
  }
  return [...users.values()];
}

/** ACL DRYRUN of each dangerous command for each enabled user on the data nodes: what any of them lets it run. */
export async function dangerousCommands(nodes: readonly OpenNode[], users: UserSecurity[]): Promise<void> {
  const data = nodes.filter((n) => n.role !== 'sentinel');
  for (const u of users.filter((x) => x.enabled)) {
    for (const cmd of DANGEROUS_COMMANDS) {
      const name = cmd.slice(0, cmd[0] === 'CONFIG' ? 2 : 1).join(' ');
      for (const n of data.filter((d) => u.nodes.includes(d.address))) {
        const reply = await n.client.call('ACL', 'DRYRUN', u.user, ...cmd).catch(() => undefined);
        if (reply === 'OK') {
          if (!u.dangerous.includes(name)) u.dangerous.push(name);
          break;
        }
      }
    }
  }
}
