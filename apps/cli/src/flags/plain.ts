import type { FlagSpec } from './spec.js';

type Plain = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; description?: string }>;

/** Flags of sigil's own options, declared compactly: read from SIGIL_<FLAG> when a cosign command has them. */
export function plainFlags(options: Plain): FlagSpec[] {
  return Object.entries(options).map(([name, o]) => ({
    name,
    ...(o.short ? { short: o.short } : {}),
    type: o.type === 'boolean' ? 'bool' : o.multiple ? 'stringArray' : 'string',
    description: o.description ?? '',
    sigilOnly: true,
  }));
}
