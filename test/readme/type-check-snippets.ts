import { join } from 'node:path';
import ts from 'typescript';

/** One snippet to check: its code and where it sits in the document. */
export interface Snippet {
  /** Where the snippet is, for messages (`README.md:123`). */
  readonly id: string;
  /** The document line of the snippet's first code line. */
  readonly firstLine: number;
  readonly language: 'ts' | 'js';
  readonly code: string;
}

/** What the compiler found. */
export interface TypeCheckResult {
  /** Per snippet id: each error as `README.md:<line>:<column> TS<code>: <message>`. */
  readonly errors: ReadonlyMap<string, readonly string[]>;
  /** Errors in the prelude itself. */
  readonly preludeErrors: readonly string[];
  /** Per global the prelude declares: the ids of the snippets that use it. */
  readonly preludeUses: ReadonlyMap<string, readonly string[]>;
}

/**
 * The compiler options snippets are checked with: what a Node ESM project
 * would use (`nodenext`, strict), so that imports resolve through the
 * package's `exports` to the built declarations in `dist/`, exactly as an
 * application's do. Library files are trusted here; the types matrix checks
 * them with `skipLibCheck: false`.
 */
export const SNIPPET_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  strict: true,
  allowJs: true,
  checkJs: true,
  noEmit: true,
  skipLibCheck: true,
  // The NestJS recipe's decorators are TypeScript's legacy ones, as in every Nest project.
  experimentalDecorators: true,
  types: ['node'],
};

function describe(diagnostic: ts.Diagnostic, toDocumentLine: (line: number) => number, document: string): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file === undefined || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${document}:${toDocumentLine(line)}:${character + 1} TS${diagnostic.code}: ${message}`;
}

/**
 * Type-checks snippets as modules of one program, each in a virtual file
 * inside `root` (so that `import … from '<package name>'` resolves to the
 * package itself), together with a `prelude` declaration file.
 */
export function typeCheckSnippets(snippets: readonly Snippet[], root: string, prelude: string, document = 'README.md'): TypeCheckResult {
  const folder = join(root, 'test', 'readme', '.snippets');
  const preludePath = join(folder, 'prelude.d.ts');
  const files = new Map<string, { text: string; snippet?: Snippet }>([[preludePath, { text: prelude }]]);
  for (const snippet of snippets) {
    const name = `${snippet.id.replace(/[^A-Za-z0-9]+/g, '-')}.${snippet.language === 'ts' ? 'ts' : 'js'}`;
    files.set(join(folder, name), { text: snippet.code, snippet });
  }

  const host = ts.createCompilerHost(SNIPPET_COMPILER_OPTIONS, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (path) => files.has(path) || fileExists.call(host, path);
  host.readFile = (path) => files.get(path)?.text ?? readFile.call(host, path);
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const virtual = files.get(path);
    return virtual === undefined ? getSourceFile.call(host, path, languageVersion, onError, shouldCreate) : ts.createSourceFile(path, virtual.text, languageVersion, true);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options: SNIPPET_COMPILER_OPTIONS, host });
  const checker = program.getTypeChecker();

  const errors = new Map<string, string[]>();
  const preludeUses = new Map<string, string[]>();
  const preludeFile = program.getSourceFile(preludePath);
  const preludeErrors = preludeFile === undefined ? ['the prelude is missing'] : [...program.getSemanticDiagnostics(preludeFile), ...program.getSyntacticDiagnostics(preludeFile)].map((d) => describe(d, (line) => line + 1, 'prelude'));

  for (const [path, { snippet }] of files) {
    if (snippet === undefined) continue;
    const file = program.getSourceFile(path);
    if (file === undefined) throw new Error(`${snippet.id}: not compiled`);
    const found = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    errors.set(snippet.id, found.map((diagnostic) => describe(diagnostic, (line) => snippet.firstLine + line, document)));
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const symbol = ts.isShorthandPropertyAssignment(node.parent) ? checker.getShorthandAssignmentValueSymbol(node.parent) : checker.getSymbolAtLocation(node);
        const declarations = symbol?.declarations ?? [];
        if (declarations.some((declaration) => declaration.getSourceFile() === preludeFile)) {
          const users = preludeUses.get(node.text) ?? [];
          if (!users.includes(snippet.id)) users.push(snippet.id);
          preludeUses.set(node.text, users);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { errors, preludeErrors, preludeUses };
}
