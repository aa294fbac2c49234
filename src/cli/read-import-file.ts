import { readFile, stat } from 'node:fs/promises';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** The largest import file read, in bytes (100 MiB: about 200,000 drf rows). */
export const MAX_IMPORT_FILE_BYTES = 100 * 1024 * 1024;

/**
 * Reads an import file as UTF-8.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` when it is missing, not a file, or too large.
 */
export async function readImportFile(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    if (info.size > MAX_IMPORT_FILE_BYTES) throw new Error(`larger than ${MAX_IMPORT_FILE_BYTES} bytes`);
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `Cannot read the import file ${path}: ${error instanceof Error && !('code' in error) ? error.message : 'missing or unreadable'}.`, {
      details: { option: 'file' },
      cause: error,
    });
  }
}
