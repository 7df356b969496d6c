// Reads an .ics on stdin and prints, per VEVENT, "UID DTSTART DTEND" as UTC ISO times the way
// ical.js (the parser of many web calendars) reads them, with the zone built from the file's
// own VTIMEZONE (ICAL.Timezone), not from any zone database. Run by tests/core/test_ics_zones.py:
//
//   npm install --prefix build/icaljs ical.js@2.2.1      (make icaljs)
//   NODE_PATH=build/icaljs/node_modules node tests/icaljs_times.cjs < meeting.ics
"use strict";
const fs = require("node:fs");
const ICAL = require("ical.js");

const calendar = new ICAL.Component(ICAL.parse(fs.readFileSync(0, "utf8")));
const zones = {};
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  const zone = new ICAL.Timezone(vtimezone);
  zones[zone.tzid] = zone;
}

function utc(event, name) {
  const property = event.getFirstProperty(name);
  const value = property.getFirstValue();
  const tzid = property.getParameter("tzid");
  if (tzid && !zones[tzid]) throw new Error(`no VTIMEZONE for ${tzid}`);
  const local = ICAL.Time.fromData(
    { year: value.year, month: value.month, day: value.day,
      hour: value.hour, minute: value.minute, second: value.second, isDate: false },
    tzid ? zones[tzid] : ICAL.Timezone.utcTimezone,
  );
  return local.toJSDate().toISOString().replace(".000Z", "Z");
}

for (const event of calendar.getAllSubcomponents("vevent")) {
  console.log([event.getFirstPropertyValue("uid"), utc(event, "dtstart"), utc(event, "dtend")].join(" "));
}
