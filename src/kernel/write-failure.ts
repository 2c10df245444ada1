/**
 * What an operator needs to read from a failed write: the cause in words (disk full,
 * quota, read-only file system, I/O error), the system code, and the file.
 */
export function describeWriteFailure(file: string, error: { code?: string | undefined; message: string }): string {
  return `${causeOf(error)} writing ${file}`;
}

/** True for failures that clear up without a restart once an operator acts (space freed, quota raised). */
export function isDiskFailure(error: { code?: string | undefined }): boolean {
  const code = error.code ?? '';
  return code in CAUSES || code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR');
}

const CAUSES: Record<string, string> = {
  ENOSPC: 'disk full (ENOSPC)',
  EDQUOT: 'disk quota exceeded (EDQUOT)',
  EFBIG: 'file too large for the file system (EFBIG)',
  EROFS: 'file system is read-only (EROFS)',
  EIO: 'input/output error (EIO)',
};

function causeOf(error: { code?: string | undefined; message: string }): string {
  const code = error.code;
  if (code === undefined) return error.message;
  const known = CAUSES[code];
  if (known) return known;
  if (code === 'SQLITE_FULL') return 'disk full (SQLITE_FULL)';
  if (code.startsWith('SQLITE_IOERR')) return `input/output error (${code})`;
  return `${code}: ${error.message}`;
}
