/**
 * Just enough of Apple's XML property-list format to read `diskutil info -plist`: dict, array,
 * key, string, integer, real, true, false, date and data, plus the XML prolog, DOCTYPE and
 * comments around them. Binary plists are not handled (diskutil -plist prints XML).
 */

export type PlistValue = string | number | boolean | Date | Buffer | PlistValue[] | PlistDict;
export interface PlistDict {
  [key: string]: PlistValue;
}

const ENTITIES: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

type Token = {tag: string; close: boolean; empty: boolean; text: string};

function* tokens(xml: string): Generator<Token> {
  const re = /<(\/?)([A-Za-z][\w.-]*)[^>]*?(\/?)>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>/g;
  let last = 0;
  let text = '';
  for (const m of xml.matchAll(re)) {
    text += xml.slice(last, m.index);
    last = m.index + m[0].length;
    if (!m[2]) continue; // prolog, DOCTYPE or comment
    yield {tag: m[2], close: m[1] === '/', empty: m[3] === '/', text: decodeEntities(text)};
    text = '';
  }
}

class PlistError extends Error {}

/** Parses an XML plist; throws on malformed input (callers turn that into "no information"). */
export function parsePlist(xml: string): PlistValue {
  const it = tokens(xml);
  const next = (): Token => {
    const r = it.next();
    if (r.done) throw new PlistError('unexpected end of plist');
    return r.value;
  };
  const closing = (tag: string): string => {
    const t = next();
    if (!t.close || t.tag !== tag) throw new PlistError(`expected </${tag}>`);
    return t.text;
  };
  const value = (t: Token): PlistValue => {
    if (t.close) throw new PlistError(`unexpected </${t.tag}>`);
    switch (t.tag) {
      case 'true':
      case 'false': {
        if (!t.empty) closing(t.tag);
        return t.tag === 'true';
      }
      case 'string':
        return t.empty ? '' : closing('string');
      case 'integer':
      case 'real': {
        const n = Number((t.empty ? '' : closing(t.tag)).trim());
        if (!Number.isFinite(n)) throw new PlistError(`bad <${t.tag}>`);
        return n;
      }
      case 'date':
        return new Date((t.empty ? '' : closing('date')).trim());
      case 'data':
        return Buffer.from((t.empty ? '' : closing('data')).replace(/\s+/g, ''), 'base64');
      case 'array': {
        const out: PlistValue[] = [];
        if (t.empty) return out;
        for (let n = next(); !(n.close && n.tag === 'array'); n = next()) out.push(value(n));
        return out;
      }
      case 'dict': {
        const out: PlistDict = {};
        if (t.empty) return out;
        for (let n = next(); !(n.close && n.tag === 'dict'); n = next()) {
          if (n.tag !== 'key' || n.close) throw new PlistError('expected <key> in <dict>');
          const key = n.empty ? '' : closing('key');
          out[key] = value(next());
        }
        return out;
      }
      default:
        throw new PlistError(`unknown element <${t.tag}>`);
    }
  };
  let first = next();
  if (first.tag === 'plist' && !first.close) first = next();
  return value(first);
}
