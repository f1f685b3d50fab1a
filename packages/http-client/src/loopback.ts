/**
 * 127.0.0.0/8, ::1 and localhost: names that never leave the machine, the only hosts that
 * may be spoken to in plain http. 0.0.0.0 and other local-looking names are not loopback:
 * what they reach depends on the machine.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
