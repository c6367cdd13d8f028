/**
 * A ZIP archive written as a stream (APPNOTE 6.3.10, the subset an .xlsx needs): entries one after
 * another, each deflated as it is written, with its CRC-32 and sizes in a data descriptor after the
 * data (general-purpose flag bit 3), and the central directory at the end. Nothing is held but the
 * compressor's window and the list of entries, whatever the size of an entry.
 *
 * Backpressure runs end to end: `entry.write()` returns false when the compressor or the
 * destination is full, and `entry.drained()` waits until both have room.
 */
import { once, type EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { constants, crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';

/** The largest size a ZIP without the ZIP64 extension records (4 GiB − 1). */
const MAX_ZIP32 = 0xffffffff;
/** The destination is considered full above this many buffered bytes of compressed output. */
const HIGH_WATER = 1 << 20;

interface EntryRecord {
  name: Buffer;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  dosTime: number;
  dosDate: number;
}

/** A DOS date and time (the local ZIP timestamp), from the calendar fields of `when` in UTC. */
function dosDateTime(when: Date): { dosTime: number; dosDate: number } {
  const year = Math.max(1980, when.getUTCFullYear());
  return {
    dosTime: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | Math.floor(when.getUTCSeconds() / 2),
    dosDate: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
  };
}

/** Thrown when the destination closed before the archive was finished (a client went away). */
export class ZipDestinationClosed extends Error {
  constructor() {
    super('zip destination closed');
  }
}

/** One entry being written: text or bytes go in, deflated, until `end()`. */
export interface ZipEntryWriter {
  /** Adds data; false when the caller should wait for `drained()` before adding much more. */
  write(data: string | Buffer): boolean;
  /** Resolves when the compressor and the destination have room again. */
  drained(): Promise<void>;
  /** Finishes the entry (its data descriptor is written). */
  end(): Promise<void>;
}

export class ZipWriter {
  private readonly entries: EntryRecord[] = [];
  private offset = 0;
  private open = false;
  private readonly timestamp: { dosTime: number; dosDate: number };

  /** `modified` is every entry's timestamp (the injected clock's now: the same input gives the same bytes). */
  constructor(
    private readonly out: Writable,
    modified: Date,
    private readonly level = 1,
  ) {
    this.timestamp = dosDateTime(modified);
  }

  private emit(chunk: Buffer): boolean {
    if (this.out.destroyed || this.out.writableEnded) throw new ZipDestinationClosed();
    this.offset += chunk.length;
    return this.out.write(chunk);
  }

  /** Waits for `event` on `emitter`; throws ZipDestinationClosed if the destination closes first. */
  private async until(emitter: EventEmitter, event: string): Promise<void> {
    if (this.out.destroyed || this.out.writableEnded) throw new ZipDestinationClosed();
    const stop = new AbortController();
    try {
      await Promise.race([
        once(emitter, event, { signal: stop.signal }),
        once(this.out, 'close', { signal: stop.signal }).then(() => {
          throw new ZipDestinationClosed();
        }),
      ]);
    } finally {
      stop.abort();
    }
  }

  /** Starts an entry; only one is open at a time. */
  entry(path: string): ZipEntryWriter {
    if (this.open) throw new Error(`zip entry ${path} started while another is open`);
    this.open = true;
    const name = Buffer.from(path, 'utf8');
    const record: EntryRecord = { name, crc: 0, compressedSize: 0, size: 0, offset: this.offset, ...this.timestamp };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0); // local file header
    header.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    header.writeUInt16LE(0x0808, 6); // bit 3: sizes in the data descriptor; bit 11: UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt16LE(record.dosTime, 10);
    header.writeUInt16LE(record.dosDate, 12);
    // CRC-32 and sizes (14–25) are zero here: they follow the data
    header.writeUInt16LE(name.length, 26);
    this.emit(Buffer.concat([header, name]));

    const deflate: DeflateRaw = createDeflateRaw({ level: this.level, strategy: constants.Z_DEFAULT_STRATEGY });
    let failure: Error | undefined;
    deflate.on('error', (error) => {
      failure = error;
    });
    deflate.on('data', (chunk: Buffer) => {
      record.compressedSize += chunk.length;
      try {
        if (!this.emit(chunk)) deflate.pause();
      } catch (error) {
        failure = error as Error;
        // with the error, so that whoever waits for the entry's end hears of it (never hangs)
        deflate.destroy(failure);
      }
    });
    const resume = () => deflate.resume();
    this.out.on('drain', resume);
    const finished = once(deflate, 'end');
    // an entry abandoned after a failure is never ended: its rejection is not left unhandled
    finished.catch(() => undefined);

    return {
      write: (data) => {
        if (failure) throw failure;
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        record.crc = crc32(bytes, record.crc);
        record.size += bytes.length;
        if (record.size > MAX_ZIP32) throw new Error(`zip entry ${path} exceeds 4 GiB (no ZIP64)`);
        return deflate.write(bytes) && !this.out.writableNeedDrain;
      },
      drained: async () => {
        if (failure) throw failure;
        if (deflate.writableNeedDrain) await this.until(deflate, 'drain');
        if (this.out.destroyed) throw new ZipDestinationClosed();
        if (this.out.writableNeedDrain && this.out.writableLength >= HIGH_WATER) await this.until(this.out, 'drain');
      },
      end: async () => {
        deflate.end();
        try {
          await finished;
        } finally {
          this.out.off('drain', resume);
        }
        if (failure) throw failure;
        if (record.compressedSize > MAX_ZIP32) throw new Error(`zip entry ${path} exceeds 4 GiB compressed (no ZIP64)`);
        const descriptor = Buffer.alloc(16);
        descriptor.writeUInt32LE(0x08074b50, 0);
        descriptor.writeUInt32LE(record.crc >>> 0, 4);
        descriptor.writeUInt32LE(record.compressedSize, 8);
        descriptor.writeUInt32LE(record.size, 12);
        this.emit(descriptor);
        this.entries.push(record);
        this.open = false;
      },
    };
  }

  /** A whole entry at once (the small parts of a workbook). */
  async file(path: string, content: string | Buffer): Promise<void> {
    const entry = this.entry(path);
    entry.write(content);
    await entry.end();
  }

  /** Writes the central directory and ends the destination; resolves when it has flushed. */
  async finish(): Promise<void> {
    if (this.open) throw new Error('zip finished with an entry still open');
    const start = this.offset;
    for (const entry of this.entries) {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0); // central directory header
      header.writeUInt16LE(20, 4); // made by: 2.0
      header.writeUInt16LE(20, 6); // needed: 2.0
      header.writeUInt16LE(0x0808, 8);
      header.writeUInt16LE(8, 10);
      header.writeUInt16LE(entry.dosTime, 12);
      header.writeUInt16LE(entry.dosDate, 14);
      header.writeUInt32LE(entry.crc >>> 0, 16);
      header.writeUInt32LE(entry.compressedSize, 20);
      header.writeUInt32LE(entry.size, 24);
      header.writeUInt16LE(entry.name.length, 28);
      // extra, comment, disk, internal attributes: 0
      header.writeUInt32LE(0, 38); // external attributes
      header.writeUInt32LE(entry.offset, 42);
      this.emit(Buffer.concat([header, entry.name]));
    }
    const size = this.offset - start;
    if (this.offset > MAX_ZIP32 || this.entries.length > 0xffff) throw new Error('zip archive exceeds the ZIP32 limits (no ZIP64)');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); // end of central directory
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(start, 16);
    this.emit(end);
    const done = this.until(this.out, 'finish');
    this.out.end();
    await done;
  }
}
