'use strict';
// Jazzer.js 4.0.0 ships its libFuzzer addon prebuilt on a newer Linux than Debian 12: it asks
// for GLIBC_2.38 (only for the C23 names __isoc23_strtol/strtoul that glibc 2.38 headers
// emit for strtol/strtoul) and GLIBCXX_3.4.32 (only for std::ios_base_library_init, a symbol
// GCC 13 references so that the library is new enough; no relocation uses it). The npm
// package has no C++ source to rebuild from. This rewrites a copy of the addon so that it
// loads on glibc 2.36: the two C23 imports become the classic strtol/strtoul (same behaviour
// for the decimal flags libFuzzer parses), and both version needs are marked weak.
const VER_FLG_WEAK = 0x2;
const SHT_DYNSYM = 11;
const SHT_GNU_VERSYM = 0x6fffffff;
const SHT_GNU_VERNEED = 0x6ffffffe;
const C23_PREFIX = '__isoc23_';

/** Returns the patched ELF, or throws naming what it did not find. */
function patchAddon(elf) {
  const b = Buffer.from(elf);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error('expected a little-endian ELF64 file');
  const sections = readSections(b);
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  const versym = sections.find((s) => s.type === SHT_GNU_VERSYM);
  const verneed = sections.find((s) => s.type === SHT_GNU_VERNEED);
  if (!dynsym || !versym || !verneed) throw new Error('expected .dynsym, .gnu.version and .gnu.version_r sections');
  const dynstr = sections[dynsym.link];
  const name = (offset) => {
    const start = dynstr.offset + offset;
    return b.toString('latin1', start, b.indexOf(0, start));
  };
  const needs = readVersionNeeds(b, verneed, name);
  const glibc238 = needs.find((n) => n.file === 'libc.so.6' && n.version === 'GLIBC_2.38');
  const glibcBase = needs.find((n) => n.file === 'libc.so.6' && n.version === 'GLIBC_2.2.5');
  const glibcxx = needs.find((n) => n.file === 'libstdc++.so.6' && n.version === 'GLIBCXX_3.4.32');
  if (!glibcBase) throw new Error('expected the addon to need libc.so.6 GLIBC_2.2.5');
  if (glibc238) {
    for (let i = 0; i < dynsym.size / 24; i++) {
      const versymAt = versym.offset + 2 * i;
      if ((b.readUInt16LE(versymAt) & 0x7fff) !== glibc238.index) continue;
      const symAt = dynsym.offset + 24 * i;
      const symbol = name(b.readUInt32LE(symAt));
      if (!symbol.startsWith(C23_PREFIX) || !['strtol', 'strtoul'].includes(symbol.slice(C23_PREFIX.length))) {
        throw new Error(`expected only __isoc23_strtol/strtoul to need GLIBC_2.38, found ${symbol}`);
      }
      // "__isoc23_strtol\0" ends with "strtol\0": point the name past the prefix.
      b.writeUInt32LE(b.readUInt32LE(symAt) + C23_PREFIX.length, symAt);
      b.writeUInt16LE(glibcBase.index, versymAt);
    }
    b.writeUInt16LE(glibc238.flags | VER_FLG_WEAK, glibc238.at + 4);
  }
  if (glibcxx) b.writeUInt16LE(glibcxx.flags | VER_FLG_WEAK, glibcxx.at + 4);
  return b;
}

function readSections(b) {
  const offset = Number(b.readBigUInt64LE(0x28));
  const size = b.readUInt16LE(0x3a);
  const count = b.readUInt16LE(0x3c);
  const sections = [];
  for (let i = 0; i < count; i++) {
    const at = offset + i * size;
    sections.push({ type: b.readUInt32LE(at + 4), offset: Number(b.readBigUInt64LE(at + 0x18)), size: Number(b.readBigUInt64LE(at + 0x20)), link: b.readUInt32LE(at + 0x28), info: b.readUInt32LE(at + 0x2c) });
  }
  return sections;
}

function readVersionNeeds(b, verneed, name) {
  const needs = [];
  let at = verneed.offset;
  for (let i = 0; i < verneed.info; i++) {
    const file = name(b.readUInt32LE(at + 4));
    let aux = at + b.readUInt32LE(at + 8);
    for (let j = 0; j < b.readUInt16LE(at + 2); j++) {
      needs.push({ file, at: aux, flags: b.readUInt16LE(aux + 4), index: b.readUInt16LE(aux + 6), version: name(b.readUInt32LE(aux + 8)) });
      aux += b.readUInt32LE(aux + 12);
    }
    at += b.readUInt32LE(at + 12);
  }
  return needs;
}

module.exports = { patchAddon };
