// Global story settings: a light/dark theme switch (a `data-pacs-theme` attribute that every PacsKit
// component reads through CSS variables) and viewport sizes down to a phone.
import type { Decorator, Preview } from '@storybook/react-vite';
import { useEffect } from 'react';

const themeBackground: Record<string, string> = { light: '#ffffff', dark: '#0f1115' };

const withTheme: Decorator = (Story, context) => {
  const theme = context.globals.theme === 'dark' ? 'dark' : 'light';
  // Portals (menus, dialogs) render outside the wrapper, so the document carries the theme too.
  useEffect(() => {
    document.documentElement.setAttribute('data-pacs-theme', theme);
  }, [theme]);
  return (
    <div
      data-pacs-theme={theme}
      style={{
        background: themeBackground[theme],
        color: theme === 'dark' ? '#e8eaed' : '#1b1d21',
        padding: 8,
      }}
    >
      <Story />
    </div>
  );
};

const preview: Preview = {
  decorators: [withTheme],
  globalTypes: {
    theme: {
      description: 'PacsKit theme (data-pacs-theme)',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  parameters: {
    layout: 'fullscreen',
    controls: { matchers: { color: /(background|color)$/i, date: /Date$/i } },
    viewport: {
      options: {
        phone: { name: 'Phone (360×740)', styles: { width: '360px', height: '740px' }, type: 'mobile' },
        phoneLarge: {
          name: 'Large phone (414×896)',
          styles: { width: '414px', height: '896px' },
          type: 'mobile',
        },
        tablet: { name: 'Tablet (768×1024)', styles: { width: '768px', height: '1024px' }, type: 'tablet' },
        laptop: { name: 'Laptop (1280×800)', styles: { width: '1280px', height: '800px' }, type: 'desktop' },
        desktop: {
          name: 'Desktop (1920×1080)',
          styles: { width: '1920px', height: '1080px' },
          type: 'desktop',
        },
      },
    },
    a11y: { test: 'error' },
  },
  tags: ['autodocs'],
};

export default preview;
