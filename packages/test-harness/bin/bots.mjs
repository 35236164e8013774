#!/usr/bin/env node
// Entry of `meshmeet-bots` / `pnpm bots`: runs the TypeScript CLI under tsx (no build step).
import { tsImport } from 'tsx/esm/api';

await tsImport('./bots.ts', import.meta.url);
