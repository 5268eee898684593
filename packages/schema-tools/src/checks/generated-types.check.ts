import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import type { CodegenConfig } from '@graphql-codegen/cli';
import type { Finding } from '../findings.ts';

export const CODEGEN_CONFIG_FILE = 'codegen.ts';

const normalise = (text: string) => text.replace(/\r\n/g, '\n');

/** One generated file as codegen produces it now: its path relative to the repo root and its text. */
export interface GeneratedFile {
  readonly filename: string;
  readonly content: string;
}

/** Compares what codegen produces now with the committed files; `read` returns undefined for a missing file. */
export function generatedTypeFindings(generated: readonly GeneratedFile[], read: (file: string) => string | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const { filename, content } of generated) {
    const committed = read(filename);
    if (committed === undefined) {
      findings.push({ check: 'generated-types', severity: 'error', message: `${filename} is missing: run npm run codegen`, location: filename });
    } else if (normalise(committed) !== normalise(content)) {
      findings.push({
        check: 'generated-types',
        severity: 'error',
        message: `${filename} is stale (it differs from what codegen generates from the SDL now): run npm run codegen`,
        location: filename,
      });
    }
  }
  return findings;
}

/**
 * (i) The committed generated files (the subgraphs' resolver types, the client's typed documents) are
 * exactly what `npm run codegen` produces now. Regenerates in memory with the repository's own
 * `codegen.ts`, so a resolver is never type-checked against types of an older SDL. A checkout without
 * a codegen config has nothing to compare.
 */
export async function checkGeneratedTypes(root: string): Promise<Finding[]> {
  const configFile = path.join(root, CODEGEN_CONFIG_FILE);
  if (!existsSync(configFile)) return [];
  const config = ((await import(pathToFileURL(configFile).href)) as { default: CodegenConfig }).default;
  let outputs: GeneratedFile[];
  try {
    outputs = (await generate({ ...config, cwd: root, silent: true, errorsOnly: true }, false)) as GeneratedFile[];
  } catch (error) {
    return [{ check: 'generated-types', severity: 'error', message: `codegen failed: ${(error as Error).message}`, location: CODEGEN_CONFIG_FILE }];
  }
  const relative = outputs.map((o) => ({ filename: path.relative(root, path.resolve(root, o.filename)).split(path.sep).join('/'), content: o.content }));
  return generatedTypeFindings(relative, (file) => {
    const target = path.join(root, file);
    return existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  });
}
