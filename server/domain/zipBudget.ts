import { constants } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';

/**
 * How much an uploaded .xlsx may unpack to. A sheet of 20,000 questions unpacks to 15-30 MB; a zip
 * bomb of a few MB unpacks to gigabytes, which exceljs (jszip) would hold in memory at once.
 */
export const MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024;
/** An .xlsx has a dozen parts or so; thousands of entries are a trick, not a workbook. */
export const MAX_XLSX_ENTRIES = 1_000;

export type ZipVerdict = { ok: true; unpackedBytes: number } | { ok: false; reason: 'too-large' | 'unreadable' };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface Entry {
  method: number;
  encrypted: boolean;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
}

/** The end-of-central-directory record: within the last 22 + 65,535 (comment) bytes. */
function findEocd(zip: Buffer): number {
  for (let p = zip.length - 22; p >= Math.max(0, zip.length - 22 - 0xffff); p--) {
    if (zip.readUInt32LE(p) === EOCD) return p;
  }
  return -1;
}

function readCentralDirectory(zip: Buffer, maxEntries: number): Entry[] | ZipVerdict {
  const eocd = findEocd(zip);
  if (eocd < 0) return { ok: false, reason: 'unreadable' };
  const count = zip.readUInt16LE(eocd + 10);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count > maxEntries) return { ok: false, reason: 'too-large' };
  const entries: Entry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) return { ok: false, reason: 'unreadable' };
    entries.push({
      encrypted: (zip.readUInt16LE(p + 8) & 1) === 1,
      method: zip.readUInt16LE(p + 10),
      compressedSize: zip.readUInt32LE(p + 20),
      declaredSize: zip.readUInt32LE(p + 24),
      localOffset: zip.readUInt32LE(p + 42),
    });
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return entries;
}

/** One entry's real unpacked size, inflating at most `budget` bytes (declared sizes may lie). */
function unpackedSize(zip: Buffer, entry: Entry, budget: number): number | ZipVerdict {
  const p = entry.localOffset;
  if (p + 30 > zip.length || zip.readUInt32LE(p) !== LOCAL) return { ok: false, reason: 'unreadable' };
  const start = p + 30 + zip.readUInt16LE(p + 26) + zip.readUInt16LE(p + 28);
  const end = start + entry.compressedSize;
  if (end > zip.length || entry.encrypted) return { ok: false, reason: 'unreadable' };
  if (entry.method === 0) return entry.compressedSize;
  if (entry.method !== 8) return { ok: false, reason: 'unreadable' };
  try {
    return inflateRawSync(zip.subarray(start, end), { maxOutputLength: Math.min(Math.max(1, budget), constants.MAX_LENGTH) }).length;
  } catch (err) {
    return { ok: false, reason: (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'unreadable' };
  }
}

/**
 * Checks a zip against an unpacked-size budget before anything unpacks it whole: first the central
 * directory's declared sizes (cheap), then each entry really inflated with a byte budget, so a header
 * that understates its size is caught too. ZIP64 and overlapping entries are refused as unreadable.
 */
export function checkZipBudget(zip: Buffer, budget = MAX_XLSX_UNPACKED_BYTES, maxEntries = MAX_XLSX_ENTRIES): ZipVerdict {
  const entries = readCentralDirectory(zip, maxEntries);
  if (!Array.isArray(entries)) return entries;
  const declared = entries.reduce((sum, e) => sum + e.declaredSize, 0);
  if (declared > budget || entries.some((e) => e.declaredSize === 0xffffffff)) return { ok: false, reason: 'too-large' };
  // Entries sharing compressed bytes (a known bomb shape) would add up to more than the file holds.
  if (entries.reduce((sum, e) => sum + e.compressedSize, 0) > zip.length) return { ok: false, reason: 'unreadable' };
  let used = 0;
  for (const entry of entries) {
    const size = unpackedSize(zip, entry, budget - used);
    if (typeof size !== 'number') return size;
    used += size;
    if (used > budget) return { ok: false, reason: 'too-large' };
  }
  return { ok: true, unpackedBytes: used };
}
