import { InputError } from '../errors.ts';

/**
 * Split a command line into words the way a POSIX shell splits a simple command, without running a
 * shell: words are separated by blanks; `'…'` keeps everything literally; `"…"` keeps everything but
 * `\"` and `\\`; a backslash outside quotes keeps the next character. Nothing is expanded: no
 * variables, `~`, globs, pipes or redirections. An unquoted `|`, `&`, `;`, `<`, `>`, `(`, `)`, a
 * backtick, a `$` outside single quotes or a word starting with `~` would mean something to a shell
 * and nothing here, so it is an {@link InputError} (`flag` names where the command came from) that
 * suggests `sh -c '…'` for the rare program that needs a shell.
 */
export function splitCommandLine(line: string, flag: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  const shellOnly = (what: string): never => {
    throw new InputError('bad-flag', `the command is run without a shell, so ${what} would not do what a shell does`, {
      path: flag, expected: `a plain command (program and arguments), or sh -c '…' around it if it needs a shell`, actual: JSON.stringify(line),
    });
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new InputError('bad-flag', 'unterminated single quote in the command', { path: flag, actual: JSON.stringify(line) });
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        const c = line[j]!;
        if (c === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) {
          word += line[++j];
          continue;
        }
        if (c === '$' || c === '`') shellOnly(`"${c}" inside double quotes`);
        word += c;
      }
      if (j >= line.length) throw new InputError('bad-flag', 'unterminated double quote in the command', { path: flag, actual: JSON.stringify(line) });
      inWord = true;
      i = j;
      continue;
    }
    if (ch === '\\') {
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
      continue;
    }
    if ('|&;<>()`'.includes(ch)) shellOnly(`an unquoted "${ch}"`);
    if (ch === '$') shellOnly('an unquoted "$"');
    if (ch === '~' && !inWord) shellOnly('a word starting with "~"');
    word += ch;
    inWord = true;
  }
  if (inWord) words.push(word);
  return words;
}
