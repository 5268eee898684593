/**
 * Monaco (GraphiQL 5's editor) runs language services in web workers, asking
 * `globalThis.MonacoEnvironment.getWorker(workerId, label)` for one per label. build.ts bundles the
 * three GraphiQL needs (editor, json, graphql) as separate same-origin files next to this bundle and
 * passes their hashed names in `__GRAPHIQL_WORKERS__`. Must run before the first editor is created.
 */
declare const __GRAPHIQL_WORKERS__: { editor: string; json: string; graphql: string };

const files = __GRAPHIQL_WORKERS__;

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    const file = label === 'json' ? files.json : label === 'graphql' ? files.graphql : files.editor;
    // Resolved against this module's URL (…/assets/), so it works under any mount path.
    return new Worker(new URL(`./${file}`, import.meta.url), { name: `monaco-${label}` });
  },
};

export {};
