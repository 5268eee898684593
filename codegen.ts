import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed documents for the client (client preset), from the committed API schema. Run `npm run codegen`. */
const config: CodegenConfig = {
  schema: 'schema/api.graphql',
  documents: ['client/src/**/*.ts', '!client/src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    'client/src/gql/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;
