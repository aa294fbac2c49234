// Placeholder entry; the CLI lands with the scopes command.
process.stdout.write('graphql-scoped-permissions\n');
