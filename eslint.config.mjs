// Lint: recommended rules of ESLint and typescript-eslint; type-aware rules are left to `tsc`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** One no-restricted-imports rule per part: [files, forbidden parts, why, also forbid runtime/moleculer]. */
function arrows(parts) {
  return parts.map(([files, forbidden, message, pureRuntime]) => {
    const names = forbidden.filter((f) => f !== 'moleculer');
    const patterns = [{ regex: `^(\\.\\.?/)+(\\.\\./)*(${names.join('|')})(/|$)`, message }];
    if (pureRuntime) patterns.push({ regex: '^(\\.\\.?/)+runtime/(moleculer|host)(/|$)', message });
    const paths = forbidden.includes('moleculer') ? [{ name: 'moleculer', message }] : [];
    return { files: [files], rules: { 'no-restricted-imports': ['error', { paths, patterns }] } };
  });
}

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'web/vendor/**', 'web/console/dist/**', 'examples/*/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // The arrows of docs/architecture.md: what each part may not import. Relative specifiers are
  // matched by regex (the part's folder name as a path segment), so a move that breaks an arrow
  // fails lint, not a review.
  ...arrows([
    ['actors/**/*.ts', ['services', 'store', 'config', 'moleculer'], 'actors are pure: they import runtime types (runtime/kind, runtime/eventlog) and schemas only', true],
    ['store/**/*.ts', ['services', 'actors'], 'store implements the runtime\'s event-log port and knows no context'],
    ['runtime/**/*.ts', ['services', 'actors'], 'the runtime hosts any actor kind and serves every service; it imports neither'],
    ['config/**/*.ts', ['services', 'actors', 'store', 'runtime'], 'config/ reads the environment and nothing else'],
  ]),
  {
    // Only config/ reads the environment (tests and benchmarks set up their own).
    files: ['**/*.ts'],
    ignores: ['config/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read settings through config/ (loadConfig), the only reader of process.env' }] },
  },
  {
    files: ['bin/*.js'],
    languageOptions: { globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The console's browser modules (bundled by web/console/build.cjs): the few browser globals they use, by name.
    files: ['web/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { document: 'readonly', fetch: 'readonly', sessionStorage: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', confirm: 'readonly' } },
  },
  {
    // The console's build script runs in Node, as CommonJS (the gateway requires it to build a missing bundle).
    files: ['web/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
