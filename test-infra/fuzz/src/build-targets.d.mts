export const BUILD_DIR: string;
/** Builds the named targets (all by default) and returns each one's .cjs path. */
export function buildTargets(names?: string[]): Promise<Record<string, string>>;
