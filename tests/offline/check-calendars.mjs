// The calendar vectors (tests/data/logic-vectors/calendars.json) through
// survey/static/offline/calendars.js: the same Gregorian days, the same days back in the Solar Hijri
// and Ethiopian calendars, the same ISO dates stored, as survey/questionnaires/calendars.py.
import { ETHIOPIAN, SOLAR_HIJRI, fromGregorian, iso, toGregorian } from "../../survey/static/offline/calendars.js";

const isoOf = (found) => (found ? found.map((n, i) => String(n).padStart(i ? 2 : 4, "0")).join("-") : null);

export function checkCalendars(vectors, report) {
  for (const [day, expected] of Object.entries(vectors.to_gregorian)) {
    const [calendar, ...numbers] = day.split(" ");
    report(`${day} in the Gregorian calendar`, expected, isoOf(toGregorian(calendar, ...numbers.map(Number))));
  }
  for (const [day, expected] of Object.entries(vectors.from_gregorian)) {
    const numbers = day.split("-").map(Number);
    const got = [SOLAR_HIJRI, ETHIOPIAN].map((calendar) => fromGregorian(calendar, ...numbers).join("-")).join(" / ");
    report(`${day} in the Solar Hijri and Ethiopian calendars`, expected, got);
  }
  for (const [typed, expected] of Object.entries(vectors.iso)) {
    const [calendar, precision, ...numbers] = typed.split(" ");
    report(`${typed}: stored as`, expected, iso(calendar, precision, ...numbers.map(Number)));
  }
}
