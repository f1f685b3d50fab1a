import { flag, type OptionSet } from '../flags/spec.js';

/** cosign's persistent flags (RootOptions): accepted before or after the command name. */
export const ROOT_FLAGS: OptionSet = [
  flag({ name: 'output-file', type: 'string', default: '', description: 'write what the command prints on stdout to this file instead' }),
  flag({ name: 'verbose', short: 'd', type: 'bool', default: 'false', description: 'log debug output on stderr (and stack traces of internal errors)' }),
  flag({ name: 'timeout', short: 't', type: 'duration', default: '3m0s', description: 'stop the command after this long (0 for no limit)' }),
];
