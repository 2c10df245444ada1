import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Debian's `nats-server` (package nats-server; `.ci/run` installs it). */
export const NATS_SERVER = process.env.NATS_SERVER ?? (fs.existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

export interface NatsServerOptions {
  /**
   * A JetStream domain: the server is started from a config file with this domain, as a
   * border post's or a centre's server is (deploy/nats/*.conf).
   */
  domain?: string;
  /** Accept leaf-node connections on a free port (`leafPort`). */
  acceptLeafs?: boolean;
  /**
   * The `host:port` leaf nodes are told to reconnect to, with `acceptLeafs`: a leaf node told
   * the real leaf port goes straight to it when its configured link (a test's TCP proxy) is
   * cut, and the cut does not hold; tell it the proxy's.
   */
  leafAdvertise?: string;
  /** Connect as a leaf node to these `nats-leaf://host:port` URLs. */
  leafRemotes?: readonly string[];
  /**
   * Subjects the leaf link neither sends nor takes (`deny_exports`, `deny_imports`): a post's
   * own streams' subjects, so that only the centre's sourcing moves its events (deploy/nats/post.conf).
   */
  leafDeny?: readonly string[];
  /** Keep JetStream's store here (to restart a server on the same store). @default a new temporary directory */
  storeDir?: string;
  /** Listen on this port. @default a free one */
  port?: number;
}

export interface NatsServer {
  /** `nats://127.0.0.1:port` */
  url: string;
  port: number;
  /** The leaf-node port, with `acceptLeafs`. */
  leafPort: number | undefined;
  storeDir: string;
  /** The server's process id (benchmarks read its CPU time). */
  pid: number;
  /** Everything the server wrote, for failed tests. */
  output(): string;
  /** Kills the server (SIGKILL with `hard`) and waits until it has exited. */
  stop(hard?: boolean): Promise<void>;
}

function deny(subjects: readonly string[] | undefined): string {
  if (!subjects || subjects.length === 0) return '';
  const list = JSON.stringify(subjects);
  return `, deny_exports: ${list}, deny_imports: ${list}`;
}

/** A port nothing listens on now (the OS's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real `nats-server` with JetStream on a free port and a temporary store, and
 * waits until it accepts connections and JetStream is up. Stop it with `stop()`.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const port = options.port ?? (await freePort());
  const storeDir = options.storeDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'border-risk-nats-'));
  const leafPort = options.acceptLeafs ? await freePort() : undefined;
  const args = ['-a', '127.0.0.1', '-p', String(port)];
  if (options.domain === undefined && leafPort === undefined && !options.leafRemotes) {
    args.push('-js', '-sd', storeDir);
  } else {
    const leafnodes = [
      ...(leafPort === undefined ? [] : [`host: 127.0.0.1, port: ${leafPort}${options.leafAdvertise === undefined ? '' : `, advertise: ${JSON.stringify(options.leafAdvertise)}`}`]),
      ...(options.leafRemotes ? [`remotes: [ ${options.leafRemotes.map((url) => `{ url: ${JSON.stringify(url)}${deny(options.leafDeny)} }`).join(', ')} ]`] : []),
    ];
    const lines = [`jetstream { store_dir: ${JSON.stringify(storeDir)}${options.domain === undefined ? '' : `, domain: ${options.domain}`} }`];
    if (leafnodes.length > 0) lines.push(`leafnodes { ${leafnodes.join(', ')} }`);
    const config = path.join(storeDir, 'server.conf');
    fs.writeFileSync(config, `${lines.join('\n')}\n`);
    args.push('-c', config);
  }
  const child = spawn(NATS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForReady(child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    leafPort,
    storeDir,
    pid: child.pid!,
    output: () => output,
    async stop(hard = false) {
      if (child.exitCode === null && child.signalCode === null) child.kill(hard ? 'SIGKILL' : 'SIGTERM');
      await exited;
      if (options.storeDir === undefined) fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** Resolves once the server logged that it is ready for connections (it logs after JetStream started). */
function waitForReady(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (output().includes('Server is ready')) {
        done();
        resolve();
      }
    };
    const failed = (): void => {
      done();
      reject(new Error(`nats-server exited before it was ready:\n${output()}`));
    };
    const done = (): void => {
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', failed);
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', failed);
    child.once('error', (error) => {
      done();
      reject(new Error(`nats-server could not be started (${NATS_SERVER}): ${error.message}; install Debian's nats-server package`));
    });
  });
}
