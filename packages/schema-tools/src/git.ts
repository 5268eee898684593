import { execFileSync } from 'node:child_process';

/** Runs git in `cwd`; undefined when git fails (not a repository, unknown revision, missing path). */
export function git(cwd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** A file's content at a revision (path relative to `cwd`), or undefined when it does not exist there. */
export function showFile(cwd: string, revision: string, file: string): string | undefined {
  return git(cwd, ['show', `${revision}:./${file}`]);
}

export function resolveCommit(cwd: string, revision: string): string | undefined {
  return git(cwd, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`])?.trim() || undefined;
}
