export interface RunOptions {
  runs?: number;
  seconds?: number;
  seed?: number;
  timeoutMs?: number;
  workDir?: string;
  quiet?: boolean;
  built?: string;
  seedsDir?: string;
}
export interface RunResult {
  code: number | string;
  output: string;
  stats: Record<string, number>;
  findings: string;
}
export function runTarget(name: string, options?: RunOptions): Promise<RunResult>;
