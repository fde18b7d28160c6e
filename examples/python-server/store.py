"""SQLite storage for the example SCIM service.

Each resource type has one table in scimkit's *document* layout: the resource as JSON plus a
search column that ``scimkit.Mapping.to_record`` derives (names in schema spelling, strings
folded by scimkit's case rule, dateTimes and numbers in sortable text). ``Mapping.to_sql``
turns any SCIM filter into a parameterized ``WHERE`` clause over that column, so no filter
semantics live here. This module only runs SQL; every SCIM decision is scimkit's.

Two things are the service's own, not SCIM rules:

- Passwords are never stored as sent: a ``password`` value is moved out of the document and
  kept as a salted scrypt hash in its own table (``clear_password`` deletes it).
- A User's read-only ``groups`` is derived from Group membership. It is written into the
  stored User whenever a Group changes (or the User is saved), so a filter such as
  ``groups.value eq "…"`` runs in SQL like any other.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import scimkit


def _literal(value: str) -> str:
    """A SCIM filter string literal (RFC 7644 §3.4.2.2 literals are JSON)."""
    return json.dumps(value)


class Store:
    """Resources of every type in ``registry``, one SQLite table per type."""

    def __init__(self, path: str, registry: scimkit.Registry) -> None:
        self.registry = registry
        # One connection shared by the server's threads, used under `lock`.
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.lock = threading.RLock()
        self.tables: dict[str, str] = {}
        self.mappings: dict[str, scimkit.Mapping] = {}
        for rt in registry.resource_types()["Resources"]:
            name, table = rt["name"], rt["endpoint"].strip("/").lower()
            self.tables[name] = table
            self.mappings[name] = scimkit.Mapping(
                registry,
                name,
                {"layout": "document", "resourceType": name, "table": table, "key": "id", "column": "data"},
            )
            for statement in self.mappings[name].create_tables("sqlite"):
                self.db.execute(statement)
        self.db.execute("CREATE TABLE IF NOT EXISTS passwords (id TEXT PRIMARY KEY, hash TEXT NOT NULL)")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work (a whole request), serialized with every other."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    # -- reading -----------------------------------------------------------------------------

    def where(self, rtype: str, filter_text: str | None) -> tuple[str, list[Any]]:
        """The WHERE clause for a SCIM filter (raises scimkit.ScimError invalidFilter)."""
        if filter_text is None:
            return "1 = 1", []
        sql = self.mappings[rtype].to_sql(filter_text, "sqlite")
        return sql["sql"], sql["params"]

    def select(
        self, rtype: str, where: tuple[str, list[Any]], limit: int = -1, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Matching resources in insertion order (a stable order for paging)."""
        table = self.tables[rtype]
        sql = f'SELECT "id", "data" FROM "{table}" WHERE {where[0]} ORDER BY rowid LIMIT ? OFFSET ?'
        with self.lock:
            rows = self.db.execute(sql, [*where[1], limit, offset]).fetchall()
        mapping = self.mappings[rtype]
        return [mapping.from_record({"row": {"id": key, "data": data}}) for key, data in rows]

    def count(self, rtype: str, where: tuple[str, list[Any]], excluding: str | None = None) -> int:
        sql = f'SELECT COUNT(*) FROM "{self.tables[rtype]}" WHERE ({where[0]}) AND "id" IS NOT ?'
        with self.lock:
            return int(self.db.execute(sql, [*where[1], excluding]).fetchone()[0])

    def taken(self, rtype: str, resource: dict[str, Any], names: list[str]) -> str | None:
        """The first of the unique attributes `names` whose value in `resource` another resource
        of its type holds (or None). Values compare as the search column holds them
        (`Mapping.to_record`: userName folded, others as the schema says) and are bound as they
        are: a value of any length is compared, never turned into a filter. `""` is no value to
        take: any number of resources may have it. Only the unique values go through
        `to_record`, never the rest of the resource: not a `password` (only ever hashed, so it
        may hold what the search column cannot, such as U+0000), not a Group's `members`."""
        probe = {n: resource[n] for n in names if isinstance(resource.get(n), str) and resource[n] != ""}
        if not probe:
            return None
        table = self.tables[rtype]
        search = self.mappings[rtype].to_record(probe)["row"]["data_search"]
        for name in probe:
            value = search.get(name)
            if not isinstance(value, str) or value == "":
                continue
            sql = (
                f'SELECT 1 FROM "{table}" WHERE json_extract("{table}"."data_search", ?) = ? AND "id" IS NOT ? LIMIT 1'
            )
            with self.lock:
                if self.db.execute(sql, [f'$."{name}"', value, resource["id"]]).fetchone() is not None:
                    return name
        return None

    def has_password(self, key: str) -> bool:
        """Whether the User has a password (its hash is never read)."""
        with self.lock:
            return self.db.execute("SELECT 1 FROM passwords WHERE id = ?", [key]).fetchone() is not None

    def get(self, rtype: str, key: str) -> dict[str, Any] | None:
        with self.lock:
            row = self.db.execute(f'SELECT "data" FROM "{self.tables[rtype]}" WHERE "id" = ?', [key]).fetchone()
        return None if row is None else self.mappings[rtype].from_record({"row": {"id": key, "data": row[0]}})

    def find(self, rtype: str, filter_text: str) -> list[dict[str, Any]]:
        return self.select(rtype, self.where(rtype, filter_text))

    # -- writing (call inside `transaction()`) -------------------------------------------------

    def save(self, rtype: str, resource: dict[str, Any], previous: dict[str, Any] | None = None) -> dict[str, Any]:
        """Inserts or replaces a resource; returns it as stored (no password, groups derived)."""
        if rtype == "User":
            password = resource.pop("password", None)
            if isinstance(password, str):
                self._set_password(resource["id"], password)
            self._set_groups(resource)
        resource = self.registry.fill_meta(rtype, resource)  # meta.version of what is stored
        self._write(rtype, resource)
        if rtype == "Group":
            self._refresh_members(previous, resource)
        return resource

    def clear_password(self, key: str) -> None:
        self.db.execute("DELETE FROM passwords WHERE id = ?", [key])

    def delete(self, rtype: str, key: str, previous: dict[str, Any]) -> None:
        self.db.execute(f'DELETE FROM "{self.tables[rtype]}" WHERE "id" = ?', [key])
        if rtype == "User":
            self.db.execute("DELETE FROM passwords WHERE id = ?", [key])
        if rtype == "Group":
            self._refresh_members(previous, None)

    def groups_with_member(self, key: str) -> list[dict[str, Any]]:
        """The Groups that have the resource `key` as a direct member: a member naming this very
        id (`members.value` holds an id, case exact: RFC 7643 §3.1), as `_refresh_members` finds
        Users by it. The comparison below checks again, whatever the store's filter did."""
        found = self.find("Group", f"members.value eq {_literal(key)}")
        return [g for g in found if any(m.get("value") == key for m in g.get("members", []))]

    def _write(self, rtype: str, resource: dict[str, Any]) -> None:
        row = self.mappings[rtype].to_record(resource)["row"]
        columns = ", ".join(f'"{c}"' for c in row)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in row if c != "id")
        values = [json.dumps(v) if isinstance(v, (dict, list)) else v for v in row.values()]
        # An upsert keeps the rowid, so a resource keeps its place in paged lists.
        self.db.execute(
            f'INSERT INTO "{self.tables[rtype]}" ({columns}) VALUES ({", ".join("?" * len(row))}) '
            f'ON CONFLICT ("id") DO UPDATE SET {updates}',
            values,
        )

    def _set_password(self, key: str, password: str) -> None:
        salt = os.urandom(16)
        digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
        self.db.execute("INSERT OR REPLACE INTO passwords VALUES (?, ?)", [key, f"{salt.hex()}:{digest.hex()}"])

    def _set_groups(self, user: dict[str, Any]) -> None:
        groups = [
            {"value": g["id"], "display": g["displayName"], "type": "direct"}
            for g in self.groups_with_member(user["id"])
        ]
        if groups:
            user["groups"] = groups
        else:
            user.pop("groups", None)

    def _refresh_members(self, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
        """Re-derives `groups` of the Users whose membership (or group name) changed."""

        def members(group: dict[str, Any] | None) -> set[str]:
            return {m["value"] for m in (group or {}).get("members", []) if "value" in m}

        before, after = members(old), members(new)
        renamed = (old or {}).get("displayName") != (new or {}).get("displayName")
        for key in (before | after) if renamed else (before ^ after):
            user = self.get("User", key)
            if user is not None:
                self._set_groups(user)
                # `groups` is part of the User: its change is a modification (RFC 7643 §3.1).
                self._write("User", self.registry.fill_meta("User", user, last_modified=_now()))


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
