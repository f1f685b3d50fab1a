#!/usr/bin/env node
// Regenerates apps/cli/test/fixtures/cosign-flags.json from a cosign checkout's git directory:
//   node scripts/extract-cosign-flags.mjs /path/to/cosign/.git [COMMIT] > apps/cli/test/fixtures/cosign-flags.json
// It reads the Go source as text (no Go toolchain needed): the option structs in
// cmd/cosign/cli/options, the AddFlags method of each (flag registrations, nested option sets,
// MarkDeprecated calls in the order cobra applies them), and which struct each of the eight
// commands in cmd/cosign/cli adds. The output is data; check it in with the commit it came from.
import { execFileSync } from 'node:child_process';

const [gitDir, commitArg] = process.argv.slice(2);
if (!gitDir) {
  process.stderr.write('usage: extract-cosign-flags.mjs COSIGN_GIT_DIR [COMMIT]\n');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = git('rev-parse', commitArg ?? 'HEAD').trim();
const describe = (() => {
  try {
    return git('describe', '--tags', commit).trim();
  } catch {
    return commit;
  }
})();
const listGo = (dir) =>
  git('ls-tree', '--name-only', `${commit}:${dir}`)
    .split('\n')
    .filter((name) => name.endsWith('.go') && !name.endsWith('_test.go'))
    .map((name) => ({ name, text: git('show', `${commit}:${dir}/${name}`) }));

const COMMANDS = ['sign-blob', 'verify-blob', 'sign', 'verify', 'attest-blob', 'verify-blob-attestation', 'attest', 'verify-attestation'];
const PFLAG_TYPES = {
  BoolVar: 'bool',
  StringVar: 'string',
  StringSliceVar: 'stringSlice',
  StringArrayVar: 'stringArray',
  IntVar: 'int',
  DurationVar: 'duration',
  StringToStringVar: 'stringToString',
  Var: 'custom',
};

// ---- a small scanner for Go source: strings, runes, comments, balanced brackets ----

function skipString(src, i) {
  const quote = src[i];
  if (quote === '`') return src.indexOf('`', i + 1) + 1;
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === quote) return j + 1;
  }
  throw new Error('unterminated string');
}

/** The index just past the bracket that closes the one at `open`. */
function matchBracket(src, open) {
  let depth = 0;
  for (let i = open; i < src.length; ) {
    const c = src[i];
    if (c === '"' || c === '`' || c === "'") i = skipString(src, i);
    else if (c === '/' && src[i + 1] === '/') i = src.indexOf('\n', i);
    else if (c === '/' && src[i + 1] === '*') i = src.indexOf('*/', i) + 2;
    else {
      if ('([{'.includes(c)) depth++;
      if (')]}'.includes(c) && --depth === 0) return i + 1;
      i++;
    }
  }
  throw new Error('unbalanced brackets');
}

/** Top-level comma-separated arguments of the call whose '(' is at `open`, comments left out. */
function splitArgs(src, open) {
  const end = matchBracket(src, open) - 1;
  const args = [];
  let current = '';
  for (let i = open + 1; i < end; ) {
    const c = src[i];
    let next = i + 1;
    if (c === '"' || c === '`' || c === "'") next = skipString(src, i);
    else if (c === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      continue;
    } else if ('([{'.includes(c)) next = matchBracket(src, i);
    else if (c === ',') {
      args.push(current.trim());
      current = '';
      i = next;
      continue;
    }
    current += src.slice(i, next);
    i = next;
  }
  if (current.trim()) args.push(current.trim());
  return args;
}

function goString(literal) {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  return JSON.parse(literal.replace(/\\'/g, "'"));
}

// ---- what the options package declares ----

const optionFiles = listGo('cmd/cosign/cli/options');
const cosignPkg = [...listGo('pkg/cosign'), ...listGo('internal/pkg/cosign')];
const allOptions = optionFiles.map((f) => f.text).join('\n');

const constants = new Map();
for (const { text } of [...optionFiles, ...cosignPkg]) {
  for (const m of text.matchAll(/^\s*(?:const\s+)?(\w+)\s*(?:\w+\s*)?=\s*("(?:[^"\\]|\\.)*"|\d+)\s*$/gm)) constants.set(m[1], m[2]);
}
const stringSlices = new Map();
for (const m of allOptions.matchAll(/var (\w+) = \[\]string\{([^}]*)\}/g)) {
  stringSlices.set(m[1], [...m[2].matchAll(/"(?:[^"\\]|\\.)*"/g)].map((s) => goString(s[0])));
}

function evaluate(expr) {
  expr = expr.trim();
  const parts = [];
  for (let i = 0; i < expr.length; ) {
    const c = expr[i];
    if (c === '"' || c === '`') {
      const end = skipString(expr, i);
      parts.push(goString(expr.slice(i, end)));
      i = end;
    } else if (c === '+' || /\s/.test(c)) i++;
    else {
      // Not a plain concatenation of literals: resolve what we can, else keep the Go text.
      const ref = /^(?:\w+\.)?(\w+)(?:\[(\d+)\])?$/.exec(expr);
      if (ref && ref[2] !== undefined && stringSlices.has(ref[1])) return stringSlices.get(ref[1])[Number(ref[2])];
      if (ref && constants.has(ref[1])) return evaluate(constants.get(ref[1]));
      const sprintf = /^fmt\.Sprintf\(/.exec(expr);
      if (sprintf) return evaluate(splitArgs(expr, expr.indexOf('('))[0]);
      return expr;
    }
  }
  return parts.join('');
}

// Values computed by sigstore/sigstore at run time, not in cosign's source.
// signature.FormatSignatureAlgorithmFlag(PKIX_ECDSA_P256_SHA_256) (pkg/signature/algorithm_registry.go):
constants.set('defaultKeyFlag', '"ecdsa-sha2-256-nistp256"');

const structs = new Map();
for (const m of allOptions.matchAll(/type (\w+) struct \{/g)) {
  const open = m.index + m[0].length - 1;
  const body = allOptions.slice(open + 1, matchBracket(allOptions, open) - 1);
  const fields = new Map();
  for (const line of body.split('\n')) {
    const f = /^\s*(\w+)(?:\s+([\w.[\]*]+))?\s*(?:\/\/.*)?$/.exec(line);
    if (f) fields.set(f[1], f[2] ?? f[1]);
  }
  structs.set(m[1], fields);
}

const addFlagsBodies = new Map();
for (const m of allOptions.matchAll(/func \(o \*(\w+)\) AddFlags\(cmd \*cobra\.Command\) \{/g)) {
  const open = m.index + m[0].length - 1;
  addFlagsBodies.set(m[1], allOptions.slice(open, matchBracket(allOptions, open)));
}

const valueTypes = new Map();
for (const m of allOptions.matchAll(/func \(\w+ \*(\w+)\) Type\(\) string \{\s*return "([^"]+)"/g)) valueTypes.set(m[1], m[2]);

/** Runs a struct's AddFlags into `flags` (a Map by name), as cobra would. */
function addFlags(structName, flags) {
  const body = addFlagsBodies.get(structName);
  if (!body) throw new Error(`no AddFlags for ${structName}`);
  // Locals such as `help := fmt.Sprintf(...)` used as descriptions.
  for (const m of body.matchAll(/^\s*(\w+) := (fmt\.Sprintf\(.*\))$/gm)) if (!constants.has(m[1])) constants.set(m[1], m[2]);
  const statement = /o\.(\w+)\.AddFlags\(cmd\)|cmd\.(Flags|PersistentFlags)\(\)\.(\w+)\(/g;
  for (const m of body.matchAll(statement)) {
    if (m[1]) {
      const type = structs.get(structName)?.get(m[1]);
      if (!type) throw new Error(`${structName}.${m[1]}: unknown field`);
      addFlags(type.replace(/^\*/, ''), flags);
      continue;
    }
    const method = m[3];
    const args = splitArgs(body, m.index + m[0].length - 1);
    if (method === 'MarkDeprecated') {
      const flag = flags.get(goString(args[0]));
      if (flag) flag.deprecated = evaluate(args[1]);
      continue;
    }
    const kind = method.replace(/P$/, '');
    if (!(kind in PFLAG_TYPES)) continue;
    const withShort = method.endsWith('P');
    const name = goString(args[1]);
    const shorthand = withShort ? goString(args[2]) : '';
    let type = PFLAG_TYPES[kind];
    let defaultValue;
    let description;
    if (kind === 'Var') {
      const field = /&o\.(\w+)/.exec(args[0])?.[1];
      const fieldType = structs.get(structName)?.get(field);
      type = valueTypes.get(fieldType) ?? 'custom';
      defaultValue = '';
      description = evaluate(args[withShort ? 3 : 2]);
    } else {
      defaultValue = evaluate(args[withShort ? 3 : 2]);
      description = evaluate(args[withShort ? 4 : 3]);
    }
    if (type === 'stringSlice' || type === 'stringArray') defaultValue = defaultValue === 'nil' ? '[]' : defaultValue;
    if (type === 'stringToString' && defaultValue === 'nil') defaultValue = '[]';
    if (type === 'duration' && defaultValue === 'DefaultTimeout') defaultValue = '3m0s';
    flags.set(name, { flag: name, shorthand, type, default: String(defaultValue), deprecated: '', description, persistent: m[2] === 'PersistentFlags' });
  }
}

// ---- which struct each command adds ----

const cliFiles = listGo('cmd/cosign/cli');
const commandStructs = new Map();
for (const { text } of cliFiles) {
  for (const m of text.matchAll(/o := &options\.(\w+)\{\}[\s\S]*?Use:\s+"([\w-]+)"/g)) commandStructs.set(m[2], m[1]);
}
const normalisation = /func normalizeCertificateFlags[\s\S]*?\n\}/.exec(cliFiles.map((f) => f.text).join('\n'))?.[0] ?? '';
const aliases = Object.fromEntries([...normalisation.matchAll(/case "([\w-]+)":\s*name = "([\w-]+)"/g)].map((m) => [m[1], m[2]]));

const rows = [];
const global = new Map();
addFlags('RootOptions', global);
for (const flag of global.values()) rows.push({ command: '(global)', ...flag });
for (const command of COMMANDS) {
  const structName = commandStructs.get(command);
  if (!structName) throw new Error(`${command}: no options struct found`);
  const flags = new Map();
  addFlags(structName, flags);
  for (const flag of [...flags.values()].sort((a, b) => a.flag.localeCompare(b.flag))) rows.push({ command, ...flag });
}
for (const row of rows) delete row.persistent;

process.stdout.write(
  `${JSON.stringify(
    {
      source: `sigstore/cosign ${describe} (commit ${commit}): cmd/cosign/cli/options/*.go, cmd/cosign/cli/*.go; extracted by scripts/extract-cosign-flags.mjs`,
      envPrefix: 'COSIGN',
      aliases,
      flags: rows,
    },
    null,
    1,
  )}\n`,
);
