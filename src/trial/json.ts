import { errors } from '../errors.js';

/** Deepest nesting a trial file may have (a sweep inside params is 4 levels deep). */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses a trial file's JSON strictly: every problem is one UserError with the line and
 * column where it is. Beyond JSON.parse it refuses a byte order mark (JSON.parse reports
 * it as an invisible "Unexpected token"), a key given twice in one object (JSON.parse
 * silently keeps the last) and nesting deeper than MAX_JSON_DEPTH (later recursive code
 * would overflow the stack).
 */
export function parseJson(file: string, text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) {
    throw errors.notJson(file, 'line 1, column 1: a byte order mark (U+FEFF); save the file as UTF-8 without BOM');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    if (position) throw errors.notJson(file, `${where(text, Number(position[1]))}: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
    throw errors.notJson(file, message);
  }
  checkStructure(file, text);
  return value;
}

/** "line L, column C" of a 0-based character offset (columns 1-based). */
function where(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`;
}

interface Frame {
  keys: Set<string> | null; // null for an array
  expectKey: boolean;
}

/**
 * One pass over text that JSON.parse accepted: tracks the open objects and arrays
 * (iteratively: no recursion, whatever the depth) and the keys seen in each object.
 */
function checkStructure(file: string, text: string): void {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      stack.push({ keys: ch === '{' ? new Set() : null, expectKey: ch === '{' });
      if (stack.length > MAX_JSON_DEPTH) throw errors.notJson(file, `${where(text, i)}: nested deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    } else if (ch === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string; // "\u0061" and "a" are one key
        if (top.keys.has(key)) throw errors.notJson(file, `${where(text, start)}: key "${key}" appears twice in one object`);
        top.keys.add(key);
        top.expectKey = false;
      }
    }
  }
}
