// A test process that starts a registry and never closes it: it prints the registry's pid and
// config path, then waits for a signal (see docker-registry.test.ts).
import { readFileSync } from 'node:fs';
import { startDockerRegistry } from '../../src/index.js';

const registry = await startDockerRegistry();
const config = readFileSync(`/proc/${registry.pid}/cmdline`, 'utf8').split('\0')[2];
process.stdout.write(`${JSON.stringify({ pid: registry.pid, config })}\n`);
setInterval(() => {}, 1000);
