import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

interface Run {
  readonly stdout: string;
  readonly stderr: string;
}

function runRefusals(env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(process.cwd(), 'test/support/unauthenticated-process.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done({ stdout, stderr }) : fail(new Error(`exit ${code}: ${stderr}`))));
  });
}

describe('the default onUnauthenticated', () => {
  const { NODE_DEBUG: _ignored, ...quietEnv } = process.env;

  it('prints each 401’s reason under NODE_DEBUG=graphql-scoped-permissions, never the credential; the client sees the generic message', async () => {
    const { stdout, stderr } = await runRefusals({ ...quietEnv, NODE_DEBUG: 'graphql-scoped-permissions' });
    const { credentials, messages } = JSON.parse(stdout) as { credentials: Record<string, string>; messages: Record<string, string> };
    const lines = stderr.split('\n').filter((line) => line.startsWith('GRAPHQL-SCOPED-PERMISSIONS'));
    expect(lines.map((line) => line.replace(/^GRAPHQL-SCOPED-PERMISSIONS \d+: /, ''))).toEqual([
      '401 apiKey: revoked',
      '401 apiKey: invalid',
      '401 apiKey: unknown',
      '401 jwt: invalid-claims',
      '401 jwt: invalid-signature',
      '401 header: duplicate-header',
    ]);
    for (const credential of Object.values(credentials)) {
      expect(stderr).not.toContain(credential);
      // Not even the secret part of a key, or a token's signature.
      for (const part of credential.split(/[_.]/).filter((piece) => piece.length >= 20)) expect(stderr).not.toContain(part);
    }
    expect(new Set(Object.values(messages))).toEqual(new Set(['Invalid API key.', 'Invalid or expired token.', 'Invalid credentials.']));
  });

  it('prints nothing without NODE_DEBUG', async () => {
    const { stderr } = await runRefusals(quietEnv);
    expect(stderr).toBe('');
  });
});
