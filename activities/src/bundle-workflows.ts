import { rename, writeFile } from 'node:fs/promises';
import { bundleWorkflows } from './create-worker';

/** `bundle-workflows.ts <out.js>`: writes the workflow bundle atomically (parallel builds may race). */
const out = process.argv[2];
if (!out) throw new Error('usage: bundle-workflows.ts <out.js>');
const bundle = await bundleWorkflows();
if (!('code' in bundle)) throw new Error('expected bundled code');
const partial = `${out}.${process.pid}.partial`;
await writeFile(partial, bundle.code);
await rename(partial, out);
