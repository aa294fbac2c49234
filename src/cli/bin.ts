// The `graphql-scoped-permissions` executable: wires the process into the
// program and sets the exit code. Everything else lives in ./program.
import { runCli } from './program';

// `graphql-scoped-permissions scopes schema.graphql | head` closes the pipe
// early: that is the reader's choice, not a crash worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then((code) => {
  process.exitCode = code;
});
