// Joins the stylesheets of src/styles into the one file users import: @rtm-kit/ui/styles.css.
// Order matters: the theme's custom properties first, then each component's rules.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PARTS = ['theme.css', 'call.css', 'chat.css'];

const parts = await Promise.all(
  PARTS.map(async (name) => `/* ${name} */\n${(await readFile(join(root, 'src/styles', name), 'utf8')).trim()}\n`),
);
await mkdir(join(root, 'dist'), { recursive: true });
await writeFile(join(root, 'dist/styles.css'), `/* @rtm-kit/ui: import once, e.g. import '@rtm-kit/ui/styles.css' */\n${parts.join('\n')}`);
