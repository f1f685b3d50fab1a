const BLOCK = 512;

/**
 * A ustar archive holding one regular file, with every header field fixed (mtime 0, owner 0/0,
 * mode 0644, no user or group names), so the same name and content give the same bytes anywhere.
 * No padding to GNU tar's 10 KiB record: just the file and the two zero blocks that end an archive.
 */
export function singleFileTar(name: string, content: Uint8Array): Uint8Array {
  const header = new Uint8Array(BLOCK);
  const put = (offset: number, text: string) => header.set(new TextEncoder().encode(text), offset);
  const octal = (value: number, width: number) => `${value.toString(8).padStart(width - 1, '0')}\0`;
  put(0, name);
  put(100, octal(0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(content.length, 12));
  put(136, octal(0, 12));
  put(148, ' '.repeat(8)); // the checksum is computed with its own field as spaces
  put(156, '0');
  put(257, 'ustar\0');
  put(263, '00');
  put(329, octal(0, 8));
  put(337, octal(0, 8));
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  put(148, `${checksum.toString(8).padStart(6, '0')}\0 `);

  const dataBlocks = Math.ceil(content.length / BLOCK) * BLOCK;
  const archive = new Uint8Array(BLOCK + dataBlocks + 2 * BLOCK);
  archive.set(header, 0);
  archive.set(content, BLOCK);
  return archive;
}
