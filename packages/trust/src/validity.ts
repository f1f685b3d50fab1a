/** A trusted-root validity window. Both ends are inclusive; a window without a start is never valid. */
export interface ValidityWindow {
  start?: Date | undefined;
  end?: Date | undefined;
}

export function isWithin(window: ValidityWindow, time: Date): boolean {
  if (!window.start) return false;
  const t = time.getTime();
  return window.start.getTime() <= t && (!window.end || t <= window.end.getTime());
}

export function describeWindow(window: ValidityWindow): string {
  const start = window.start ? window.start.toISOString() : '(no start: never valid)';
  return `${start} .. ${window.end ? window.end.toISOString() : 'open'}`;
}
