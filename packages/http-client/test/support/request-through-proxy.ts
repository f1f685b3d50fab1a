// Run in a child process by proxy.test.ts: one request through HTTPS_PROXY with a short
// per-attempt timeout and one retry, then whether the process could exit on its own.
import { requestJson } from '../../src/index.js';

const started = Date.now();
let code: string | undefined;
try {
  await requestJson('https://fulcio.proxied.test/api/v2/configuration', { timeoutMs: 300, retries: 1, retryDelayMs: 10 });
} catch (err) {
  code = (err as { code?: string }).code;
}
process.stdout.write(`${JSON.stringify({ code, ms: Date.now() - started })}\n`);
// No process.exit: the test checks that nothing left behind keeps the process alive.
