// The condition language of `show_if` (survey/questionnaires/expressions.py), for the offline
// runtime: the same grammar, type checks, messages and results. Nothing here calls eval().
import { normaliseDigits } from "./digits.js";

export const NUMBER = "number";
export const TEXT = "text";
export const SET = "set";
export const DATE = "date";
export const BOOL = "bool";

export class ExpressionError extends Error {
  constructor(message, position = null) {
    super(position === null ? message : `${message} (at character ${position + 1})`);
    this.detail = message;
    this.position = position;
  }
}

// Python's repr() of a string or number, as the Python messages show them.
export function pyRepr(value) {
  if (typeof value === "number") return String(value);
  const text = String(value);
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of text) {
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch.codePointAt(0) < 0x20 || ch.codePointAt(0) === 0x7f) {
      out += `\\x${ch.codePointAt(0).toString(16).padStart(2, "0")}`;
    } else out += ch;
  }
  return quote + out + quote;
}

const TOKEN = /\s*(?:(?<number>-?\p{Nd}+(?:\.\p{Nd}+)?)|(?<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?<op><=|>=|!=|=|<|>)|(?<punct>[(),.])|(?<name>[A-Za-z_][A-Za-z0-9_]*))/uy;
const KEYWORDS = new Set(["and", "or", "not", "in", "true", "false", "answered"]);
const SPACE = /^\s*$/u;

// Positions count code points, as Python's string indices do.
function codePoints(text) {
  return Array.from(text);
}

export function tokenize(source) {
  const tokens = [];
  const units = (offset) => codePoints(source.slice(0, offset)).length;
  let pos = 0;
  while (pos < source.length) {
    if (SPACE.test(source.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const match = TOKEN.exec(source);
    if (!match) {
      const rest = source.slice(pos);
      const start = pos + (rest.length - rest.trimStart().length);
      const ch = String.fromCodePoint(source.codePointAt(start));
      throw new ExpressionError(`unexpected character ${pyRepr(ch)}`, units(start));
    }
    let kind = Object.keys(match.groups).find((name) => match.groups[name] !== undefined);
    const value = match.groups[kind];
    const start = TOKEN.lastIndex - value.length;
    if (kind === "name" && KEYWORDS.has(value)) kind = "keyword";
    tokens.push({ kind, value, position: units(start) });
    pos = TOKEN.lastIndex;
  }
  tokens.push({ kind: "end", value: "", position: codePoints(source).length });
  return tokens;
}

// --- syntax tree: plain objects with a `type` ------------------------------------------------

function refName(ref) {
  return ref.row ? `${ref.question}.${ref.row}` : ref.question;
}

const NOT_A_VALUE = new Set(["answered", "compare", "in", "not", "bool"]);

class Parser {
  constructor(source) {
    this.tokens = tokenize(source);
    this.index = 0;
  }

  get current() {
    return this.tokens[this.index];
  }

  advance() {
    return this.tokens[this.index++];
  }

  accept(kind, value = null) {
    const token = this.current;
    if (token.kind === kind && (value === null || token.value === value)) return this.advance();
    return null;
  }

  expect(kind, value = null, what = "") {
    const token = this.accept(kind, value);
    if (token === null) {
      const found = this.current.value || "end of condition";
      throw new ExpressionError(`expected ${what || value || kind}, found ${pyRepr(found)}`, this.current.position);
    }
    return token;
  }

  parse() {
    if (this.current.kind === "end") throw new ExpressionError("empty condition", 0);
    const node = this.parseOr();
    if (this.current.kind !== "end") {
      throw new ExpressionError(`unexpected ${pyRepr(this.current.value)}`, this.current.position);
    }
    return node;
  }

  parseOr() {
    const operands = [this.parseAnd()];
    while (this.accept("keyword", "or")) operands.push(this.parseAnd());
    return operands.length === 1 ? operands[0] : { type: "bool", op: "or", operands };
  }

  parseAnd() {
    const operands = [this.parseNot()];
    while (this.accept("keyword", "and")) operands.push(this.parseNot());
    return operands.length === 1 ? operands[0] : { type: "bool", op: "and", operands };
  }

  parseNot() {
    if (this.accept("keyword", "not")) return { type: "not", operand: this.parseNot() };
    return this.parseCompare();
  }

  parseCompare() {
    const left = this.parseOperand();
    const op = this.accept("op");
    if (op) {
      const right = this.parseOperand();
      if (NOT_A_VALUE.has(right.type)) {
        throw new ExpressionError("a comparison needs a value on its right", op.position);
      }
      if (NOT_A_VALUE.has(left.type)) {
        throw new ExpressionError("a comparison needs a value on its left", op.position);
      }
      return { type: "compare", op: op.value, left, right, position: op.position };
    }
    let negated = false;
    const start = this.current.position;
    if (this.current.kind === "keyword" && this.current.value === "not") {
      const next = this.tokens[this.index + 1];
      if (next.kind === "keyword" && next.value === "in") {
        this.advance();
        negated = true;
      }
    }
    if (this.accept("keyword", "in")) {
      if (left.type !== "ref") throw new ExpressionError("'in' needs a question on its left", start);
      this.expect("punct", "(", "'(' after 'in'");
      const values = [this.parseLiteral()];
      while (this.accept("punct", ",")) values.push(this.parseLiteral());
      this.expect("punct", ")", "')' to close the list");
      return { type: "in", ref: left, values, negated };
    }
    return left;
  }

  parseLiteral() {
    const token = this.current;
    const node = this.parseOperand();
    if (node.type !== "literal") {
      throw new ExpressionError("a list may only hold numbers and quoted strings", token.position);
    }
    return node;
  }

  parseOperand() {
    const token = this.current;
    if (this.accept("number")) {
      const digits = normaliseDigits(token.value);
      return { type: "literal", value: Number(digits), float: digits.includes("."), kind: NUMBER, position: token.position };
    }
    if (this.accept("string")) {
      const text = token.value.slice(1, -1).replace(/\\(.)/gu, "$1");
      return { type: "literal", value: text, kind: TEXT, position: token.position };
    }
    if (this.accept("keyword", "true")) return { type: "literal", value: true, kind: BOOL, position: token.position };
    if (this.accept("keyword", "false")) return { type: "literal", value: false, kind: BOOL, position: token.position };
    if (this.accept("keyword", "answered")) {
      this.expect("punct", "(", "'(' after 'answered'");
      const ref = this.parseRef();
      this.expect("punct", ")", "')'");
      return { type: "answered", ref };
    }
    if (this.accept("punct", "(")) {
      const node = this.parseOr();
      this.expect("punct", ")", "')'");
      return node;
    }
    if (this.current.kind === "name") return this.parseRef();
    const found = token.value || "end of condition";
    throw new ExpressionError(`expected a question id or a value, found ${pyRepr(found)}`, token.position);
  }

  parseRef() {
    const name = this.expect("name", null, "a question id");
    let row = null;
    if (this.accept("punct", ".")) row = this.expect("name", null, "a matrix row id").value;
    return { type: "ref", question: name.value, row, position: name.position };
  }
}

export function parse(source) {
  return new Parser(source).parse();
}

// --- type checking: `resolve(ref)` returns {kind, codes: array|null} or throws ------------------

const DESCRIBE = { number: "number", text: "text", set: "set of options", date: "date", bool: "yes/no" };

function literalRepr(literal) {
  if (literal.kind === NUMBER && literal.float && Number.isInteger(literal.value)) return `${literal.value}.0`;
  return pyRepr(literal.value);
}

function checkLiteral(symbol, literal, ref) {
  let expected = symbol.kind === NUMBER || symbol.kind === SET ? NUMBER : symbol.kind;
  if (symbol.kind === DATE) expected = TEXT;
  if (literal.kind !== expected) {
    throw new ExpressionError(
      `'${refName(ref)}' holds a ${DESCRIBE[symbol.kind]}, not a ${DESCRIBE[literal.kind]}`,
      literal.position,
    );
  }
  if (symbol.kind === DATE && !/^\d{4}(-\d{2}(-\d{2})?)?$/u.test(literal.value)) {
    throw new ExpressionError("dates are written 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'", literal.position);
  }
  if (symbol.codes && !symbol.codes.some((code) => code === literal.value)) {
    throw new ExpressionError(`'${refName(ref)}' has no option with code ${literalRepr(literal)}`, literal.position);
  }
}

function checkCompare(node, resolve) {
  const refs = [node.left, node.right].filter((side) => side.type === "ref");
  if (!refs.length) throw new ExpressionError("a comparison needs at least one question", node.position);
  const symbols = refs.map(resolve);
  refs.forEach((ref, index) => {
    if (symbols[index].kind === SET) {
      throw new ExpressionError(`'${refName(ref)}' allows several answers: use 'in (...)' instead`, ref.position);
    }
  });
  let kind;
  if (refs.length === 2) {
    if (symbols[0].kind !== symbols[1].kind) {
      throw new ExpressionError("the two questions hold different kinds of answer", node.position);
    }
    kind = symbols[0].kind;
  } else {
    const literal = node.right.type === "literal" ? node.right : node.left;
    checkLiteral(symbols[0], literal, refs[0]);
    kind = symbols[0].kind;
  }
  if (["<", "<=", ">", ">="].includes(node.op) && (kind === TEXT || kind === BOOL)) {
    throw new ExpressionError(`'${node.op}' does not apply to ${DESCRIBE[kind]} answers`, node.position);
  }
}

export function check(node, resolve) {
  switch (node.type) {
    case "bool":
      node.operands.forEach((operand) => check(operand, resolve));
      break;
    case "not":
      check(node.operand, resolve);
      break;
    case "answered":
      resolve(node.ref);
      break;
    case "ref":
      if (resolve(node).kind !== BOOL) {
        throw new ExpressionError(`'${refName(node)}' is not a yes/no answer: compare it with a value`, node.position);
      }
      break;
    case "literal":
      if (node.kind !== BOOL) throw new ExpressionError("a condition cannot be a bare value", node.position);
      break;
    case "in": {
      const symbol = resolve(node.ref);
      if (symbol.kind === BOOL || symbol.kind === DATE) {
        throw new ExpressionError(`'in' does not apply to '${refName(node.ref)}'`, node.ref.position);
      }
      node.values.forEach((literal) => checkLiteral(symbol, literal, node.ref));
      break;
    }
    case "compare":
      checkCompare(node, resolve);
      break;
    default:
      throw new TypeError(`not a condition node: ${node.type}`);
  }
}

// --- evaluation: `lookup(ref)` returns a number, string, boolean, Set, or null -----------------

const OPS = {
  "=": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

export function evaluate(node, lookup) {
  switch (node.type) {
    case "bool":
      return node.op === "and"
        ? node.operands.every((operand) => evaluate(operand, lookup))
        : node.operands.some((operand) => evaluate(operand, lookup));
    case "not":
      return !evaluate(node.operand, lookup);
    case "answered":
      return lookup(node.ref) !== null;
    case "ref":
      return lookup(node) === true;
    case "literal":
      return Boolean(node.value);
    case "in": {
      const value = lookup(node.ref);
      if (value === null) return false;
      const wanted = node.values.map((literal) => literal.value);
      const hit = value instanceof Set ? wanted.some((code) => value.has(code)) : wanted.includes(value);
      return node.negated ? !hit : hit;
    }
    case "compare": {
      const left = node.left.type === "ref" ? lookup(node.left) : node.left.value;
      const right = node.right.type === "ref" ? lookup(node.right) : node.right.value;
      if (left === null || right === null) return false;
      return OPS[node.op](left, right);
    }
    default:
      throw new TypeError(`not a condition node: ${node.type}`);
  }
}

export function references(node) {
  switch (node.type) {
    case "ref":
      return [node];
    case "answered":
    case "in":
      return [node.ref];
    case "compare":
      return [...references(node.left), ...references(node.right)];
    case "not":
      return references(node.operand);
    case "bool":
      return node.operands.flatMap(references);
    default:
      return [];
  }
}

// A parsed, checked condition; `symbols` maps "question" or "question.row" to {kind, codes}.
export function compileCondition(source, symbols) {
  const tree = parse(source);
  const resolve =
    typeof symbols === "function"
      ? symbols
      : (ref) => {
          const symbol = symbols[refName(ref)];
          if (!symbol) throw new ExpressionError(`unknown question '${refName(ref)}'`, ref.position);
          return symbol;
        };
  check(tree, resolve);
  return { source, tree, holds: (lookup) => evaluate(tree, lookup) };
}
