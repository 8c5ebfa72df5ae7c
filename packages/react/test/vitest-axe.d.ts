import 'vitest';

// vitest-axe 0.1's own typings re-export from an extension-less path that NodeNext cannot resolve,
// so the matcher added in test/setup.ts is declared here.
declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat Vitest's own declaration exactly to merge.
  interface Matchers<T = any> {
    toHaveNoViolations(): T;
  }
}
