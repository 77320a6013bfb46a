// Validate every feed the C tests wrote with ical.js (version pinned in
// package-lock.json). For each FILE.ics with FILE.ics.expect.jsonl beside it:
// it must parse without an exception, with its VTIMEZONE registered, and
// every event's fields and times must equal what libical read.
// Prints 'ical.js: N passed, N failed'.
import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

function pad(n) { return String(n).padStart(2, '0'); }

function fmt(t) {
  const d = `${t.year}-${pad(t.month)}-${pad(t.day)}`;
  return t.isDate ? d : `${d}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

function check(file) {
  const problems = [];
  const text = fs.readFileSync(file, 'utf8');
  if (text.includes('\r\r') || /[^\r]\n/.test(text)) problems.push('a line does not end in CRLF');
  const root = new ICAL.Component(ICAL.parse(text));
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
  }
  const expected = fs.readFileSync(`${file}.expect.jsonl`, 'utf8').trim().split('\n').filter(Boolean)
    .map((l) => JSON.parse(l));
  const events = root.getAllSubcomponents('vevent');
  if (events.length !== expected.length) problems.push(`${events.length} events, libical read ${expected.length}`);
  events.forEach((vevent, i) => {
    const want = expected[i];
    if (!want) return;
    const ev = new ICAL.Event(vevent);
    const got = {
      uid: ev.uid ?? '',
      summary: ev.summary ?? '',
      description: ev.description ?? '',
      location: ev.location ?? '',
      status: vevent.getFirstPropertyValue('status') ?? '',
      id: vevent.getFirstPropertyValue('x-drill-id') ?? '',
      start: fmt(ev.startDate),
      end: fmt(ev.endDate),
      sequence: ev.sequence ?? 0,
    };
    for (const [key, value] of Object.entries(want)) {
      if (got[key] !== value) problems.push(`${want.id}: ${key} ${JSON.stringify(got[key])} != ${JSON.stringify(value)}`);
    }
    if (!ev.startDate.isDate && ev.startDate.zone && ev.startDate.zone.tzid !== vevent.getFirstProperty('dtstart').getParameter('tzid')) {
      problems.push(`${want.id}: start zone ${ev.startDate.zone.tzid} not registered`);
    }
  });
  return problems;
}

let passed = 0;
let failed = 0;
for (const file of walk(process.argv[2]).filter((f) => f.endsWith('.ics')).sort()) {
  if (!fs.existsSync(`${file}.expect.jsonl`)) continue;
  let problems;
  try {
    problems = check(file);
  } catch (e) {
    problems = [`exception: ${e.message}`];
  }
  if (problems.length) {
    failed++;
    console.log(`FAIL ${file}:\n  ${problems.slice(0, 5).join('\n  ')}`);
  } else {
    passed++;
  }
}
console.log(`ical.js: ${passed} passed, ${failed} failed`);
process.exit(failed || !passed ? 1 : 0);
