// Worker entry when running from TypeScript sources: load the worker module through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./embedded-worker.ts', import.meta.url);
