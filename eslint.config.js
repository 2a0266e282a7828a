// typescript-eslint + eslint-plugin-vue. shared/ must stay free of DOM and Node globals (it runs on both sides).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-artifacts/**', 'fixtures/geo/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser }, globals: globals.browser },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/no-v-html': 'error',
    },
  },
  { files: ['server/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'fixtures/**/*.ts', '*.ts', '*.js'], languageOptions: { globals: globals.node } },
  { files: ['client/**/*.ts', 'client/**/*.vue'], languageOptions: { globals: globals.browser } },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require', '__dirname', 'localStorage'],
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'vue', 'pinia', 'maplibre-gl', 'echarts', 'echarts/*'] }],
    },
  },
);
