/** A `curl` command of the quick start, as the replay test sends it. */
export interface CurlRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/**
 * Splits a POSIX shell command into words: `'…'` is literal, `"…"` expands
 * `$NAME` and `${NAME}` from `variables` and honours `\"`, `\\` and `\$`.
 * Enough for the quick start's commands; no globbing, no `$(…)`.
 *
 * @throws Error for an unset variable or an unterminated quote.
 */
export function shellWords(command: string, variables: Readonly<Record<string, string>>): string[] {
  const expand = (name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`$${name} is not set`);
    return value;
  };
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < command.length; i += 1) {
    const char = command[i] ?? '';
    if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (char === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${command}`);
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      word ??= '';
      for (i += 1; command[i] !== '"'; i += 1) {
        if (i >= command.length) throw new Error(`unterminated " in: ${command}`);
        const inner = command[i] ?? '';
        const variable = /^\$(?:\{(\w+)\}|(\w+))/.exec(command.slice(i));
        if (inner === '\\' && /["\\$`]/.test(command[i + 1] ?? '')) {
          word += command[i + 1];
          i += 1;
        } else if (variable !== null) {
          word += expand(variable[1] ?? variable[2] ?? '');
          i += variable[0].length - 1;
        } else {
          word += inner;
        }
      }
    } else {
      const variable = /^\$(?:\{(\w+)\}|(\w+))/.exec(command.slice(i));
      if (variable !== null) {
        word = (word ?? '') + expand(variable[1] ?? variable[2] ?? '');
        i += variable[0].length - 1;
      } else {
        word = (word ?? '') + char;
      }
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/**
 * Reads `curl [-s] <url> [-H 'Name: value']… [-d '<body>']` (the shape the
 * quick start uses).
 *
 * @throws Error for any other option, so a new shape is noticed.
 */
export function parseCurl(words: readonly string[]): CurlRequest {
  if (words[0] !== 'curl') throw new Error(`not a curl command: ${words.join(' ')}`);
  let url: string | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (word === '-s') continue;
    if (word === '-H' || word === '-d') {
      const value = words[(i += 1)];
      if (value === undefined) throw new Error(`${word} without a value`);
      if (word === '-d') {
        body = value;
        continue;
      }
      const colon = value.indexOf(':');
      headers[value.slice(0, colon).trim().toLowerCase()] = value.slice(colon + 1).trim();
    } else if (!word.startsWith('-') && url === undefined) {
      url = word;
    } else {
      throw new Error(`unsupported curl argument ${JSON.stringify(word)}`);
    }
  }
  if (url === undefined) throw new Error('curl without a URL');
  return { url, headers, body };
}
