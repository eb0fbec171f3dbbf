// Digits typed in other scripts become ASCII before a number is read, as normalise_digits() in
// survey/questionnaires/questions/typed.py does with Python's str.isdigit() and unicodedata.digit().

const ND = /^\p{Nd}$/u;
// Characters Python's isdigit() accepts that are not decimal digits (superscripts, circled
// digits...): [first, last, value of first], from unicodedata.digit() (Unicode 14).
const OTHER_DIGITS = [
  [0xb2, 0xb3, 2], [0xb9, 0xb9, 1], [0x1369, 0x1371, 1], [0x19da, 0x19da, 1], [0x2070, 0x2070, 0],
  [0x2074, 0x2079, 4], [0x2080, 0x2089, 0], [0x2460, 0x2468, 1], [0x2474, 0x247c, 1], [0x2488, 0x2490, 1],
  [0x24ea, 0x24ea, 0], [0x24f5, 0x24fd, 1], [0x24ff, 0x24ff, 0], [0x2776, 0x277e, 1], [0x2780, 0x2788, 1],
  [0x278a, 0x2792, 1], [0x10a40, 0x10a43, 1], [0x10e60, 0x10e68, 1], [0x11052, 0x1105a, 1],
  [0x1f100, 0x1f100, 0], [0x1f101, 0x1f10a, 0],
];
// Separators typed on Arabic and Persian keyboards.
const SEPARATORS = { "\u066b": ".", "\u066c": "", "\u060c": "," };

function isNd(codePoint) {
  return ND.test(String.fromCodePoint(codePoint));
}

// The value of a non-ASCII digit, or null. Decimal digits come in runs of ten starting at zero.
export function digitValue(ch) {
  const codePoint = ch.codePointAt(0);
  if (codePoint < 0x80) return null;
  if (isNd(codePoint)) {
    let start = codePoint;
    while (isNd(start - 1)) start -= 1;
    return (codePoint - start) % 10;
  }
  for (const [first, last, value] of OTHER_DIGITS) {
    if (codePoint >= first && codePoint <= last) return value + codePoint - first;
  }
  return null;
}

// Python's str.strip(): what str.isspace() accepts (not U+FEFF, which JavaScript's \s includes).
const PY_SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x1f\\x85\\p{Zs}\\u2028\\u2029]+";
const LEADING = new RegExp(`^${PY_SPACE}`, "u");
const TRAILING = new RegExp(`${PY_SPACE}$`, "u");

export function pyStrip(text) {
  return text.replace(LEADING, "").replace(TRAILING, "");
}

export function normaliseDigits(text) {
  let out = "";
  for (const ch of text) {
    const value = digitValue(ch);
    if (value !== null) out += String(value);
    else out += ch in SEPARATORS ? SEPARATORS[ch] : ch;
  }
  return pyStrip(out);
}
