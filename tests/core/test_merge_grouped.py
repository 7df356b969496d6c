"""The merge reads current versions per row and writes winners grouped per row (issue 19): pinned
against what the per-field merge left before, on a mixed bundle and on a bundle of new rows only.

The scenario is fixed (ids, stamps, replicas, the clock), so the database a merge leaves can be
compared whole: every synced row (with its rowid: the order new rows were inserted), every field
version, tombstone and conflict copy (with its id: the order conflicts were found), what was seen
of each replica, and the merge's own count. ``EXPECTED_*`` were made by the merge as it was before
the change (commit e886b2f) from this very scenario; a merge that decides, orders or stores anything
differently fails here. The mixed bundle has every case of the comparison: a sequential edit, a
concurrent edit that wins (ours kept) and one that loses (theirs kept), the same version again, an
edit of a deleted and of an erased row, a field sent twice, a new field of an existing row, new rows
of several shapes, versions with and without a base, a person's erasure, and a withheld name in
arriving free text (corrected as this database's own edit).
"""

from __future__ import annotations

from wijkkit import hlc
from wijkkit.kit import Kit
from wijkkit.sync import merge
from wijkkit.sync.bundle import Payload

NOW = 1_800_000_000_000  # this database's clock (ms)
A, B = "a0a0a0a0a0a0a0a1", "b0b0b0b0b0b0b0b1"
G = [f"0190aaaa-0000-7000-8000-{n:012d}" for n in range(10)]  # agreements
P = [f"0190bbbb-0000-7000-8000-{n:012d}" for n in range(4)]  # people
N1 = "0190cccc-0000-7000-8000-000000000001"  # a neighbourhood


def at(ms: int, counter: int = 0) -> int:
    return hlc.pack(NOW - 1_000_000 + ms, counter)


def _first() -> Payload:
    """From laptop A: the rows the second bundle meets."""
    changes = [("neighbourhood", N1, "name", "Ellerveen", at(1), A, None, None)]
    for n in range(7):
        changes += [("agreement", G[n], "title", f"Afspraak {n}", at(10 + n), A, None, None),
                    ("agreement", G[n], "status", "open", at(10 + n, 1), A, None, None),
                    ("agreement", G[n], "description", f"Tekst {n}", at(10 + n, 2), A, None, None)]  # fmt: skip
    changes += [("person", P[0], "name", "Anneke Bosma", at(30), A, None, None),
                ("person", P[0], "consent_share", 1, at(30, 1), A, None, None),
                ("person", P[1], "name", "Henk Smit", at(31), A, None, None),
                ("person", P[1], "consent_share", 1, at(31, 1), A, None, None),
                ("agreement", G[0], "partners", "Henk Smit en de bakker", at(32), A, None, None)]  # fmt: skip
    tombstones = [("agreement", G[5], at(40), A, 0), ("agreement", G[6], at(41), A, 1)]
    return Payload({"sender": A, "bundle_id": f"{A}-000001"}, changes, tombstones)


def _second() -> Payload:
    """From laptop B: every case of the comparison at once."""
    base = (at(10), A)  # the version of G0's title that B saw
    changes = [
        ("agreement", G[0], "title", "Afspraak 0, bijgewerkt", at(100), B, *base),  # sequential: no conflict
        ("agreement", G[1], "title", "Gelijktijdig B", at(101), B, None, None),  # concurrent, B wins
        ("agreement", G[2], "title", "Te oud", at(5), B, None, None),  # concurrent, B loses
        ("agreement", G[3], "title", "Afspraak 3", at(13), A, None, None),  # the same version again
        ("agreement", G[5], "title", "Na het wissen", at(105), B, None, None),  # a deleted row
        ("agreement", G[6], "title", "Na het uitwissen", at(106), B, None, None),  # an erased row
        ("agreement", G[4], "owner_party", "Gemeente", at(107), B, None, None),  # a new field of a row
        ("agreement", G[7], "title", "Nieuw, eerst", at(108), B, None, None),  # sent twice: the higher
        ("agreement", G[7], "status", "open", at(108, 1), B, None, None),
        ("agreement", G[8], "title", "Nieuw, ander", at(109), B, None, None),  # another shape
        ("agreement", G[7], "title", "Nieuw, later", at(110), B, None, None),
        ("agreement", G[8], "description", "Greetje Mulder belt de bakker", at(109, 1), B, None, None),
        ("agreement", G[9], "title", "Nieuw, derde", at(111), B, None, None),
        ("agreement", G[9], "status", "done", at(111, 1), B, None, None),
        ("agreement", G[2], "status", "done", at(112), B, at(11, 1), A),  # sequential on a row that loses a field
        ("person", P[0], "name", "Anneke Bosma-Visser", at(113), B, at(30), A),
        ("person", P[2], "name", "Zoë de Boer", at(114), B, None, None),
        ("person", P[2], "consent_share", 1, at(114, 1), B, None, None),
    ]
    tombstones = [("person", P[1], at(120), B, 1)]  # Henk Smit erased: scrubbed from G0's partners
    return Payload({"sender": B, "bundle_id": f"{B}-000001"}, changes, tombstones)


def _new_rows() -> Payload:
    changes = []
    for n in range(6):
        row = f"0190dddd-0000-7000-8000-{n:012d}"
        fields = [("title", f"Afspraak {n}"), ("status", "open"), ("table_no", n), ("due_on", None)]
        if n % 2:
            fields.append(("partners", "Welzijn"))
        changes += [("agreement", row, name, value, at(200 + n, k), B, None, None)
                    for k, (name, value) in enumerate(fields)]  # fmt: skip
    return Payload({"sender": B, "bundle_id": f"{B}-000002"}, changes, [])


def _state(kit: Kit) -> dict:
    """Everything a merge writes, with this database's random replica id as 'HERE'."""
    def rows(sql: str) -> list[tuple]:
        return [tuple("HERE" if v == kit.replica_id else v for v in r) for r in kit.conn.execute(sql)]

    return {
        "agreement": rows("SELECT rowid, id, title, status, description, partners, owner_party, table_no, due_on "
                          "FROM agreement ORDER BY rowid"),
        "person": rows("SELECT rowid, id, name, consent_share FROM person ORDER BY rowid"),
        "neighbourhood": rows("SELECT rowid, id, name FROM neighbourhood ORDER BY rowid"),
        "versions": rows("SELECT * FROM _field_version ORDER BY tbl, row_id, field"),
        "tombstones": rows("SELECT * FROM _tombstone ORDER BY tbl, row_id"),
        "conflicts": rows("SELECT id, tbl, row_id, field, value, hlc, replica, kept_value, kept_hlc, kept_replica, "
                          "reason, bundle, resolved_at FROM _sync_conflict ORDER BY id"),
        "seen": rows("SELECT * FROM _sync_seen ORDER BY replica"),
    }  # fmt: skip


def _results(payloads: list[Payload]) -> tuple[list[tuple], dict]:
    with Kit.memory(clock=lambda: NOW) as kit:
        kit.people.add("Greetje Mulder", consent_share=0)  # a withheld name this database knows
        found = []
        for n, payload in enumerate(payloads):
            result = merge.apply(kit, payload, f"bundle-{n}", f"sha-{n}")
            found.append((result.applied, result.conflicts, result.ignored, result.deleted, result.already))
        again = merge.apply(kit, payloads[-1], "again", f"sha-{len(payloads) - 1}")
        found.append((again.applied, again.conflicts, again.ignored, again.deleted, again.already))
        state = _state(kit)
    state["person"] = [r for r in state["person"] if r[2] != "Greetje Mulder"]  # random id, local
    state["versions"] = [r for r in state["versions"] if not (r[0] in ("person", "consent_record") and r[4] == "HERE")]
    return found, state


def test_a_mixed_bundle_leaves_what_the_per_field_merge_left():
    found, state = _results([_first(), _second()])
    assert (found, state) == EXPECTED_MIXED


def test_a_bundle_of_new_rows_leaves_what_the_per_field_merge_left():
    found, state = _results([_new_rows()])
    assert (found, state) == EXPECTED_NEW


def test_judging_a_row_whole_gives_the_verdict_of_judging_it_field_by_field(monkeypatch):
    """authority._judge_row takes a row whole when nothing in it needs a field's own judgement
    (in scope, not personal, no person link, all the sender's own): the verdict must be the one
    the field-by-field loop gives."""
    from wijkkit.sync import authority

    def verdict() -> tuple:
        with Kit.memory(clock=lambda: NOW) as hub:
            wijk = hub.insert("neighbourhood", {"name": "Ellerveen"})
            other = hub.insert("neighbourhood", {"name": "Elders"})
            ours = hub.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=wijk)
            theirs = hub.sessions.add("Elders", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=other)
            kept = hub.agreements.add("Bestaand", ours)
            person = hub.people.add("Anneke Bosma", consent_share=1, neighbourhood_id=wijk)
            hub.conn.execute("INSERT INTO _sync_scope VALUES (?, ?, 'assigned', NULL)", [B, wijk])
            changes = []
            for n, (session, extra) in enumerate([(ours, {}), (theirs, {}), (ours, {"owner_person_id": person}),
                                                  (None, {}), (ours, {"owner_person_id": "0190eeee-0000-7000-8000-0"})]):
                row = f"0190ffff-0000-7000-8000-{n:012d}"
                fields = {"title": f"Afspraak {n}", "status": "open", "session_id": session, **extra}
                changes += [("agreement", row, name, value, at(300 + n, k), B, None, None)
                            for k, (name, value) in enumerate(fields.items())]
            changes += [("agreement", kept, "title", "Bijgewerkt", at(310), B, None, None),
                        ("agreement", kept, "status", "done", at(311), A, None, None),  # another's stamp
                        ("person", person, "name", "Anneke Visser", at(312), B, None, None),
                        ("person", person, "consent_share", 0, at(312, 1), B, None, None)]  # fmt: skip
            found = authority.judge(hub, B, Payload({"sender": B, "bundle_id": f"{B}-000003"}, changes, []))
            ids = {wijk: "wijk", other: "other", ours: "ours", theirs: "theirs", kept: "kept", person: "person"}

            def named(value: object) -> object:
                return tuple(named(v) for v in value) if isinstance(value, tuple) else ids.get(value, value)

            return ([named(c) for c in found.changes], [named(r) for r in found.refused],
                    {named(k): v for k, v in found.restamp.items()}, {named(r) for r in found.new_rows},
                    found.restore, found.created, found.own_refused_max)  # fmt: skip

    whole = verdict()
    assert len(whole[0]) > 10 and whole[1], "the payload has accepted and refused changes"

    def by_field(hub, verdict, table: str, row_id: str, fields: dict) -> None:  # as before issue 19
        deleted = (table, row_id) in hub.tombstoned
        in_scope = deleted or hub.allowed(table, row_id)
        authority._judge_fields(hub, verdict, table, row_id, fields, deleted, in_scope)

    monkeypatch.setattr(authority, "_judge_row", by_field)
    assert verdict() == whole


def _fill_as_before(kit: Kit, replica: str) -> set[tuple[str, str]]:
    """scope.fill as it was before issue 19: one statement per table, its ways into the scope ORed."""
    from wijkkit.sync.scope import PARENT, PERSON_LINKS, SESSION_CHILDREN

    conn, found = kit.conn, set()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _before (tbl TEXT, row_id TEXT, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID")

    def mine(table: str) -> str:
        return f"EXISTS (SELECT 1 FROM _sync_origin o WHERE o.tbl = '{table}' AND o.row_id = r.id AND o.replica = :me)"

    def add(table: str, where: str) -> None:
        conn.execute(f"INSERT OR IGNORE INTO temp._before SELECT '{table}', r.id FROM [{table}] r WHERE {where}",
                     {"me": replica})

    def linked(table: str) -> str:
        link, parent = PARENT[table]
        return (f"r.{link} IN (SELECT row_id FROM temp._before WHERE tbl = '{parent}') OR "
                f"(NOT EXISTS (SELECT 1 FROM [{parent}] p WHERE p.id = r.{link}) AND {mine(table)})")

    add("neighbourhood", "r.id IN (SELECT neighbourhood_id FROM _sync_scope WHERE replica = :me)")
    for table in ("session", *SESSION_CHILDREN, "agreement_update"):
        add(table, linked(table))
    via = " UNION ".join(f"SELECT x.{link} FROM [{table}] x JOIN temp._before s ON s.tbl = '{table}' AND s.row_id = x.id"
                         for table, link in PERSON_LINKS)
    add("person", f"r.neighbourhood_id IN (SELECT row_id FROM temp._before WHERE tbl = 'neighbourhood') "
                  f"OR {mine('person')} OR r.id IN ({via})")
    add("consent_record", linked("consent_record"))
    found = {tuple(r) for r in conn.execute("SELECT tbl, row_id FROM temp._before")}
    conn.execute("DROP TABLE temp._before")
    return found


def test_a_laptops_scope_is_the_rows_it_was_before_each_way_got_its_own_statement():
    """scope.fill runs each way into a laptop's scope as its own statement (issue 19): the same rows."""
    from wijkkit.sync import scope

    with Kit.memory(clock=lambda: NOW) as hub:
        wijk, other = hub.insert("neighbourhood", {"name": "Ellerveen"}), hub.insert("neighbourhood", {"name": "Elders"})
        ours = hub.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=wijk)
        theirs = hub.sessions.add("Elders", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=other)
        inside = hub.people.add("Anneke Bosma", neighbourhood_id=wijk)
        outside, linked, brought = (hub.people.add(n, neighbourhood_id=other) for n in ("Henk", "Jan", "Wim"))
        hub.insert("attendance", {"session_id": ours, "person_id": linked})
        hub.insert("attendance", {"session_id": theirs, "person_id": inside})
        kept = hub.agreements.add("In de wijk", ours, owner_person_id=outside)
        hub.agreements.add("Elders", theirs)
        hub.insert("agreement_update", {"agreement_id": kept, "status": "open", "note": "begonnen"})
        orphans = [hub.insert("agreement", {"title": f"Los {n}", "session_id": session})
                   for n, session in enumerate([None, None, theirs, None])]
        hub.conn.execute("PRAGMA foreign_keys = OFF")  # a meeting that did not arrive (yet): sync is eventual
        hub.conn.execute("UPDATE agreement SET session_id = '0190eeee-0000-7000-8000-000000000001' WHERE id = ?",
                         [orphans[0]])
        origins = [("agreement", orphans[0], B), ("agreement", orphans[1], B), ("agreement", orphans[2], B),
                   ("agreement", orphans[3], A), ("person", brought, B), ("session", theirs, A)]
        hub.conn.executemany("INSERT INTO _sync_origin VALUES (?, ?, ?)", origins)
        for replica, served in ((B, [wijk]), (A, [other]), ("c0c0c0c0c0c0c0c1", [])):
            hub.conn.executemany("INSERT OR IGNORE INTO _sync_scope VALUES (?, ?, 'assigned', NULL)",
                                 [(replica, n) for n in served])
            scope.fill(hub, replica)
            now = {tuple(r) for r in hub.conn.execute("SELECT tbl, row_id FROM temp._scope")}
            assert now == _fill_as_before(hub, replica), replica
        assert {("agreement", orphans[0]), ("agreement", orphans[1]), ("person", brought)} <= _fill_as_before(hub, B)


# made by the per-field merge of commit e886b2f (see the module's docstring)
EXPECTED_MIXED: tuple = ([(21, 3, 6, 2, False), (13, 4, 4, 1, False), (0, 0, 0, 0, True)],
 {'agreement': [(1, '0190aaaa-0000-7000-8000-000000000000', 'Afspraak 0, bijgewerkt', 'open', 'Tekst 0',
                 '[verwijderd] en de bakker', '', None, None),
                (2, '0190aaaa-0000-7000-8000-000000000001', 'Gelijktijdig B', 'open', 'Tekst 1', '', '', None, None),
                (3, '0190aaaa-0000-7000-8000-000000000002', 'Afspraak 2', 'done', 'Tekst 2', '', '', None, None),
                (4, '0190aaaa-0000-7000-8000-000000000003', 'Afspraak 3', 'open', 'Tekst 3', '', '', None, None),
                (5, '0190aaaa-0000-7000-8000-000000000004', 'Afspraak 4', 'open', 'Tekst 4', '', 'Gemeente', None,
                 None),
                (6, '0190aaaa-0000-7000-8000-000000000007', 'Nieuw, later', 'open', '', '', '', None, None),
                (7, '0190aaaa-0000-7000-8000-000000000009', 'Nieuw, derde', 'done', '', '', '', None, None),
                (8, '0190aaaa-0000-7000-8000-000000000008', 'Nieuw, ander', 'open',
                 '(naam niet gedeeld) belt de bakker', '', '', None, None)],
  'conflicts': [(1, 'agreement', '0190aaaa-0000-7000-8000-000000000005', 'title', 'Afspraak 5', 117964734464983040,
                 'a0a0a0a0a0a0a0a1', None, None, None, 'deleted', 'bundle-0', None),
                (2, 'agreement', '0190aaaa-0000-7000-8000-000000000005', 'status', 'open', 117964734464983041,
                 'a0a0a0a0a0a0a0a1', None, None, None, 'deleted', 'bundle-0', None),
                (3, 'agreement', '0190aaaa-0000-7000-8000-000000000005', 'description', 'Tekst 5', 117964734464983042,
                 'a0a0a0a0a0a0a0a1', None, None, None, 'deleted', 'bundle-0', None),
                (4, 'agreement', '0190aaaa-0000-7000-8000-000000000001', 'title', 'Afspraak 1', 117964734464720896,
                 'a0a0a0a0a0a0a0a1', 'Gelijktijdig B', 117964734470619136, 'b0b0b0b0b0b0b0b1', 'concurrent',
                 'bundle-1', None),
                (5, 'agreement', '0190aaaa-0000-7000-8000-000000000002', 'status', 'open', 117964734464786433,
                 'a0a0a0a0a0a0a0a1', 'done', 117964734471340032, 'b0b0b0b0b0b0b0b1', 'concurrent', 'bundle-1', None),
                (6, 'agreement', '0190aaaa-0000-7000-8000-000000000002', 'title', 'Te oud', 117964734464327680,
                 'b0b0b0b0b0b0b0b1', 'Afspraak 2', 117964734464786432, 'a0a0a0a0a0a0a0a1', 'concurrent', 'bundle-1',
                 None),
                (7, 'agreement', '0190aaaa-0000-7000-8000-000000000005', 'title', 'Na het wissen', 117964734470881280,
                 'b0b0b0b0b0b0b0b1', None, None, None, 'deleted', 'bundle-1', None)],
  'neighbourhood': [(1, '0190cccc-0000-7000-8000-000000000001', 'Ellerveen')],
  'person': [(2, '0190bbbb-0000-7000-8000-000000000000', 'Anneke Bosma-Visser', 1),
             (3, '0190bbbb-0000-7000-8000-000000000002', 'Zoë de Boer', 1)],
  'seen': [('a0a0a0a0a0a0a0a1', 117964734466686976), ('b0b0b0b0b0b0b0b1', 117964734471864320)],
  'tombstones': [('agreement', '0190aaaa-0000-7000-8000-000000000005', 117964734466621440, 'a0a0a0a0a0a0a0a1', 0),
                 ('agreement', '0190aaaa-0000-7000-8000-000000000006', 117964734466686976, 'a0a0a0a0a0a0a0a1', 1),
                 ('person', '0190bbbb-0000-7000-8000-000000000001', 117964734471864320, 'b0b0b0b0b0b0b0b1', 1)],
  'versions': [('agreement', '0190aaaa-0000-7000-8000-000000000000', 'description', 117964734464655362,
                'a0a0a0a0a0a0a0a1', None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000000', 'partners', 117964734466097152,
                'a0a0a0a0a0a0a0a1', None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000000', 'status', 117964734464655361, 'a0a0a0a0a0a0a0a1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000000', 'title', 117964734470553600, 'b0b0b0b0b0b0b0b1',
                117964734464655360, 'a0a0a0a0a0a0a0a1'),
               ('agreement', '0190aaaa-0000-7000-8000-000000000001', 'description', 117964734464720898,
                'a0a0a0a0a0a0a0a1', None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000001', 'status', 117964734464720897, 'a0a0a0a0a0a0a0a1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000001', 'title', 117964734470619136, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000002', 'description', 117964734464786434,
                'a0a0a0a0a0a0a0a1', None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000002', 'status', 117964734471340032, 'b0b0b0b0b0b0b0b1',
                117964734464720897, 'a0a0a0a0a0a0a0a1'),
               ('agreement', '0190aaaa-0000-7000-8000-000000000002', 'title', 117964734464786432, 'a0a0a0a0a0a0a0a1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000003', 'description', 117964734464851970,
                'a0a0a0a0a0a0a0a1', None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000003', 'status', 117964734464851969, 'a0a0a0a0a0a0a0a1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000003', 'title', 117964734464851968, 'a0a0a0a0a0a0a0a1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000004', 'description', 117964734464917506,
                'a0a0a0a0a0a0a0a1', None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000004', 'owner_party', 117964734471012352,
                'b0b0b0b0b0b0b0b1', None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000004', 'status', 117964734464917505, 'a0a0a0a0a0a0a0a1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000004', 'title', 117964734464917504, 'a0a0a0a0a0a0a0a1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000007', 'status', 117964734471077889, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000007', 'title', 117964734471208960, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000008', 'description', 117964800000000005, 'HERE',
                117964734471143425, 'b0b0b0b0b0b0b0b1'),
               ('agreement', '0190aaaa-0000-7000-8000-000000000008', 'title', 117964734471143424, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000009', 'status', 117964734471274497, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190aaaa-0000-7000-8000-000000000009', 'title', 117964734471274496, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('neighbourhood', '0190cccc-0000-7000-8000-000000000001', 'name', 117964734464065536,
                'a0a0a0a0a0a0a0a1', None, None),
               ('person', '0190bbbb-0000-7000-8000-000000000000', 'consent_share', 117964734465966081,
                'a0a0a0a0a0a0a0a1', None, None),
               ('person', '0190bbbb-0000-7000-8000-000000000000', 'name', 117964734471405568, 'b0b0b0b0b0b0b0b1',
                117964734465966080, 'a0a0a0a0a0a0a0a1'),
               ('person', '0190bbbb-0000-7000-8000-000000000002', 'consent_share', 117964734471471105,
                'b0b0b0b0b0b0b0b1', None, None),
               ('person', '0190bbbb-0000-7000-8000-000000000002', 'name', 117964734471471104, 'b0b0b0b0b0b0b0b1',
                None, None)]})  # fmt: skip
EXPECTED_NEW: tuple = ([(27, 0, 0, 0, False), (0, 0, 0, 0, True)],
 {'agreement': [(1, '0190dddd-0000-7000-8000-000000000000', 'Afspraak 0', 'open', '', '', '', 0, None),
                (2, '0190dddd-0000-7000-8000-000000000002', 'Afspraak 2', 'open', '', '', '', 2, None),
                (3, '0190dddd-0000-7000-8000-000000000004', 'Afspraak 4', 'open', '', '', '', 4, None),
                (4, '0190dddd-0000-7000-8000-000000000001', 'Afspraak 1', 'open', '', 'Welzijn', '', 1, None),
                (5, '0190dddd-0000-7000-8000-000000000003', 'Afspraak 3', 'open', '', 'Welzijn', '', 3, None),
                (6, '0190dddd-0000-7000-8000-000000000005', 'Afspraak 5', 'open', '', 'Welzijn', '', 5, None)],
  'conflicts': [],
  'neighbourhood': [],
  'person': [],
  'seen': [('b0b0b0b0b0b0b0b1', 117964734477434884)],
  'tombstones': [],
  'versions': [('agreement', '0190dddd-0000-7000-8000-000000000000', 'due_on', 117964734477107203, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000000', 'status', 117964734477107201, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000000', 'table_no', 117964734477107202,
                'b0b0b0b0b0b0b0b1', None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000000', 'title', 117964734477107200, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000001', 'due_on', 117964734477172739, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000001', 'partners', 117964734477172740,
                'b0b0b0b0b0b0b0b1', None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000001', 'status', 117964734477172737, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000001', 'table_no', 117964734477172738,
                'b0b0b0b0b0b0b0b1', None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000001', 'title', 117964734477172736, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000002', 'due_on', 117964734477238275, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000002', 'status', 117964734477238273, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000002', 'table_no', 117964734477238274,
                'b0b0b0b0b0b0b0b1', None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000002', 'title', 117964734477238272, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000003', 'due_on', 117964734477303811, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000003', 'partners', 117964734477303812,
                'b0b0b0b0b0b0b0b1', None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000003', 'status', 117964734477303809, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000003', 'table_no', 117964734477303810,
                'b0b0b0b0b0b0b0b1', None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000003', 'title', 117964734477303808, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000004', 'due_on', 117964734477369347, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000004', 'status', 117964734477369345, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000004', 'table_no', 117964734477369346,
                'b0b0b0b0b0b0b0b1', None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000004', 'title', 117964734477369344, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000005', 'due_on', 117964734477434883, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000005', 'partners', 117964734477434884,
                'b0b0b0b0b0b0b0b1', None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000005', 'status', 117964734477434881, 'b0b0b0b0b0b0b0b1',
                None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000005', 'table_no', 117964734477434882,
                'b0b0b0b0b0b0b0b1', None, None),
               ('agreement', '0190dddd-0000-7000-8000-000000000005', 'title', 117964734477434880, 'b0b0b0b0b0b0b0b1',
                None, None)]})  # fmt: skip
