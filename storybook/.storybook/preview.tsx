import type { Decorator, Preview } from '@storybook/react-vite';
import { Live } from '../src/live/Live';
import { createLiveWorld, type LiveParameters, type LiveWorld } from '../src/live/world';
import '../../packages/ui/src/styles/theme.css';
import '../../packages/ui/src/styles/call.css';
import '../../packages/ui/src/styles/chat.css';
import './preview.css';

/** Stories with `parameters.live` render inside their own world: a server in the page and its peers. */
const withLiveWorld: Decorator = (Story, { loaded, parameters }) => {
  const world = loaded['live'] as LiveWorld | undefined;
  if (world === undefined) return <Story />;
  return (
    <Live world={world} parameters={parameters['live'] as LiveParameters}>
      <Story />
    </Live>
  );
};

/** The toolbar's colour scheme, on <html> as the kit's themes read it. */
const withTheme: Decorator = (Story, { globals }) => {
  const theme = globals['theme'] as string | undefined;
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset['theme'] = theme;
  else delete document.documentElement.dataset['theme'];
  return <Story />;
};

const preview: Preview = {
  tags: ['autodocs'],
  parameters: {
    layout: 'padded',
    // axe runs after every story (and its play function); a violation fails the story's test.
    a11y: { test: 'error' },
    controls: { expanded: true },
    docs: { codePanel: true },
  },
  globalTypes: {
    theme: {
      description: 'Colour scheme of the components',
      toolbar: { title: 'Theme', icon: 'mirror', items: ['system', 'light', 'dark'], dynamicTitle: true },
    },
  },
  initialGlobals: { theme: 'system' },
  loaders: [
    async ({ parameters }) => {
      const live = parameters['live'] as LiveParameters | undefined;
      return live === undefined ? {} : { live: await createLiveWorld(live) };
    },
  ],
  // The world goes with the story: its peers stop, its clients log out, its server closes.
  beforeEach: ({ loaded }) => {
    return async () => {
      await (loaded['live'] as LiveWorld | undefined)?.close();
    };
  },
  decorators: [withLiveWorld, withTheme],
};

export default preview;
