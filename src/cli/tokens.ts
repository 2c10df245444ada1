import path from 'node:path';
import { ROLES, type Role } from '../auth/roles.ts';
import { createToken, readTokenFile, revokeToken } from '../auth/token-file.ts';
import { ConfigError } from '../errors.ts';
import { type CommandSpec, helpText, parseCommand } from './args.ts';

export const tokensSpec = {
  name: 'tokens',
  summary: 'Access tokens: `create` makes one and prints its secret once, `list` shows them (never the secrets), `revoke ID` ends one (a running server closes its connections).',
  usage: `tokens create --role ${ROLES.join('|')} --name NAME [--posts KZ-KHORGOS,UZ-AYRITOM] | tokens list | tokens revoke ID   [--tokens FILE | --data-dir DIR]`,
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    posts: { type: 'string' },
    tokens: { type: 'string' },
    'data-dir': { type: 'string' },
    json: { type: 'boolean' },
  },
  help: {
    role: `create: ${ROLES.join(', ')}`,
    name: 'create: who holds the token (a person, or a system such as "Ayritom post gateway"); recorded in the audit log',
    posts: 'create: for producers, the border posts it may send for, comma-separated (e.g. UZ-AYRITOM)',
    tokens: 'The tokens file (default <data-dir>/tokens.json)',
    'data-dir': 'The processor\'s data directory (default .data)',
    json: 'create: print the token as JSON ({id, secret, ...}) for scripts; list: print the list as JSON',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

/** The tokens file a command or the server uses: `--tokens`, else `<data-dir>/tokens.json`. */
export function tokensFileOf(values: { tokens?: string | undefined; 'data-dir'?: string | undefined }): string {
  return values.tokens ?? path.join(values['data-dir'] ?? '.data', 'tokens.json');
}

export function tokens(argv: string[]): number {
  const { values, positionals } = parseCommand(tokensSpec, argv);
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    console.log(helpText(tokensSpec));
    return values.help ? 0 : 2;
  }
  const file = tokensFileOf(values);
  switch (action) {
    case 'create': {
      if (rest.length > 0) throw new ConfigError(`tokens create takes no positional arguments, got "${rest.join(' ')}"`);
      const role = values.role;
      if (role === undefined || !(ROLES as readonly string[]).includes(role)) throw new ConfigError(`tokens create needs --role, one of ${ROLES.join(', ')}${role === undefined ? '' : ` (got "${role}")`}`);
      if (values.name === undefined || values.name.trim() === '') throw new ConfigError('tokens create needs --name: who holds the token (recorded in the audit log)');
      const posts = values.posts?.split(',').map((p) => p.trim()).filter((p) => p !== '');
      if (role === 'producer' && (posts === undefined || posts.length === 0)) throw new ConfigError('a producer token needs --posts: the border posts it may send for, e.g. --posts UZ-AYRITOM,UZ-TAS');
      if (role !== 'producer' && posts !== undefined) throw new ConfigError(`--posts is for producer tokens only (this one is ${role})`);
      const { token, secret } = createToken(file, { role: role as Role, name: values.name.trim(), ...(posts && { posts }) });
      if (values.json) {
        console.log(JSON.stringify({ id: token.id, name: token.name, role: token.role, ...(token.posts && { posts: token.posts }), secret, file }));
        return 0;
      }
      console.log(`created token ${token.id} for ${token.name} (${token.role}${token.posts ? `, posts ${token.posts.join(', ')}` : ''}) in ${file}`);
      console.log('');
      console.log(`  ${secret}`);
      console.log('');
      console.log('This secret is shown only once: only its SHA-256 is stored. Give it to its holder now;');
      console.log('if it is lost, revoke the token and create another.');
      return 0;
    }
    case 'list': {
      const list = readTokenFile(file).tokens;
      if (values.json) {
        console.log(JSON.stringify(list.map(({ sha256: _hash, ...rest }) => rest), null, 2));
        return 0;
      }
      if (list.length === 0) {
        console.log(`no tokens in ${file}`);
        return 0;
      }
      console.log(`${'id'.padEnd(14)} ${'role'.padEnd(12)} ${'name'.padEnd(28)} ${'created'.padEnd(25)} status`);
      for (const t of list) {
        const status = t.revoked === null ? 'active' : `revoked ${t.revoked}`;
        console.log(`${t.id.padEnd(14)} ${t.role.padEnd(12)} ${t.name.padEnd(28)} ${t.created.padEnd(25)} ${status}${t.posts ? `  posts ${t.posts.join(',')}` : ''}`);
      }
      return 0;
    }
    case 'revoke': {
      const [id, ...extra] = rest;
      if (id === undefined || extra.length > 0) throw new ConfigError('tokens revoke needs exactly one token id, e.g. tokens revoke tok-3f9a2c1b');
      const token = revokeToken(file, id);
      console.log(`revoked ${token.id} (${token.name}, ${token.role}) at ${token.revoked}; a running server closes its connections within a moment`);
      return 0;
    }
    default:
      throw new ConfigError(`unknown tokens action "${action}"; the actions are create, list and revoke\n\n${helpText(tokensSpec)}`);
  }
}
