#!/usr/bin/env node
// Runs the TypeScript sources directly: tsx compiles each module once at load, so the
// hot path runs as plain JavaScript and there is no build output to go stale.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
