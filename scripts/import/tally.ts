// What became of one file's records: counted only from the server's answers (or the reader's own errors).
export interface FileTally {
  file: string;
  /** records taken from the file (after --skip) */
  read: number;
  stored: number;
  duplicate: number;
  rejected: number;
  /** the last record answered with every record before it: where a later run may continue (--skip n) */
  acked: { n: number; line: number };
  /** every record of the file is answered */
  done?: boolean;
  /** the file could not be read at all (missing, unknown format) */
  error?: string;
}

export const newTally = (file: string, skip = 0): FileTally => ({ file, read: 0, stored: 0, duplicate: 0, rejected: 0, acked: { n: skip, line: 0 } });

/** Records read but never answered: their batch was not sent, or not answered before the import stopped. */
export const unsent = (t: FileTally) => t.read - t.stored - t.duplicate - t.rejected;
