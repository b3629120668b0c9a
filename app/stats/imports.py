"""Importing the consultations recorded before Onestop from a CSV file: all or nothing.

The file is UTF-8 (with or without BOM), its header names the columns of HEADER (in any
order) and may add `centre` (a centre's code per row). A row without it belongs to the
importer's centre (the default centre from the command line); a centre's admin may name
only their own centre (another: OtherCentre, 403, and nothing is imported); the national
office has no centre and names one on every row. An unknown code is UnknownCentre (404).
A file with any bad row imports nothing and every bad row and column is named. A file is
recognised by the SHA-256 of its text (BOM and line endings aside): importing it again
changes nothing. Rows that fell to the importer's centre make the file mean something else
at another centre, so there the importer's centre is part of what is recognised (the
default centre's files keep their plain fingerprint). Two equal rows inside one file are
two consultations. Every message is in the reader's language (the page's, or the API
call's Accept-Language; Korean in the command line).
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from app.auth.audit import record_change
from app.auth.models import User
from app.centres.errors import UnknownCentre
from app.centres.models import Centre
from app.centres.scope import OtherCentre
from app.centres.services import default_centre_id
from app.errors import DomainError
from app.extensions import db
from app.inputs import MAX_AMOUNT_KRW, MAX_DATE, MIN_DATE, normalise_text
from app.intake.rules import business_number_digits
from app.stats.models import ImportBatch, ImportedConsultation
from app.stats.rollup import note_days
from app.zones.models import Zone

HEADER = ("date", "zone", "company_name", "business_number", "finance_amount_krw",
          "patent_transfers", "ip_applications", "summary")
CENTRE = "centre"  # the optional last column: the row's centre (a code)
# A request body (API or upload) may be this large; ~100 bytes a row makes 100,000 rows.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
LIMITS = {"finance_amount_krw": MAX_AMOUNT_KRW, "patent_transfers": 100_000,
          "ip_applications": 100_000}
MAX_TEXT = {"company_name": 200, "summary": 4000}
_DATE = re.compile(r"^([0-9]{4})\s*[-./]\s*([0-9]{1,2})\s*[-./]\s*([0-9]{1,2})\s*\.?$")


class ImportRejected(DomainError):
    """The file was not imported; `fields` names what is wrong ("file", "header", "row N.col")."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__(_("Nothing was imported."), fields)


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(row) for row in rows[:10])
    return shown + (", …" if len(rows) > 10 else "")


class RowOtherCentre(OtherCentre):
    """A centre's admin named another centre in some rows (403): nothing was imported."""

    def __init__(self, centre: str, rows: list[int]):
        super().__init__(centre)
        self.rows = rows
        self.message = _("Rows %(rows)s name the centre %(code)s: you may import only your "
                         "own centre's consultations. Nothing was imported.",
                         rows=_rows_text(rows), code=repr(centre))


class RowUnknownCentre(UnknownCentre):
    """Some rows name a centre that does not exist (404): nothing was imported."""

    def __init__(self, centre: str, rows: list[int]):
        super().__init__(centre)
        self.rows = rows
        self.message = _("Rows %(rows)s name an unknown centre, %(code)s. Nothing was "
                         "imported.", rows=_rows_text(rows), code=repr(centre))


@dataclass(frozen=True)
class ImportResult:
    """How many consultations a file added (0 when it had been imported before)."""

    imported: int
    duplicate: bool
    batch_id: int | None


def import_limit() -> int:
    """The largest file the API and the upload page accept (IMPORT_MAX_BYTES, 10 MB)."""
    return int(current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def too_large(limit: int) -> str:
    """What an upload or an API body beyond the import's size limit is told."""
    return _("The file is too large (%(megabytes)s MB at most); split it.",
             megabytes=limit // (1024 * 1024))


def _file_error(message: str) -> ImportRejected:
    return ImportRejected({"file": [message]})


def decode(raw: bytes) -> str:
    """The file's text without BOM and with \\n line ends, or ImportRejected."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _file_error(_("The file is not UTF-8 (byte %(byte)s); in Excel, save it as "
                            "‘CSV UTF-8’.", byte=error.start + 1)) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _file_error(_("The file is empty."))
    if "\x00" in text:
        raise _file_error(_("This is not a CSV file (NUL)."))
    return text


def fingerprint(text: str) -> str:
    """SHA-256 of the decoded text, trailing blank lines aside."""
    return hashlib.sha256(text.rstrip("\n").encode("utf-8")).hexdigest()


def _zones() -> dict[int, dict[str, int]]:
    """Per centre id: zone id by lower-case code, Korean name and English name."""
    found: dict[int, dict[str, int]] = {}
    for zone in db.session.scalars(select(Zone).order_by(Zone.sort_order, Zone.id)):
        for key in (zone.code, zone.name, zone.name_en):
            found.setdefault(zone.centre_id, {}).setdefault(key.strip().lower(), zone.id)
    return found


def _date(value: str) -> date:
    match = _DATE.match(value)
    if match is None:
        raise ValueError(_("write dates as YYYY-MM-DD"))
    try:
        day = date(*(int(part) for part in match.groups()))
    except ValueError as error:
        raise ValueError(_("no such date")) from error
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(_("must be in the years %(first)s to %(last)s", first=MIN_DATE.year,
                           last=MAX_DATE.year))
    return day


def _amount(value: str, column: str) -> int:
    cleaned = value.replace(",", "").replace(" ", "")
    if cleaned == "":
        return 0
    if not re.fullmatch(r"[+-]?[0-9]+", cleaned):
        raise ValueError(_("must be a whole number of 0 or more"))
    number = int(cleaned)
    if number < 0:
        raise ValueError(_("must not be negative"))
    if number > LIMITS[column]:
        raise ValueError(_("must be at most %(limit)s", limit=format(LIMITS[column], ",")))
    return number


def _row(record: dict[str, str], zones: dict[str, int],
         codes: str) -> tuple[dict, dict[str, str]]:
    """A row's values, and the message of each bad column."""
    values: dict = {}
    errors: dict[str, str] = {}
    raw = {name: (record.get(name) or "").strip() for name in HEADER}
    for column in ("date", "zone"):
        if not raw[column]:
            errors[column] = _("required")
    if raw["date"]:
        try:
            values["day"] = _date(raw["date"])
        except ValueError as error:
            errors["date"] = str(error)
    if raw["zone"]:
        values["zone_id"] = zones.get(raw["zone"].lower())
        if values["zone_id"] is None:
            errors["zone"] = _("unknown zone, not one of %(codes)s", codes=codes)
    if raw["business_number"]:
        values["business_number"] = business_number_digits(raw["business_number"])
        if values["business_number"] is None:
            errors["business_number"] = _("must be 10 digits")
    else:
        values["business_number"] = None
    for column in LIMITS:
        try:
            values[column] = _amount(raw[column], column)
        except ValueError as error:
            errors[column] = str(error)
    for column, limit in MAX_TEXT.items():
        try:
            values[column] = normalise_text(raw[column])
        except ValueError as error:
            errors[column] = str(error)
            continue
        if len(values[column]) > limit:
            errors[column] = _("at most %(count)s characters", count=format(limit, ","))
    return values, errors


def zone_codes(centre_id: int | None = None) -> list[str]:
    """The codes a file may name in its zone column (for a row of that centre)."""
    query = select(Zone.code).order_by(Zone.sort_order, Zone.id)
    if centre_id is not None:
        query = query.where(Zone.centre_id == centre_id)
    return list(dict.fromkeys(db.session.scalars(query)))


@dataclass(frozen=True)
class Importer:
    """Whose file it is: the centre its rows without a `centre` belong to (None: the
    national office, which names one on every row) and whether it may name others."""

    centre_id: int | None
    any_centre: bool


def importer_of(actor: User | None, centre_id: int | None = None) -> Importer:
    """A centre's admin: their centre only; national: any, named; the CLI: any, and for
    rows that name none the centre it was given (`--centre`), else the default centre."""
    if actor is None:
        return Importer(centre_id or default_centre_id(), True)
    if actor.centre_id is None:
        return Importer(None, True)
    return Importer(actor.centre_id, False)


def _centres_of_rows(header: list[str], records: list[tuple[int, list[str]]],
                     importer: Importer) -> tuple[dict[int, int | None], bool]:
    """Each row's centre id (None: the row misses the centre a national file must give),
    and whether any row fell to the importer's centre. Unknown codes are RowUnknownCentre
    (404) and another centre named by a centre's admin RowOtherCentre (403)."""
    index = header.index(CENTRE) if CENTRE in header else None
    ids = dict(db.session.execute(select(Centre.code, Centre.id)).all())
    found: dict[int, int | None] = {}
    unknown: dict[str, list[int]] = {}
    other: dict[str, list[int]] = {}
    fell = False
    for number, record in records:
        code = record[index].strip() if index is not None else ""
        if not code:
            found[number], fell = importer.centre_id, True
        elif code not in ids:
            unknown.setdefault(code, []).append(number)
        elif not importer.any_centre and ids[code] != importer.centre_id:
            other.setdefault(code, []).append(number)
        else:
            found[number] = ids[code]
    if unknown:
        code, rows = next(iter(unknown.items()))
        raise RowUnknownCentre(code, rows)
    if other:
        code, rows = next(iter(other.items()))
        raise RowOtherCentre(code, rows)
    return found, fell


def _clip(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def parse(text: str, importer: Importer | None = None) -> list[dict]:
    """The rows of a decoded file, ready to insert, or ImportRejected naming every problem
    (RowUnknownCentre or RowOtherCentre first, when a row names a centre it may not)."""
    return _parse(text, importer or importer_of(None))[0]


def _parse(text: str, importer: Importer) -> tuple[list[dict], bool]:
    """The rows, and whether any fell to the importer's centre (see parse)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
        missing = [name for name in HEADER if name not in header]
        unknown = [name for name in header if name not in (*HEADER, CENTRE)]
        doubled = sorted({name for name in header if header.count(name) > 1})
        problems = ([_("Missing columns: %(columns)s", columns=", ".join(missing))]
                    if missing else []) + (
            [_("Unknown columns: %(columns)s", columns=", ".join(map(_clip, unknown)))]
            if unknown else []) + ([_("Repeated columns: %(columns)s",
                                      columns=", ".join(doubled))] if doubled else [])
        if problems:
            problems.append(_("The header must be %(header)s", header=",".join(HEADER)))
            raise ImportRejected({"header": problems})
        fields: dict[str, list[str]] = {}
        records: list[tuple[int, list[str]]] = []
        for record in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            if len(record) != len(header):
                fields[f"row {number}"] = [_(
                    "Row %(row)s has %(count)s columns, the header %(header)s.", row=number,
                    count=len(record), header=len(header))]
                continue
            records.append((number, record))
    except csv.Error as error:
        raise _file_error(_("Not valid CSV (line %(line)s): %(error)s", line=reader.line_num,
                            error=error)) from error
    centres, fell = _centres_of_rows(header, records, importer)
    zones, codes, rows = _zones(), {}, []
    for number, record in records:
        cells = dict(zip(header, record, strict=True))
        centre_id = centres[number]
        if centre_id is None:
            fields[f"row {number}.{CENTRE}"] = [_(
                "Row %(row)s, %(column)s: required in a national import (the code of the "
                "row's centre)", row=number, column=CENTRE)]
            continue
        if centre_id not in codes:
            codes[centre_id] = ", ".join(zone_codes(centre_id))
        values, errors = _row(cells, zones.get(centre_id, {}), codes[centre_id])
        for column, message in errors.items():
            fields[f"row {number}.{column}"] = [_(
                "Row %(row)s, %(column)s: %(problem)s (‘%(value)s’)", row=number,
                column=column, problem=message, value=_clip(cells[column].strip()))]
        rows.append({**values, "centre_id": centre_id})
    if fields:
        raise ImportRejected(fields)
    if not rows:
        raise _file_error(_("There are no rows after the header."))
    return rows, fell


def import_consultations(raw: bytes, filename: str = "", actor: User | None = None,
                         centre_id: int | None = None) -> ImportResult:
    """Import a CSV file of past consultations (all or nothing; a repeated file changes
    nothing). `centre_id` is the command line's centre for rows that name none."""
    text = decode(raw)
    importer = importer_of(actor, centre_id)
    plain = fingerprint(text)
    home = importer.centre_id in (None, default_centre_id())
    known = db.session.scalar(select(ImportBatch.id).where(ImportBatch.content_sha256 == plain))
    if known is not None and home:  # what a one-centre deployment always did
        return ImportResult(0, True, known)
    rows, fell = _parse(text, importer)
    digest = plain if home or not fell else _at_centre(plain, importer.centre_id)
    known = known if digest == plain else db.session.scalar(
        select(ImportBatch.id).where(ImportBatch.content_sha256 == digest))
    if known is not None:
        return ImportResult(0, True, known)
    batch = ImportBatch(content_sha256=digest, filename=filename[:255], rows=len(rows),
                        imported_by_id=actor.id if actor else None)
    db.session.add(batch)
    try:
        db.session.flush()
        db.session.execute(insert(ImportedConsultation),
                           [{**row, "batch_id": batch.id} for row in rows])
        note_days(row["day"] for row in rows)  # the statistics' rollup, at the commit
        record_change(actor, "import_consultations", "import_batch", batch.id,
                      after={"filename": batch.filename, "rows": len(rows), "sha256": digest})
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same file, imported at this very moment by someone else
        known = db.session.scalar(
            select(ImportBatch.id).where(ImportBatch.content_sha256 == digest))
        if known is None:
            raise
        return ImportResult(0, True, known)
    return ImportResult(len(rows), False, batch.id)


def _at_centre(plain: str, centre_id: int) -> str:
    """The fingerprint of a file whose rows (some of them) fell to this centre."""
    return hashlib.sha256(f"{plain}:centre:{centre_id}".encode()).hexdigest()


def recent_batches(limit: int = 20, centre_id: int | None = None) -> list[ImportBatch]:
    """The files imported last, newest first: every one, or those with rows of a centre."""
    query = select(ImportBatch)
    if centre_id is not None:
        query = query.where(ImportBatch.id.in_(
            select(ImportedConsultation.batch_id).where(
                ImportedConsultation.centre_id == centre_id)))
    return list(db.session.scalars(
        query.order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc()).limit(limit)))


@click.command("import-consultations")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--centre", "centre_code",
              help="The centre of the rows without a `centre` column value "
                   "(default: DEFAULT_CENTRE).")
@with_appcontext
def import_consultations_command(file: Path, centre_code: str | None) -> None:
    """Import past consultations from a CSV file, as POST /api/v1/import/consultations does."""
    centre_id = None
    if centre_code is not None:
        centre_id = db.session.scalar(select(Centre.id).where(Centre.code == centre_code))
        if centre_id is None:
            raise click.ClickException(_("Unknown centre: %(centre)s", centre=centre_code))
    try:
        result = import_consultations(file.read_bytes(), filename=file.name,
                                      centre_id=centre_id)
    except ImportRejected as error:
        for messages in error.fields.values():
            for message in messages:
                click.echo(message, err=True)
        raise click.ClickException(_("Nothing was imported.")) from error
    if result.duplicate:
        click.echo(_("This file was imported before; nothing changed."))
    else:
        click.echo(ngettext("Imported %(count)s consultation.", "Imported %(count)s consultations.",
                            result.imported, count=result.imported))
