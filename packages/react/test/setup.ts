// Test setup: jest-dom and axe matchers, and DOM APIs jsdom lacks that components rely on.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, expect } from 'vitest';
import * as axeMatchers from 'vitest-axe/matchers.js';

expect.extend(axeMatchers);
afterEach(() => cleanup());

// jsdom has no ResizeObserver; @tanstack/react-virtual only needs it to exist.
if (!('ResizeObserver' in globalThis)) {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// The DOM shims below apply to jsdom tests only; SSR tests run in the node environment.
if (typeof HTMLElement !== 'undefined') {
  // jsdom does no layout: give the virtualized lists' scroll areas a size so rows render.
  for (const [property, size] of [
    ['clientHeight', 420],
    ['clientWidth', 800],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, property, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('pacs-viewport') ? size : 0;
      },
    });
  }
  // …and the scrollable height is that of the virtualizer's sizer (its first child's inline height).
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      const sizer = this.firstElementChild as HTMLElement | null;
      return Number.parseFloat(sizer?.style.height ?? '') || 0;
    },
  });
  // jsdom keeps no scroll position (scrollTop is always 0) and has no element scrollTo; the
  // virtualizer reads and sets both.
  const scrollTops = new WeakMap<Element, number>();
  Object.defineProperty(HTMLElement.prototype, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return scrollTops.get(this) ?? 0;
    },
    set(this: HTMLElement, value: number) {
      scrollTops.set(this, value);
    },
  });
  HTMLElement.prototype.scrollTo = function scrollTo(this: HTMLElement, options?: ScrollToOptions | number) {
    if (typeof options === 'object' && options.top !== undefined) {
      this.scrollTop = options.top;
      this.dispatchEvent(new Event('scroll'));
    }
  } as HTMLElement['scrollTo'];
}
