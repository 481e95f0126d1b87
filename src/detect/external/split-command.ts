// A command line given as one string (--detector NAME=COMMAND, or `command:` as a string in a
// detectors file) split into argv the way a POSIX shell splits words, without running a shell:
// whitespace separates words; '...' is literal; "..." allows \" and \\; a backslash outside quotes
// escapes the next character. No variables, globs, pipes or redirections.
export function splitCommand(text: string): string[] | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: `unclosed ' at character ${i + 1}` };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) j++;
        word += text[j];
      }
      if (j >= text.length) return { error: `unclosed " at character ${i + 1}` };
      inWord = true;
      i = j;
    } else if (ch === '\\') {
      if (i + 1 < text.length) word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
