import { execFile } from 'node:child_process';

export interface OpensslResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the `openssl` CLI (Debian's OpenSSL 3). Never throws for a non-zero exit: the caller reads `code`. */
export function openssl(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<OpensslResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'openssl',
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 30_000, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`openssl ${args[0]} could not run: ${error.message}`, { cause: error }));
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Run openssl and throw with its stderr when it fails. */
export async function opensslOrThrow(args: string[], options: { cwd?: string } = {}): Promise<string> {
  const r = await openssl(args, options);
  if (r.code !== 0) throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}
