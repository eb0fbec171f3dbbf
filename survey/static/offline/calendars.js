// Dates typed in the Solar Hijri or the Ethiopian calendar, turned into the ISO (Gregorian) dates the
// server stores, as survey/questionnaires/calendars.py does (test vectors: calendars.json).
//
// Solar Hijri follows the arithmetic rule of the server's library (jdatetime): a 33-year cycle with
// leap years at positions 1, 5, 9, 13, 17, 22, 26 and 30 (year mod 33), six months of 31 days, five of
// 30, Esfand 29 days (30 in a leap year), years 1 to 9377; 1 Farvardin 1403 is 2024-03-20. The
// Ethiopian calendar is the Coptic one (convertdate) with years 276 later: twelve months of 30 days,
// then Pagumen of 5 days (6 when the Coptic year mod 4 is 3); 1 Meskerem 2017 is 2024-09-11.

export const GREGORIAN = "gregorian";
export const SOLAR_HIJRI = "solar_hijri";
export const ETHIOPIAN = "ethiopian";

const DAY = 86400000;
const SOLAR_LEAP = [1, 5, 9, 13, 17, 22, 26, 30];
const NOWRUZ_1403 = gregorianDays(2024, 3, 20);
const MESKEREM_2017 = gregorianDays(2024, 9, 11);
const ETHIOPIAN_OFFSET = 276;

const mod = (a, b) => ((a % b) + b) % b;

// Days since 1970-01-01 of a proleptic Gregorian date (any year; no check).
function gregorianDays(year, month, day) {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / DAY);
}

function gregorianOf(days) {
  const date = new Date(days * DAY);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

function gregorianLeap(year) {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function gregorianMonthLength(year, month) {
  if (month === 2) return gregorianLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Python's datetime.date: years 1 to 9999.
function realGregorian(year, month, day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= gregorianMonthLength(year, month);
}

// --- Solar Hijri ---------------------------------------------------------------------------------

export function solarLeap(year) {
  return SOLAR_LEAP.includes(mod(year, 33));
}

// Leap years y with 0 <= y < year (year >= 0).
function solarLeapsBefore(year) {
  return 8 * Math.floor(year / 33) + SOLAR_LEAP.filter((position) => position < year % 33).length;
}

function solarMonthLength(year, month) {
  if (month <= 6) return 31;
  if (month <= 11) return 30;
  return solarLeap(year) ? 30 : 29;
}

function farvardinFirst(year) {
  return NOWRUZ_1403 + 365 * (year - 1403) + solarLeapsBefore(year) - solarLeapsBefore(1403);
}

function solarDays(year, month, day) {
  if (!(year >= 1 && year <= 9377 && month >= 1 && month <= 12 && day >= 1 && day <= solarMonthLength(year, month))) return null;
  return farvardinFirst(year) + (month <= 7 ? 31 * (month - 1) : 186 + 30 * (month - 7)) + day - 1;
}

function solarOf(days) {
  let year = 1403 + Math.floor((days - NOWRUZ_1403) / 365.2424);
  while (farvardinFirst(year) > days) year -= 1;
  while (farvardinFirst(year + 1) <= days) year += 1;
  let rest = days - farvardinFirst(year);
  let month = 1;
  while (rest >= solarMonthLength(year, month)) {
    rest -= solarMonthLength(year, month);
    month += 1;
  }
  return [year, month, rest + 1];
}

// --- Ethiopian (Coptic + 276) ----------------------------------------------------------------------

function copticLeap(year) {
  return mod(year, 4) === 3;
}

function ethiopianMonthLength(year, month) {
  if (month <= 12) return 30;
  return copticLeap(year - ETHIOPIAN_OFFSET) ? 6 : 5;
}

// 1 Meskerem of an Ethiopian year: 365 days a year, one more after each Coptic leap year.
function meskeremFirst(year) {
  const coptic = year - ETHIOPIAN_OFFSET;
  return MESKEREM_2017 + 365 * (year - 2017) + Math.floor(coptic / 4) - Math.floor((2017 - ETHIOPIAN_OFFSET) / 4);
}

function ethiopianDays(year, month, day) {
  if (!(month >= 1 && month <= 13 && day >= 1 && day <= ethiopianMonthLength(year, month))) return null;
  return meskeremFirst(year) + 30 * (month - 1) + day - 1;
}

function ethiopianOf(days) {
  let year = 2017 + Math.floor((days - MESKEREM_2017) / 365.25);
  while (meskeremFirst(year) > days) year -= 1;
  while (meskeremFirst(year + 1) <= days) year += 1;
  const rest = days - meskeremFirst(year);
  return [year, Math.floor(rest / 30) + 1, (rest % 30) + 1];
}

// --- what the questions use ----------------------------------------------------------------------

// [year, month, day] of the Gregorian date of a day in `calendar`; null when there is no such day
// (or its Gregorian date is outside years 1 to 9999, as Python's dates are).
export function toGregorian(calendar, year, month, day) {
  if (calendar === GREGORIAN) return realGregorian(year, month, day) ? [year, month, day] : null;
  const days = calendar === SOLAR_HIJRI ? solarDays(year, month, day) : calendar === ETHIOPIAN ? ethiopianDays(year, month, day) : null;
  if (days === null) return null;
  const found = gregorianOf(days);
  return realGregorian(...found) ? found : null;
}

// [year, month, day] of a (real) Gregorian date in `calendar`.
export function fromGregorian(calendar, year, month, day) {
  if (calendar === SOLAR_HIJRI) return solarOf(gregorianDays(year, month, day));
  if (calendar === ETHIOPIAN) return ethiopianOf(gregorianDays(year, month, day));
  return [year, month, day];
}

const pad = (number, size) => String(number).padStart(size, "0");
const isoOf = ([year, month, day]) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;

// The ISO date stored for a date typed in `calendar` at `precision` ("day", "month" or "year"); null
// when there is no such date. A month or year of another calendar is stored as the Gregorian month
// (or year) that holds its middle: its 15th day, or 182 days after its first.
export function iso(calendar, precision, year, month, day) {
  if (precision === "day") {
    const found = toGregorian(calendar, year, month || 1, day || 1);
    return found ? isoOf(found) : null;
  }
  if (calendar === GREGORIAN) {
    if (!realGregorian(year, month || 1, 1)) return null;
    return precision === "month" ? `${pad(year, 4)}-${pad(month, 2)}` : pad(year, 4);
  }
  if (precision === "month") {
    const middle = toGregorian(calendar, year, month || 1, 15);
    return middle ? isoOf(middle).slice(0, 7) : null;
  }
  const first = toGregorian(calendar, year, 1, 1);
  if (!first) return null;
  const middle = gregorianOf(gregorianDays(...first) + 182);
  return realGregorian(...middle) ? pad(middle[0], 4) : null;
}

// A whole number in the digits whose zero is given (CLDR's default numbering system of the page
// language: Persian ۰, Arabic ٠), or as it is when there is none.
export function localNumber(number, zero) {
  const text = String(number);
  if (!zero) return text;
  const base = zero.codePointAt(0);
  return Array.from(text, (digit) => String.fromCodePoint(base + Number(digit))).join("");
}
