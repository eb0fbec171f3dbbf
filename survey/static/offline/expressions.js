// The expression language of `show_if`, `valid_if` and computed values (survey/questionnaires/
// grammar.py, expressions.py, values.py), for the offline runtime: the same grammar, type checks,
// messages and results. Nothing here calls eval().
import { normaliseDigits } from "./digits.js";

export const NUMBER = "number";
export const TEXT = "text";
export const SET = "set";
export const DATE = "date";
export const BOOL = "bool";
// A roster: its members are read by any(), all() and count().
export const MEMBERS = "members";
// The interview date is not an answer: evaluation asks the lookup for it under this name.
export const TODAY = "@today";
export const TODAY_REF = { type: "ref", question: TODAY, row: null, position: 0 };

export class ExpressionError extends Error {
  constructor(message, position = null) {
    super(position === null ? message : `${message} (at character ${position + 1})`);
    this.detail = message;
    this.position = position;
  }
}

// What Python's str.isprintable() refuses: control, format, surrogate, private-use, unassigned and
// separator characters (the space aside); repr() writes them as escapes.
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

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
    else if (ch !== " " && NOT_PRINTABLE.test(ch)) {
      const code = ch.codePointAt(0);
      if (code < 0x100) out += `\\x${code.toString(16).padStart(2, "0")}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
      else out += `\\U${code.toString(16).padStart(8, "0")}`;
    } else out += ch;
  }
  return quote + out + quote;
}

// Python's repr() of a float: the shortest digits that read back, in Python's layout ("2.0",
// "1e+16", "1.5e-05").
export function pyFloatRepr(number) {
  if (!Number.isFinite(number)) return Number.isNaN(number) ? "nan" : number > 0 ? "inf" : "-inf";
  if (number === 0) return Object.is(number, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = number.toExponential().split("e");
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exponent < -4 || exponent >= 16) {
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const power = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    return `${sign}${digits[0]}${rest}e${power}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1) || "0";
  return `${sign}${whole}.${fraction}`;
}

// What Python's str.isspace() accepts (\s of Python's re on text), not JavaScript's \s.
const PY_SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x1f\\x85\\p{Zs}\\u2028\\u2029]";
const TOKEN = new RegExp(
  `${PY_SPACE}*(?:(?<number>\\p{Nd}+(?:\\.\\p{Nd}+)?)|(?<string>'(?:[^'\\\\]|\\\\[^\\n])*'|"(?:[^"\\\\]|\\\\[^\\n])*")` +
    "|(?<op><=|>=|!=|=|<|>)|(?<arith>[-+*])|(?<punct>[(),.])|(?<name>[A-Za-z_][A-Za-z0-9_]*))",
  "uy",
);
const KEYWORDS = new Set(["and", "or", "not", "in", "true", "false", "answered"]);
const BLANK = new RegExp(`^${PY_SPACE}*$`, "u");
const LEADING = new RegExp(`^${PY_SPACE}*`, "u");

// Positions count code points, as Python's string indices do.
function codePoints(text) {
  return Array.from(text);
}

export function tokenize(source) {
  const tokens = [];
  const units = (offset) => codePoints(source.slice(0, offset)).length;
  let pos = 0;
  while (pos < source.length) {
    if (BLANK.test(source.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const match = TOKEN.exec(source);
    if (!match) {
      const start = pos + source.slice(pos).match(LEADING)[0].length;
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
// literal {value, kind, float, position}, ref {question, row, position}, answered {ref},
// compare {op, left, right, position}, in {ref, values, negated}, not {operand}, bool {op, operands},
// arith {op, left, right, position}, call {name, arguments, position},
// members {quantifier, roster, condition, position}.

function refName(ref) {
  return ref.row ? `${ref.question}.${ref.row}` : ref.question;
}

const QUANTIFIERS = ["any", "all"];
// Nodes that stand for a value (rather than a truth).
const VALUE_NODES = new Set(["literal", "ref", "arith", "call", "members"]);

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
    const left = this.parseSum();
    const op = this.accept("op");
    if (op) {
      const right = this.parseSum();
      if (!VALUE_NODES.has(right.type)) {
        throw new ExpressionError("a comparison needs a value on its right", op.position);
      }
      if (!VALUE_NODES.has(left.type)) {
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

  parseSum() {
    let node = this.parseProduct();
    while (this.current.kind === "arith" && (this.current.value === "+" || this.current.value === "-")) {
      const op = this.advance();
      node = { type: "arith", op: op.value, left: node, right: this.parseProduct(), position: op.position };
    }
    return node;
  }

  parseProduct() {
    let node = this.parseUnary();
    while (this.current.kind === "arith" && this.current.value === "*") {
      const op = this.advance();
      node = { type: "arith", op: op.value, left: node, right: this.parseUnary(), position: op.position };
    }
    return node;
  }

  parseUnary() {
    const minus = this.accept("arith", "-");
    if (minus === null) return this.parseOperand();
    const operand = this.parseUnary();
    if (operand.type === "literal" && operand.kind === NUMBER) {
      return { ...operand, value: operand.float ? -operand.value : 0 - operand.value, position: minus.position };
    }
    const zero = { type: "literal", value: 0, float: false, kind: NUMBER, position: minus.position };
    return { type: "arith", op: "-", left: zero, right: operand, position: minus.position };
  }

  parseLiteral() {
    const token = this.current;
    const node = this.parseUnary();
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
      const text = token.value.slice(1, -1).replace(/\\([^\n])/gu, "$1");
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
    if (this.current.kind === "name") {
      const next = this.tokens[this.index + 1];
      if (next.kind === "punct" && next.value === "(") {
        return QUANTIFIERS.includes(token.value) ? this.parseMembers() : this.parseCall();
      }
      return this.parseRef();
    }
    const found = token.value || "end of condition";
    throw new ExpressionError(`expected a question id or a value, found ${pyRepr(found)}`, token.position);
  }

  parseCall() {
    const name = this.advance();
    this.advance(); // "("
    const args = [];
    if (!this.accept("punct", ")")) {
      args.push(this.parseSum());
      while (this.accept("punct", ",")) args.push(this.parseSum());
      this.expect("punct", ")", "')' to close the call");
    }
    return { type: "call", name: name.value, arguments: args, position: name.position };
  }

  parseMembers() {
    const name = this.advance();
    this.advance(); // "("
    const roster = this.expect("name", null, "a roster id");
    this.expect("punct", ",", `',' and a condition after the roster in '${name.value}'`);
    const condition = this.parseOr();
    this.expect("punct", ")", `')' to close '${name.value}'`);
    const ref = { type: "ref", question: roster.value, row: null, position: roster.position };
    return { type: "members", quantifier: name.value, roster: ref, condition, position: name.position };
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

// --- the functions (survey/questionnaires/values.py): null for a missing argument ----------------

function dateParts(iso) {
  const pieces = iso.split("-").map(Number);
  return [pieces[0], pieces.length > 1 ? pieces[1] : null, pieces.length > 2 ? pieces[2] : null];
}

// Full years from `start` to `end` to the precision both dates have.
function yearsBetween(start, end) {
  const [y1, m1, d1] = dateParts(start);
  const [y2, m2, d2] = dateParts(end);
  const years = y2 - y1;
  if (m1 === null || m2 === null) return years;
  const notYet = m2 < m1 || (m2 === m1 && d1 !== null && d2 !== null && d2 < d1);
  return notYet ? years - 1 : years;
}

export const FUNCTIONS = {
  today: { arguments: [], result: DATE, run: (today) => today, needsToday: true },
  year: { arguments: [DATE], result: NUMBER, run: (iso) => dateParts(iso)[0] },
  month: { arguments: [DATE], result: NUMBER, run: (iso) => dateParts(iso)[1] },
  years_between: { arguments: [DATE, DATE], result: NUMBER, run: yearsBetween },
  // How many options a multiple-choice answer holds, or how many members a roster has.
  count: { arguments: [SET], result: NUMBER, run: (found) => (found instanceof Set ? found.size : found.length) },
};

// --- type checking: `resolve(ref)` returns {kind, codes: array|null, members?} or throws ----------

const DESCRIBE = { number: "number", text: "text", set: "set of options", date: "date", bool: "yes/no" };

function literalRepr(literal) {
  if (literal.kind === NUMBER && literal.float) return pyFloatRepr(literal.value);
  return pyRepr(literal.value);
}

function sourcePosition(node) {
  return ["literal", "ref", "arith", "call", "compare", "members"].includes(node.type) ? node.position : 0;
}

function membersResolver(node, resolve) {
  const symbol = resolve(node.roster);
  if (symbol.kind !== MEMBERS || !symbol.members) {
    throw new ExpressionError(`'${refName(node.roster)}' is not a roster`, node.roster.position);
  }
  return symbol.members;
}

// What a reference used as a value stands for; a roster is no value (it has members).
function valueSymbol(ref, resolve) {
  const symbol = resolve(ref);
  if (symbol.kind === MEMBERS) {
    const name = refName(ref);
    throw new ExpressionError(
      `'${name}' is a roster: use any(${name}, ...), all(${name}, ...) or count(${name})`,
      ref.position,
    );
  }
  return symbol;
}

function countsMembers(node, resolve) {
  if (node.name !== "count" || node.arguments.length !== 1) return false;
  const [argument] = node.arguments;
  return argument.type === "ref" && argument.row === null && resolve(argument).kind === MEMBERS;
}

// The kind of value an expression gives (checking it on the way).
export function kindOf(node, resolve) {
  switch (node.type) {
    case "literal":
      return node.kind;
    case "ref":
      return valueSymbol(node, resolve).kind;
    case "members":
      check(node.condition, membersResolver(node, resolve));
      return BOOL;
    case "arith":
      for (const side of [node.left, node.right]) {
        const kind = kindOf(side, resolve);
        if (kind !== NUMBER) throw new ExpressionError(`'${node.op}' needs numbers, not a ${DESCRIBE[kind]}`, node.position);
      }
      return NUMBER;
    case "call": {
      if (countsMembers(node, resolve)) return NUMBER;
      const fn = Object.hasOwn(FUNCTIONS, node.name) ? FUNCTIONS[node.name] : null;
      if (fn === null) {
        const known = Object.keys(FUNCTIONS).map((name) => `${name}()`).join(", ");
        throw new ExpressionError(`unknown function '${node.name}' (there are ${known})`, node.position);
      }
      if (node.arguments.length !== fn.arguments.length) {
        throw new ExpressionError(
          `'${node.name}' takes ${fn.arguments.length} argument(s), not ${node.arguments.length}`,
          node.position,
        );
      }
      node.arguments.forEach((argument, index) => {
        const kind = kindOf(argument, resolve);
        const wanted = fn.arguments[index];
        if (kind !== wanted) {
          throw new ExpressionError(
            `argument ${index + 1} of '${node.name}' must be a ${DESCRIBE[wanted]}, not a ${DESCRIBE[kind]}`,
            sourcePosition(argument),
          );
        }
      });
      return fn.result;
    }
    default:
      check(node, resolve);
      return BOOL;
  }
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

function sourceName(node) {
  return node.type === "call" ? `${node.name}(...)` : "the calculation";
}

function checkCompare(node, resolve) {
  const sides = [node.left, node.right].filter((side) => side.type !== "literal");
  if (!sides.length) throw new ExpressionError("a comparison needs at least one question", node.position);
  for (const side of sides) {
    if (side.type === "ref" && valueSymbol(side, resolve).kind === SET) {
      throw new ExpressionError(`'${refName(side)}' allows several answers: use 'in (...)' instead`, side.position);
    }
  }
  let kind;
  if (sides.length === 2) {
    const kinds = new Set(sides.map((side) => kindOf(side, resolve)));
    if (kinds.size !== 1) throw new ExpressionError("the two questions hold different kinds of answer", node.position);
    [kind] = kinds;
  } else {
    const [side] = sides;
    const literal = node.right.type === "literal" ? node.right : node.left;
    if (side.type === "ref") {
      const symbol = resolve(side);
      checkLiteral(symbol, literal, side);
      kind = symbol.kind;
    } else {
      kind = kindOf(side, resolve);
      const named = { type: "ref", question: sourceName(side), row: null, position: sourcePosition(side) };
      checkLiteral({ kind, codes: null }, literal, named);
    }
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
    case "arith":
    case "call":
    case "members": {
      const kind = kindOf(node, resolve);
      if (kind !== BOOL) {
        throw new ExpressionError(`a condition cannot be a bare ${DESCRIBE[kind]}: compare it`, sourcePosition(node));
      }
      break;
    }
    case "in": {
      const symbol = valueSymbol(node.ref, resolve);
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

// --- evaluation: `lookup(ref)` returns a number, string, boolean, Set, null, or for a roster an
// array of lookups, one per member (and the interview date for TODAY_REF) -----------------------

const OPS = {
  "=": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};
const ARITH = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
};

function found(lookup, ref) {
  const got = lookup(ref);
  return got === undefined ? null : got;
}

// The value of a checked value expression, or null when something it needs is unanswered.
export function value(node, lookup) {
  switch (node.type) {
    case "literal":
      return node.value;
    case "ref":
      return found(lookup, node);
    case "arith": {
      const left = value(node.left, lookup);
      const right = value(node.right, lookup);
      return left === null || right === null ? null : ARITH[node.op](left, right);
    }
    case "members": {
      const members = found(lookup, node.roster) || [];
      return node.quantifier === "any"
        ? members.some((member) => evaluate(node.condition, member))
        : members.every((member) => evaluate(node.condition, member));
    }
    case "call": {
      const fn = FUNCTIONS[node.name];
      if (fn.needsToday) return fn.run(found(lookup, TODAY_REF));
      const args = node.arguments.map((argument) => value(argument, lookup));
      if (args.some((argument) => argument === null)) return null;
      const result = fn.run(...args);
      return result === undefined ? null : result;
    }
    default:
      return evaluate(node, lookup);
  }
}

export function evaluate(node, lookup) {
  switch (node.type) {
    case "bool":
      return node.op === "and"
        ? node.operands.every((operand) => evaluate(operand, lookup))
        : node.operands.some((operand) => evaluate(operand, lookup));
    case "not":
      return !evaluate(node.operand, lookup);
    case "answered":
      return found(lookup, node.ref) !== null;
    case "ref":
    case "call":
    case "members":
      return value(node, lookup) === true;
    case "literal":
      return Boolean(node.value);
    case "in": {
      const got = found(lookup, node.ref);
      if (got === null) return false;
      const wanted = node.values.map((literal) => literal.value);
      const hit = got instanceof Set ? wanted.some((code) => got.has(code)) : wanted.includes(got);
      return node.negated ? !hit : hit;
    }
    case "compare": {
      const left = value(node.left, lookup);
      const right = value(node.right, lookup);
      if (left === null || right === null) return false;
      return OPS[node.op](left, right);
    }
    default:
      throw new TypeError(`not a condition node: ${node.type}`);
  }
}

// Every reference in a tree, in source order (a roster's members' names are not its references).
export function references(node) {
  switch (node.type) {
    case "ref":
      return [node];
    case "answered":
    case "in":
      return [node.ref];
    case "compare":
    case "arith":
      return [...references(node.left), ...references(node.right)];
    case "not":
      return references(node.operand);
    case "bool":
      return node.operands.flatMap(references);
    case "call":
      return node.arguments.flatMap(references);
    case "members":
      return [node.roster];
    default:
      return [];
  }
}

function asksAnswered(node) {
  if (node.type === "answered") return true;
  if (node.type === "not") return asksAnswered(node.operand);
  if (node.type === "bool") return node.operands.some(asksAnswered);
  return false;
}

// A computed value ({tree, kind}) under `lookup`: null when unknown. A yes/no value is unknown when
// a value it reads is (unless it asks answered(...) itself), rather than "no".
export function calculationValue(calculation, lookup) {
  const unknown = calculation.kind === BOOL && !asksAnswered(calculation.tree);
  if (unknown && references(calculation.tree).some((ref) => found(lookup, ref) === null)) return null;
  return value(calculation.tree, lookup);
}

// A computed value as survey/offline/logic.py describes it ({id, value, kind}), parsed once.
export function parseCalculation(computed) {
  return { id: computed.id, kind: computed.kind, tree: parse(computed.value) };
}

// The values of computed values ([{id, tree, kind}], in their order) under `lookup`: {id: value}.
// A member's values (a roster's computed values) are worked out with that member's lookup.
export function computeValues(calculations, lookup) {
  return Object.fromEntries(calculations.map((calculation) => [calculation.id, calculationValue(calculation, lookup)]));
}

// Two decimals as Python's format(value, ".2f"): the nearest, and a tie (a value exactly halfway,
// which needs at most three binary fraction digits) to the even last digit.
function fixed2(number) {
  const tie = Number.isInteger(number * 8) && Math.abs(number * 1000) % 10 === 5;
  if (!tie) return number.toFixed(2);
  const down = Math.trunc(number * 100) / 100;
  const last = Math.abs(Math.trunc(number * 100)) % 10;
  const away = (Math.abs(Math.trunc(number * 100)) + 1) / 100;
  const magnitude = last % 2 === 0 ? Math.abs(down) : away;
  return `${number < 0 ? "-" : ""}${magnitude.toFixed(2)}`;
}

// How a computed value is shown in a piped text (model.Computed.display): a whole number without
// decimals, another number with at most two, yes/no and text as Python writes them; "" when unknown.
export function computedDisplay(found) {
  if (found === null || found === undefined) return "";
  if (typeof found === "number") {
    if (Number.isInteger(found)) return Number.isSafeInteger(found) ? String(found + 0) : BigInt(found).toString();
    return fixed2(found).replace(/0+$/u, "");
  }
  if (typeof found === "boolean") return found ? "True" : "False";
  return String(found);
}

function resolver(symbols) {
  if (typeof symbols === "function") return symbols;
  return (ref) => {
    const symbol = Object.hasOwn(symbols, refName(ref)) ? symbols[refName(ref)] : null;
    if (!symbol) throw new ExpressionError(`unknown question '${refName(ref)}'`, ref.position);
    return symbol;
  };
}

// A parsed, checked condition; `symbols` maps "question" or "question.row" to {kind, codes}, or is
// a function of a reference.
export function compileCondition(source, symbols) {
  const tree = parse(source);
  check(tree, resolver(symbols));
  return { source, tree, holds: (lookup) => evaluate(tree, lookup) };
}

// A parsed, checked computed value: its kind is what it gives.
export function compileCalculation(source, symbols) {
  const tree = parse(source);
  const resolve = resolver(symbols);
  if (tree.type === "ref" && resolve(tree).kind === SET) {
    throw new ExpressionError(`'${refName(tree)}' allows several answers and cannot be a computed value`, tree.position);
  }
  const calculation = { source, tree, kind: kindOf(tree, resolve) };
  return { ...calculation, value: (lookup) => calculationValue(calculation, lookup) };
}
