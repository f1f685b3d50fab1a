/** pflag's value kinds, as cosign declares them. */
export type FlagType = 'bool' | 'string' | 'stringSlice' | 'stringArray' | 'int' | 'duration';

/** Why sigil does not do what a cosign flag asks, and what to do instead. */
export interface Refusal {
  why: string;
  instead: string;
  /** Values sigil does accept (cosign's default, say): the flag is refused only for the others. */
  accepts?: (value: FlagValue) => boolean;
}

export type FlagValue = boolean | string | string[] | number;

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  description: string;
  /** cosign's default as `--help` shows it. Parsed values hold only what was given: commands apply defaults. */
  default?: string;
  /** cosign's deprecation message: the flag still works and a warning says so, as pflag does. */
  deprecated?: string;
  refused?: Refusal;
  /** Where sigil's own flags (not cosign's) are bound: SIGIL_<FLAG> rather than COSIGN_<FLAG>. */
  sigilOnly?: boolean;
  /** Completion candidates, for flags with a fixed set of values. */
  choices?: readonly string[];
}

/** A group of flags shared across commands, as cosign's option structs are. */
export type OptionSet = readonly FlagSpec[];

export const flag = (spec: FlagSpec): FlagSpec => spec;

/** The environment variable a flag is read from when not given: cosign's viper binding, or sigil's own. */
export function envName(spec: FlagSpec): string {
  return `${spec.sigilOnly ? 'SIGIL' : 'COSIGN'}_${spec.name.toUpperCase().replace(/-/g, '_')}`;
}

/** Joins option sets into a command's flags; a later declaration of a name replaces an earlier one. */
export function flagsOf(...sets: OptionSet[]): FlagSpec[] {
  const byName = new Map<string, FlagSpec>();
  for (const set of sets) for (const spec of set) byName.set(spec.name, spec);
  return [...byName.values()];
}

/** Derives a variant of a shared flag for one command (another description or default), as cosign's structs do. */
export function variant(spec: FlagSpec, changes: Partial<FlagSpec>): FlagSpec {
  return { ...spec, ...changes };
}
