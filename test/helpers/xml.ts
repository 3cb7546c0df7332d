/**
 * A small well-formedness check of XML (https://www.w3.org/TR/xml/): allowed characters only, every `&` an
 * entity or character reference, tags balanced and properly nested, attribute values quoted and free of `<`.
 * Enough to tell that an SVG we write parses in every browser; returns the first problem, or undefined.
 */
const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
const NAME = "[A-Za-z_:][\\w.:-]*";
const ATTRIBUTE = new RegExp(`\\s+${NAME}\\s*=\\s*("[^"<]*"|'[^'<]*')`, "gy");

export function xmlProblem(text: string): string | undefined {
  if (!XML_CHAR.test(text)) return "a character XML does not allow";
  const badAmp = /&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9a-fA-F]+);)/.exec(text);
  if (badAmp) return `a bare & at ${badAmp.index}`;
  const open: string[] = [];
  for (let i = text.indexOf("<"); i !== -1; i = text.indexOf("<", i)) {
    if (text.startsWith("<!--", i)) i = text.indexOf("-->", i) + 3;
    else if (text.startsWith("<![CDATA[", i)) i = text.indexOf("]]>", i) + 3;
    else if (text.startsWith("<?", i) || text.startsWith("<!", i)) i = text.indexOf(">", i) + 1;
    else if (text[i + 1] === "/") {
      const m = new RegExp(`</(${NAME})\\s*>`, "y");
      m.lastIndex = i;
      const end = m.exec(text);
      if (!end || open.pop() !== end[1]) return `a closing tag that does not match at ${i}`;
      i = m.lastIndex;
    } else {
      const m = new RegExp(`<(${NAME})`, "y");
      m.lastIndex = i;
      const start = m.exec(text);
      if (!start) return `a < that starts no tag at ${i}`;
      ATTRIBUTE.lastIndex = m.lastIndex;
      while (ATTRIBUTE.exec(text)) m.lastIndex = ATTRIBUTE.lastIndex;
      const close = /\s*(\/?)>/y;
      close.lastIndex = m.lastIndex;
      const c = close.exec(text);
      if (!c) return `a malformed tag <${start[1]} at ${i}`;
      if (!c[1]) open.push(start[1]!);
      i = close.lastIndex;
    }
    if (i < 3) return "an unterminated comment or declaration";
  }
  return open.length > 0 ? `unclosed <${open.at(-1)}>` : undefined;
}
