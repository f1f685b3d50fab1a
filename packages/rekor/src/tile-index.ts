/** C2SP tlog-tiles index path elements: 1234067 -> x001/x234/067 (3 digits each, all but the last prefixed "x"). */
export function encodeTileIndex(index: number): string {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}
