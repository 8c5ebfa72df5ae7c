import { readFile } from 'node:fs/promises';
import type { ReplayFile } from '../src/testing/index.js';

/** Reads a replay file from test/replays. */
export async function readReplays(name: string): Promise<ReplayFile> {
  return JSON.parse(await readFile(new URL(`./replays/${name}`, import.meta.url), 'utf8')) as ReplayFile;
}
