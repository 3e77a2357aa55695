/**
 * A CSV file read record by record, for files too large to hold (radscore merge's part files):
 * 64 KiB chunks, RFC 4180 quoting as src/io/csv.ts writes it, each record's fields parsed by
 * src/io/csv.ts. Memory holds one chunk and one record, and the file is open only while a chunk is
 * read, so thousands of readers hold no file descriptors.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { parseCsv } from "../io/csv.js";

/** One buffer for every reader: reads are synchronous, one at a time. */
const CHUNK = Buffer.allocUnsafe(64 * 1024);

/**
 * A CSV file read record by record in 64 KiB chunks (RFC 4180 quoting, as formatCsvLine writes):
 * memory holds one chunk and one record, and the file is open only while a chunk is read, so a
 * merge of thousands of parts holds no file descriptors.
 */
export class CsvRecordReader {
  private text = "";
  private pos = 0;
  private offset = 0;
  private ended = false;
  private readonly decoder = new StringDecoder("utf8");
  constructor(readonly path: string) {}

  /** Appends the next chunk to the unread text (resetting pos to 0); false at the end. */
  private more(): boolean {
    if (this.ended) return false;
    let n: number;
    try {
      const fd = openSync(this.path, "r");
      try {
        n = readSync(fd, CHUNK, 0, CHUNK.length, this.offset);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      throw new Error(`'${this.path}' cannot be read (${(err as Error).message})`);
    }
    this.offset += n;
    if (n === 0) this.ended = true;
    const added = n > 0 ? this.decoder.write(CHUNK.subarray(0, n)) : this.decoder.end();
    this.text = this.text.slice(this.pos) + added;
    this.pos = 0;
    return n > 0 || added !== "";
  }

  /** The text up to the next line break (outside quotes when `quoted`); null at the end. */
  line(quoted = false): string | null {
    let scanned = 0;
    let quotes = 0;
    for (;;) {
      const from = this.pos + scanned;
      const nl = this.text.indexOf("\n", from);
      const end = nl < 0 ? this.text.length : nl;
      if (quoted) for (let i = from; i < end; i++) if (this.text.charCodeAt(i) === 34) quotes++;
      if (nl >= 0 && quotes % 2 === 0) {
        const text = this.text.slice(this.pos, nl);
        this.pos = nl + 1;
        return text.endsWith("\r") ? text.slice(0, -1) : text;
      }
      scanned = (nl < 0 ? end : nl + 1) - this.pos;
      if (!this.more()) {
        if (this.pos >= this.text.length) return null;
        const text = this.text.slice(this.pos);
        this.pos = this.text.length;
        return text;
      }
    }
  }

  /** The next non-empty record's fields; null at the end. */
  record(): string[] | null {
    for (;;) {
      const text = this.line(true);
      if (text === null) return null;
      if (text !== "") return parseCsv(text, this.path).header;
    }
  }
}
