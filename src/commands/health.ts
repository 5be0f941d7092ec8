import { Command } from 'commander';
export function healthCommand(): Command { return new Command('health'); }
