// One log entry as the entries file stores it:
//   u32 payload length | u32 CRC-32 of the payload | payload
//   payload = u64 logIndex | u64 integratedTime | u16 SET length | SET | canonical body
// The checksum tells a torn or half-synced tail from a whole record after a crash.
import * as zlib from 'node:zlib';

export interface EntryRecord {
  logIndex: bigint;
  /** Unix seconds. */
  integratedTime: bigint;
  signedEntryTimestamp: Uint8Array;
  body: Uint8Array;
}

export interface RecordCodec {
  headerSize: number;
  /** Far above any body the service accepts: a larger length field can only be damage. */
  maxPayload: number;
  encode(record: EntryRecord): Buffer;
  /**
   * The record at `offset` and its total size, or undefined when the bytes there do not hold a
   * whole record with a matching checksum (a torn write, or damage). The SET and body are views
   * into `bytes`, not copies.
   */
  decode(bytes: Buffer, offset: number): { record: EntryRecord; size: number } | undefined;
  /** The total size the header at `offset` announces, or 0 when it cannot be a record's. */
  announcedSize(bytes: Buffer, offset: number): number;
}

/** Self-contained (it uses nothing but its argument): the log worker runs its source text too. */
export function createRecordCodec({ crc32 }: Pick<typeof zlib, 'crc32'>): RecordCodec {
  const headerSize = 8;
  const fixedPayload = 18;
  const maxPayload = 64 * 1024 * 1024;
  return {
    headerSize,
    maxPayload,
    encode({ logIndex, integratedTime, signedEntryTimestamp: set, body }) {
      const payloadSize = fixedPayload + set.length + body.length;
      const out = Buffer.allocUnsafe(headerSize + payloadSize);
      out.writeUInt32BE(payloadSize, 0);
      out.writeBigUInt64BE(logIndex, 8);
      out.writeBigUInt64BE(integratedTime, 16);
      out.writeUInt16BE(set.length, 24);
      out.set(set, 26);
      out.set(body, 26 + set.length);
      out.writeUInt32BE(crc32(out.subarray(headerSize)), 4);
      return out;
    },
    decode(bytes, offset) {
      if (bytes.length - offset < headerSize) return undefined;
      const payloadSize = bytes.readUInt32BE(offset);
      if (payloadSize < fixedPayload + 1 || payloadSize > maxPayload) return undefined;
      const end = offset + headerSize + payloadSize;
      if (end > bytes.length) return undefined;
      const payload = bytes.subarray(offset + headerSize, end);
      if (crc32(payload) !== bytes.readUInt32BE(offset + 4)) return undefined;
      const setLength = payload.readUInt16BE(16);
      if (fixedPayload + setLength >= payloadSize) return undefined;
      return {
        record: {
          logIndex: payload.readBigUInt64BE(0),
          integratedTime: payload.readBigUInt64BE(8),
          signedEntryTimestamp: payload.subarray(fixedPayload, fixedPayload + setLength),
          body: payload.subarray(fixedPayload + setLength),
        },
        size: end - offset,
      };
    },
    announcedSize(bytes, offset) {
      if (bytes.length - offset < headerSize) return headerSize;
      const payloadSize = bytes.readUInt32BE(offset);
      return payloadSize > maxPayload ? 0 : headerSize + payloadSize;
    },
  };
}

export const recordCodec: RecordCodec = createRecordCodec(zlib);
