/**
 * `npm run operator -- reset-allow-list <memberNumber> [--reason <text>] [--by <name>]`: the back
 * office's command line (see subgraphs/tenancy/src/operator-cli.ts). Needs DATABASE_URL.
 */
import { runOperatorCommand } from '@portal/tenancy';

try {
  const { code, output } = await runOperatorCommand(process.argv.slice(2));
  (code === 0 ? console.log : console.error)(output);
  process.exit(code);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
