import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.ts';
import { NATS_SERVER } from '../nats-server.ts';

const DIR = path.join(ROOT, 'deploy', 'nats');

describe('deploy/nats: the topology config files', () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.conf'));

  it('has a national, a regional and a post config', () => {
    expect(files.sort()).toEqual(['national.conf', 'post.conf', 'regional.conf']);
  });

  it.each(files)('%s is a valid nats-server configuration with a JetStream domain', (file) => {
    const store = tempDir();
    // The store path is the operator's; a temporary one here, so the check can run anywhere.
    const text = fs.readFileSync(path.join(DIR, file), 'utf8').replaceAll('/var/lib/nats', store);
    expect(text).toMatch(/domain: [a-z-]+/);
    const copy = path.join(store, file);
    fs.writeFileSync(copy, text);
    const checked = spawnSync(NATS_SERVER, ['-c', copy, '-t'], { env: { ...process.env, REGION_LEAF_PASSWORD: 'x', POST_LEAF_PASSWORD: 'y' }, encoding: 'utf8' });
    expect(checked.stdout + checked.stderr).toContain(`configuration file ${copy} is valid`);
    expect(checked.status).toBe(0);
  });
});
