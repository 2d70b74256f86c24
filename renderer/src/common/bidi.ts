// User text (keys, values, dataset names, device names) may hold bidi controls such as an RTL
// override (U+202E). Shown inside a sentence, it must not reorder the words around it: in markup,
// wrap it in <bdi> (or give an inline element the class "bidi-isolate"); inside a plain string (a
// title, a joined list), isolate it with FSI…PDI, which a browser treats the same way.
const FSI = '\u2068';
const PDI = '\u2069';

/** `text` as an isolate, for plain strings that put user text among other words. */
export function isolated(text: string): string {
  return `${FSI}${text}${PDI}`;
}
