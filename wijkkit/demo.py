"""A realistic demo village, for the first run, the smoke test, screenshots and benchmarks.

Ellerveen is an invented kern in the invented gemeente Veldhorst. Its dorpshuis
De Schakel held a first wijkdialoog three weeks ago (people, captures and
agreements) and a follow-up meeting is planned. Dates are relative to the day
the demo is made, so the demo always looks current.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from wijkkit import templates
from wijkkit.kit import Kit

PEOPLE = [
    # name, role, organisation, e-mail, consents (contact, share, photos), table
    ("Anneke Bosma", "inwoner", "", "anneke.bosma@example.nl", (1, 1, 1), 1),
    ("Şükrü Yılmaz", "vrijwilliger", "Vrijwilligerspunt Veldhorst", "sukru@example.nl", (1, 1, 0), 1),
    ("Łucja Wójcik", "mantelzorger", "", "", (0, 1, 0), 1),
    ("Zoë van 't Hof-Dijkstra", "inwoner", "", "zoe.vthof@example.nl", (1, 1, 1), 2),
    ("Nguyễn Thị Minh Khai", "inwoner", "", "", (0, 0, 0), 2),
    ("Henk Oosterhuis", "inwoner", "Dorpsbelang Ellerveen", "h.oosterhuis@example.nl", (1, 1, 0), 2),
    ("Fatima El Amrani", "wijkteam", "Wijkteam Veldhorst-Noord", "f.elamrani@example.nl", (1, 1, 1), 3),
    ("Jan de Vries", "gemeente", "Gemeente Veldhorst", "j.devries@example.nl", (1, 1, 0), 3),
    ("Jan de Vries", "inwoner", "", "", (0, 0, 0), 3),
    ("Greetje Kuipers", "zorgaanbieder", "Thuiszorg De Linde", "g.kuipers@example.nl", (1, 1, 0), 4),
    ("Pieter Hoekstra", "welzijnsorganisatie", "Welzijn Veldhorst", "p.hoekstra@example.nl", (1, 1, 1), 4),
    ("Marieke Smit", "ondernemer", "Bakkerij Smit", "", (0, 1, 0), 4),
]

CAPTURES = [
    (2, "note", "Veel nieuwe gezinnen aan de Esweg; oudere inwoners kennen hen nog niet."),
    (3, "quote", "Toen mijn man ziek werd, kwam de buurvrouw elke dag even langs. Dat hield me overeind."),
    (3, "note", "De buurtbus rijdt niet meer op zaterdag; boodschappen doen is dan lastig."),
    (5, "dream", "Een koffieochtend in De Schakel waar iedereen binnenloopt, ook wie slecht ter been is."),
    (5, "dream", "Een lijst bij de bakker met wie wat kan: klussen, rijden, een praatje."),
    (6, "idea", "Een digitaal spreekuur in de bibliotheekhoek, met vrijwilligers van het Vrijwilligerspunt."),
    (6, "note", "Mantelzorgers weten niet waar ze respijtzorg kunnen aanvragen."),
    (7, "note", "Hobbel: mensen vragen niet graag om hulp."),
    (8, "quote", "We moeten het niet groter maken dan het is: gewoon beginnen."),
]

AGREEMENTS = [
    # title, owner index or party, partners, due in days, status
    ("Koffieochtend in De Schakel elke eerste dinsdag", 5, "Welzijn Veldhorst", 14, "in_progress"),
    ("Hulplijst bij Bakkerij Smit ophangen", 11, "Dorpsbelang Ellerveen", 7, "done"),
    ("Vervoer op zaterdag onderzoeken met de buurtbus", "Gemeente Veldhorst", "Vervoerscommissie", 30, "open"),
    ("Digitaal spreekuur starten in de bibliotheekhoek", 1, "Vrijwilligerspunt Veldhorst", -3, "open"),
    ("Informatieavond respijtzorg voor mantelzorgers", 6, "Thuiszorg De Linde", 45, "open"),
    ("Nieuwe gezinnen persoonlijk uitnodigen voor de volgende bijeenkomst", 3, "", 21, "stalled"),
]


OFFERS = [
    # person index, text, category
    (1, "Ik help met de computer, de telefoon en formulieren op internet.", "digitale_hulp"),
    (5, "Op zaterdag kan ik mensen met de auto naar de markt brengen.", "vervoer"),
    (0, "Als ik boodschappen doe, neem ik graag iets mee voor een buur.", "boodschappen"),
]
NEEDS = [
    (2, "Iemand die af en toe een middag bij mijn moeder is, zodat ik even weg kan.", "gezelschap"),
    (4, "Hulp bij het invullen van formulieren van de gemeente.", "administratie"),
    (3, "Vervoer naar de weekmarkt op zaterdag.", "vervoer"),
]
OBSTACLES = [
    ("Mensen vragen niet graag om hulp; ze willen niemand tot last zijn.", "vertrouwen", "Wijkteam Veldhorst-Noord"),
    ("De buurtbus rijdt niet op zaterdag.", "vervoer", "Gemeente Veldhorst"),
    ("Nieuwe inwoners weten niet wat er in het dorp te doen is.", "informatie", "Dorpsbelang Ellerveen"),
]
INVITATIONS = [
    # channel, days before the meeting, done yet, reach
    ("whatsapp", 30, True, 85),
    ("village_paper", 21, False, 900),
    ("letter", 14, False, 420),
    ("poster", 14, False, None),
    ("personal", 10, False, 15),
]


def _at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute)).isoformat(timespec="minutes")


def populate(kit: Kit, today: date | None = None) -> None:
    """Fill an empty Kit with the demo village."""
    today = today or date.today()
    held_day, next_day = today - timedelta(days=21), today + timedelta(days=28)
    template = templates.builtin()
    with kit.transaction():
        from wijkkit import branding

        branding.save(kit, "Welzijn Veldhorst · wijkdialogen", None)
        kern = kit.neighbourhoods.add(
            "Ellerveen", "Veldhorst", "kern", "Kern van 1.900 inwoners; dorpshuis De Schakel."
        )
        kit.neighbourhoods.add("Veldhorst-Oost", "Veldhorst", "wijk", "Wijk met veel ouderen en nieuwbouw.")
        place = {
            "neighbourhood_id": kern,
            "location_name": "Dorpshuis De Schakel",
            "location_address": "Brinkweg 4, Ellerveen",
            "facilitator": "Ingrid Veenstra",
        }
        held = kit.sessions.add(
            "Samen zorgen in Ellerveen",
            _at(held_day, 19, 30),
            _at(held_day, 22, 0),
            theme="Naar elkaar omzien",
            status="held",
            **place,
        )
        templates.apply(kit, held, template)
        steps = kit.sessions.steps(held)
        people = []
        for name, role, org, email, (contact, share, photos), table in PEOPLE:
            person = kit.people.add(
                name,
                role=role,
                organisation=org,
                email=email,
                neighbourhood_id=kern,
                consent_contact=contact,
                consent_share=share,
                consent_photos=photos,
            )
            people.append(person)
            kit.insert("attendance", {"session_id": held, "person_id": person, "present": 1, "table_no": table})
        for minute, (position, kind, text) in enumerate(CAPTURES):
            kit.insert(
                "capture",
                {
                    "session_id": held,
                    "step_id": steps[position - 1].id,
                    "kind": kind,
                    "text": text,
                    "table_no": 1 + minute % 4,
                    "created_at": (
                        datetime.combine(held_day, time(19, 30)) + timedelta(minutes=16 * position + minute)
                    ).isoformat(timespec="seconds"),
                },
            )
        for title, owner, partners, due_days, status in AGREEMENTS:
            owner_fields = {"owner_party": owner} if isinstance(owner, str) else {"owner_person_id": people[owner]}
            kit.agreements.add(
                title,
                held,
                partners=partners,
                due_on=(today + timedelta(days=due_days)).isoformat(),
                review_on=next_day.isoformat(),
                status=status,
                **owner_fields,
            )
        kit.update("session", held, {"anonymous_count": 6})
        for index, text, category in OFFERS:
            kit.exchange.add_offer(held, text, category, people[index])
        for index, text, category in NEEDS:
            kit.exchange.add_need(held, text, category, people[index])
        for text, category, who in OBSTACLES:
            kit.exchange.add_obstacle(held, text, category, who)
        agreements = {a.title: a.id for a in kit.agreements.for_session(held)}
        moment = datetime.combine(held_day + timedelta(days=10), time(10, 0))
        kit.agreements.update_status(agreements[AGREEMENTS[1][0]], "done", "Lijst hangt naast de kassa.", at=moment)
        kit.agreements.update_status(agreements[AGREEMENTS[0][0]], "in_progress",
                                     "Eerste ochtend was op 1 december, 14 mensen.", at=moment)  # fmt: skip
        for task in kit.followups.add_usual(held, held_day)[:1]:
            kit.followups.set_done(task, held_day + timedelta(days=9))
        following = kit.sessions.add(
            "Vervolgbijeenkomst: wat hebben we bereikt?",
            _at(next_day, 19, 30),
            _at(next_day, 22, 0),
            theme="Afspraken bespreken en verder bouwen",
            follows_session_id=held,
            **place,
        )
        templates.apply(kit, following, templates.builtin(templates.REPEAT_TEMPLATE))
        kit.preparation.add_default_materials(following)
        for item in kit.preparation.checklist(following)[:3]:
            kit.preparation.set_done(item.id)
        for channel, planned_days, done, reach in INVITATIONS:
            kit.preparation.set_invitation(
                following,
                channel,
                planned_on=(next_day - timedelta(days=planned_days)).isoformat(),
                done_on=(next_day - timedelta(days=planned_days)).isoformat() if done else None,
                reach=reach,
            )


def create(path: str | Path, today: date | None = None) -> None:
    """Make a new database file holding the demo village.

    It is built under a temporary name and renamed when complete, so a failure
    never leaves a half-made database behind.
    """
    path = Path(path)
    tmp = path.with_name(path.name + ".making")
    leftovers = [tmp.with_name(tmp.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    try:
        with Kit.open(tmp) as kit:
            populate(kit, today)
            kit.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tmp.replace(path)
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
