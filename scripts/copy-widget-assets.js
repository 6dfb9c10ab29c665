// The element's modules find their assets beside them (`new URL('./assets/…', import.meta.url)`), so they travel with them.
import { cpSync } from 'node:fs';

cpSync(new URL('../widget/picker/assets/', import.meta.url), new URL('../dist/widget/picker/assets/', import.meta.url), {
  recursive: true,
  filter: (source) => !source.endsWith('.md'),
});
