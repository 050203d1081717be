// Dates come from the gateway as RFC 3339 strings; show them in the user's locale, but never
// hide a value we could not parse (an odd date is better than a blank cell when debugging).

// Created dates are calendar dates the gateway states in UTC (usually midnight); formatting them
// in the local zone would show the day before west of Greenwich.
const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function parse(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The "Created" column: a date, "—" when the gateway gave none, the raw text when unparsable. */
export function formatCreated(iso: string | null): string {
  if (iso === null || iso === "") return "—";
  const d = parse(iso);
  return d ? dateFmt.format(d) : iso;
}

/** When a list was fetched: date and time, for "cached at …" / "fetched at …". */
export function formatFetchedAt(iso: string): string {
  const d = parse(iso);
  return d ? timeFmt.format(d) : iso;
}
