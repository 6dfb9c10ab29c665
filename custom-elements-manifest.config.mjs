import { posix } from 'node:path';

/**
 * `npm run docs` writes custom-elements.json from the element's JSDoc; editors, Storybook and the README
 * tables read it. It describes the public modules only, by the paths of the JavaScript the package ships.
 */
const PUBLIC_MODULES = ['widget/index.ts', 'widget/define.ts', 'widget/flash-call-verify.ts', 'widget/events.ts'];

const shipped = (path) => path.replace(/^\/?widget\/(.*)\.[jt]s$/, 'dist/widget/$1.js');

/** Lifecycle hooks the browser calls, not the page. */
const INTERNAL_MEMBERS = /Callback$/;

function publicApiOnly() {
  return {
    name: 'fcv-public-api-only',
    packageLinkPhase({ customElementsManifest: manifest }) {
      manifest.modules = manifest.modules.filter((module) => PUBLIC_MODULES.includes(module.path));
      for (const module of manifest.modules) {
        const from = module.path;
        module.path = shipped(from);
        // Re-exports name modules relative to the importer, definitions sometimes from the root: one form for all.
        const resolve = (ref) => shipped(ref.startsWith('.') ? posix.join(posix.dirname(from), ref) : ref.replace(/^\//, ''));
        for (const declaration of module.declarations ?? []) {
          // Internal reactive state (`state: true` in `static properties`) is no attribute, whatever the analyzer infers.
          const hidden = new Set((declaration.members ?? []).filter((member) => member.privacy === 'private').map((member) => member.name));
          declaration.attributes &&= declaration.attributes.filter((attribute) => !hidden.has(attribute.fieldName));
          declaration.members &&= declaration.members.filter(
            (member) =>
              !member.name.startsWith('#') &&
              !member.static &&
              member.privacy !== 'private' &&
              member.privacy !== 'protected' &&
              !INTERNAL_MEMBERS.test(member.name),
          );
          // Lit converts an attribute without a declared `type` as a string; the analyzer only sees an untyped initializer.
          for (const attribute of declaration.attributes ?? []) {
            if (attribute.type || !attribute.fieldName) continue;
            attribute.type = { text: 'string' };
            const field = declaration.members?.find((member) => member.name === attribute.fieldName);
            if (field && !field.type) field.type = { text: 'string' };
          }
          // The analyzer also lists each dispatchEvent() it finds, without a name; the @fires tags cover them.
          declaration.events &&= declaration.events.filter((event) => event.name);
          if (declaration.superclass?.module) declaration.superclass.module = resolve(declaration.superclass.module);
        }
        for (const entry of module.exports ?? []) {
          if (entry.declaration?.module) entry.declaration.module = resolve(entry.declaration.module);
        }
      }
      // Type-only re-exports have no declaration a tool could open.
      const declared = new Set(manifest.modules.flatMap((module) => (module.declarations ?? []).map((d) => `${module.path}#${d.name}`)));
      for (const module of manifest.modules) {
        module.exports = (module.exports ?? []).filter((entry) => declared.has(`${entry.declaration.module}#${entry.declaration.name}`));
      }
    },
  };
}

export default {
  globs: PUBLIC_MODULES,
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [publicApiOnly()],
};
