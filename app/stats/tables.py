"""The dashboard's tables, built once from the statistics and shown, exported, charted alike."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, pgettext

from app.centres.scope import StatsScope
from app.centres.services import CentreFacts
from app.intake.forms import REGION_NAMES
from app.intake.industries import BY_CODE as INDUSTRIES
from app.intake.rules import stage_label
from app.main.i18n import localized
from app.stats.figures import (
    NETWORK,
    Figures,
    Period,
    Series,
    Tally,
    ZoneLabel,
    consultations_over_time,
    imported_count,
    series_buckets,
    tally,
)
from app.stats.flow import (
    IMPORTED_GROUP,
    Funnel,
    LeadTime,
    funnels,
    lead_time,
    lead_times,
    splits,
)
from app.stats.utilisation import utilisation, utilisation_window

EOK = Decimal(100_000_000)  # 1억원 = 100,000,000 KRW
# The figure each zone's column shows beside its consultations in the published table.
PUBLISHED_FIGURES = {"finance": "finance_amount_krw", "patent": "patent_transfers"}
LEVELS = {"zone": _l("Zone"), "institution": _l("Institution"), "adviser": _l("Adviser")}


class Percent(float):
    """A share between 0 and 1, shown as a percentage."""


def eok(krw: int) -> Decimal:
    """KRW in 억원 with two decimals (half up)."""
    return (Decimal(krw) / EOK).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def share(part: int, whole: int) -> Percent:
    """part / whole as a Percent, 0 when the whole is 0."""
    return Percent(part / whole if whole else 0.0)


def display(value, grouped: bool = True) -> str:
    """A cell as text: 1,234 · 111.05 · 12.5% · 2026-05-31 (`grouped=False`: no commas)."""
    comma = "," if grouped else ""
    if value is None:
        return ""
    if isinstance(value, Percent):
        return f"{value * 100:.1f}%"
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, int):
        return f"{value:{comma}}"
    if isinstance(value, Decimal):
        return f"{value:{comma}.2f}"
    if isinstance(value, float):
        return f"{value:{comma}.1f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Table:
    """A named table: title and column heads in the reader's language, rows of raw values;
    `kinds` may name each row's kind (a CSS class on the page, nothing in the exports), and
    `data` the columns that hold names people typed (not translated)."""

    name: str
    title: str
    heads: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    kinds: list[str] = field(default_factory=list)
    data: tuple[int, ...] = ()

    def display_rows(self) -> list[list[str]]:
        """The rows as the page shows them."""
        return [[display(value) for value in row] for row in self.rows]

    def numeric(self, index: int) -> bool:
        """Whether a column holds numbers (right-aligned)."""
        return any(isinstance(row[index], int | float | Decimal) and not isinstance(
            row[index], bool) for row in self.rows)


@dataclass(frozen=True)
class Dashboard:
    """Everything /admin/ shows for a period and a set of "as of" dates."""

    period: Period
    as_of: list[date]
    published: list[tuple[date, list[str]]]  # as of, one "165 / 32.00" cell per zone
    published_heads: list[str]
    tables: list[Table]
    series: Series
    funnel: dict[str, int]
    no_show_rate: Percent
    lead: LeadTime
    totals: dict[str, int]
    zones: list[ZoneLabel]
    scope: StatsScope = NETWORK
    imported: int = 0  # of the period's consultations, those imported (no pre-screen)

    @property
    def by_centre(self) -> bool:
        """Whether the page shows each centre beside the total (more than one centre)."""
        return has_breakdown(self.scope)

    def chart_data(self) -> dict:
        """What static/js/dashboard.js draws: consultations over time by zone, and the funnel."""
        return {
            "series": {"labels": [day.isoformat() for day in self.series.starts],
                       "weekly": self.series.weekly,
                       "datasets": [{"code": z.code, "label": zone_name(z),
                                     "data": self.series.counts[z.code]} for z in self.zones]},
            "funnel": {"labels": [str(label) for label in FUNNEL_LABELS],
                       "data": list(self.funnel.values())},
        }


def zone_name(zone: ZoneLabel) -> str:
    """A zone's name in the reader's language."""
    return localized(zone.name, zone.name_en)


def has_breakdown(scope: StatsScope) -> bool:
    """Whether a scope's figures come with each centre's beside the total: the network, or a
    set of more than one centre."""
    return scope.network or len(scope.centres) > 1


def published_blocks(period: Period, scope: StatsScope = NETWORK
                     ) -> tuple[dict[str, Figures], dict[str, dict[str, Figures]]]:
    """The published table of a period over the scope (zone code -> figures, each zone type
    summed over the centres: the ministry's table for the network) and, with more than one
    centre, each centre's own beside it (centre code -> its zones); one pass over the rollup."""
    found = tally([period], scope=scope)
    centres = {centre.code: found.figures(period, centre.id)
               for centre in scope.centres} if has_breakdown(scope) else {}
    return found.figures(period), centres


def centre_name(centre: CentreFacts) -> str:
    """A centre's name in the reader's language."""
    return localized(centre.name, centre.name_en)


def build_dashboard(period: Period, as_of: list[date], scope: StatsScope = NETWORK,
                    personal: bool = True) -> Dashboard:
    """Run every statistic of the dashboard over the scope and lay it out as tables; with
    more than one centre, each centre's figures beside the total. `personal` False (the
    national office) leaves out whatever names a person (the advisers' utilisation rows)."""
    cumulative = [Period(None, day) for day in as_of]
    # One tally answers the published dates, the period and each week of the chart.
    found = tally([*cumulative, period, *series_buckets(period, scope=scope)[1]],
                  pivot=period.first, scope=scope)
    zones = found.zones
    *published, current = [found.figures(p) for p in [*cumulative, period]]
    series = consultations_over_time(period, found=found, scope=scope)
    cohorts = funnels(period, scope)
    flow, lead = sum(cohorts.values(), Funnel()), lead_time(period, scope)
    imported = imported_count(period, scope)
    published_heads, published_table, published_cells = _published(zones, as_of, published)
    tables = [
        published_table,
        *([_centres_table(zones, as_of, cumulative, found, scope)]
          if has_breakdown(scope) else []),
        _period_table(zones, current),
        _funnel_table(flow, imported),
        *([_funnel_centres_table(cohorts, scope)] if has_breakdown(scope) else []),
        _lead_table(lead),
        *([_lead_centres_table(lead_times(period, scope), scope)]
          if has_breakdown(scope) else []),
        _utilisation_table(zones, period, scope, personal),
        *[_split_table(name, rows, str(SPLITS[name]))
          for name, rows in splits(period, scope).items()],
        _series_table(zones, series),
    ]
    return Dashboard(period, as_of, published_cells, published_heads, tables, series,
                     flow.as_dict(), Percent(flow.no_show_rate), lead,
                     {k: sum(getattr(f, k) for f in current.values())
                      for k in ("consultations", "finance_amount_krw", "patent_transfers")},
                     zones, scope, imported)


FUNNEL_LABELS = [_l("Pre-screens"), _l("Bookings"), _l("Appointments"),
                 lazy_pgettext("the funnel's step", "Completed"), _l("No-shows"), _l("Cancelled")]
SPLITS = {"stage": _l("By growth stage"), "industry": _l("By industry"),
          "region": _l("By region")}


def _zone_heads(zone: ZoneLabel) -> tuple[list[str], str]:
    """A zone's columns of the published table as exported, and its one column as shown."""
    name = zone_name(zone)
    consultations = _("%(zone)s: consultations", zone=name)
    if zone.code == "finance":
        return ([consultations, _("%(zone)s: executed (100M KRW)", zone=name)],
                _("%(zone)s: consultations / executed (100M KRW)", zone=name))
    if zone.code == "patent":
        return ([consultations, _("%(zone)s: patent transfers", zone=name)],
                _("%(zone)s: consultations / patent transfers", zone=name))
    return [consultations], pgettext("one column of the published table", "%(zone)s: "
                                     "consultations", zone=name)


def _published_row(zones, by_zone) -> tuple[list, list[str]]:
    """One as-of date's cells of the published table: as exported, and as shown."""
    row, shown = [], []
    for zone in zones:
        if zone.code not in by_zone:  # a zone type this centre does not have
            row.extend([None] * (2 if PUBLISHED_FIGURES.get(zone.code) else 1))
            shown.append("")
            continue
        found, extra = by_zone[zone.code], PUBLISHED_FIGURES.get(zone.code)
        row.append(found.consultations)
        if not extra:
            shown.append(display(found.consultations))
            continue
        value = getattr(found, extra)
        value = eok(value) if extra == "finance_amount_krw" else value
        row.append(value)
        shown.append(f"{display(found.consultations)} / {display(value)}")
    return row, shown


def _published(zones, as_of, figures):
    """The published table (the scope's, summed per zone code): as shown (cells like
    '165 / 32.00') and as exported."""
    heads, cells_heads = [_("As of")], []
    for zone in zones:
        exported, shown = _zone_heads(zone)
        heads.extend(exported)
        cells_heads.append(shown)
    rows, cells = [], []
    for day, by_zone in zip(as_of, figures, strict=True):
        row, shown = _published_row(zones, by_zone)
        rows.append([day, *row])
        cells.append((day, shown))
    table = Table("published", _("Cumulative totals as of each date"), heads, rows)
    return cells_heads, table, cells


def _centres_table(zones, as_of, cumulative, found: Tally, scope: StatsScope) -> Table:
    """Each centre's own published table beside the total: a row per centre and as-of date
    (empty cells where a centre has no zone of that type)."""
    heads = [_("Centre"), _("As of")]
    for zone in zones:
        heads.extend(_zone_heads(zone)[0])
    rows, shown = [], []
    for centre in scope.centres:
        for day, period in zip(as_of, cumulative, strict=True):
            row, cells = _published_row(zones, found.figures(period, centre.id))
            rows.append([centre_name(centre), day, *row])
            shown.append(cells)
    return Table("centres", _("Cumulative totals by centre"), heads, rows,
                 _("The network's table above is the sum of these rows, zone type by zone "
                   "type."))


def _funnel_centres_table(cohorts: dict[int, Funnel], scope: StatsScope) -> Table:
    rows = []
    for centre in scope.centres:
        flow = cohorts.get(centre.id, Funnel())
        rows.append([centre_name(centre), *flow.as_dict().values(), Percent(flow.no_show_rate)])
    total = sum(cohorts.values(), Funnel())
    rows.append([_("Total"), *total.as_dict().values(), Percent(total.no_show_rate)])
    return Table("funnel_centres", _("Funnel by centre"),
                 [_("Centre"), *[str(label) for label in FUNNEL_LABELS], _("No-show rate")],
                 rows, _("Each centre's pre-screens of the period and what became of them"))


def _lead_centres_table(found: dict[int, tuple[int, float]], scope: StatsScope) -> Table:
    rows = [[centre_name(c), *found.get(c.id, (0, 0.0))] for c in scope.centres]
    count = sum(n for n, _mean in found.values())
    mean = sum(n * m for n, m in found.values()) / count if count else 0.0
    rows.append([_("Total"), count, round(mean, 1)])
    return Table("lead_time_centres", _("Lead time by centre"),
                 [_("Centre"), pgettext("kept appointments", "Appointments"),
                  _("Mean (days)")], rows, _("Appointments not cancelled"))


def _funnel_table(flow, imported: int = 0) -> Table:
    rows = [[str(label), count, share(count, flow.intakes)]
            for label, count in zip(FUNNEL_LABELS, flow.as_dict().values(), strict=True)]
    rows.append([_("No-show rate"), None, Percent(flow.no_show_rate)])
    rows.append([_("Imported consultations (not in the funnel)"), imported, None])
    return Table("funnel", _("Funnel"), [_("Step"), _("Count"), _("Of pre-screens · rate")],
                 rows, " ".join([_("The period's pre-screens and what became of them, whenever "
                                   "their visit falls."),
                                 _("No-show rate = no-shows ÷ (completed + no-shows)"),
                                 imported_note()]))


def imported_note() -> str:
    """Why the imported consultations are outside the funnel."""
    return _("Imported (historical) consultations count in the totals but not in the funnel: "
             "they have no pre-screen.")


def _lead_table(lead: LeadTime) -> Table:
    rows = [[str(label), count, share(count, lead.count)] for _limit, label, count in lead.buckets]
    rows.append([_("Mean (days)"), lead.mean_days, None])
    return Table("lead_time", _("Lead time from booking to visit"),
                 [_("Lead time"), pgettext("kept appointments", "Appointments"), _("Share")],
                 rows, _("Appointments not cancelled"))


def _period_table(zones, current) -> Table:
    rows = [[zone_name(z), current[z.code].consultations,
             current[z.code].finance_amount_krw, eok(current[z.code].finance_amount_krw),
             current[z.code].patent_transfers, current[z.code].ip_applications] for z in zones]
    if rows:
        rows.append([_("Total"), *[sum(row[i] for row in rows) for i in range(1, 6)]])
    return Table("zones", _("Period totals by zone"),
                 [_("Zone"), _("Consultations"), _("Finance executed (KRW)"),
                  _("Finance executed (100M KRW)"), _("Patent transfers"),
                  _("IP applications")], rows)


def _utilisation_table(zones, period: Period, scope: StatsScope = NETWORK,
                       personal: bool = True) -> Table:
    window = utilisation_window(period)
    found = utilisation(period, scope, advisers=personal)
    names = {z.code: zone_name(z) for z in zones}
    several = has_breakdown(scope)
    centres = {c.id: centre_name(c) for c in scope.centres}
    rows, kinds = [], []
    for r in found:
        row = [str(LEVELS[r.level]), names.get(r.zone, r.zone),
               _("No institution") if r.name is None else localized(r.name, r.name_en),
               r.booked, r.offered, Percent(r.rate)]
        rows.append([centres.get(r.centre_id, ""), *row] if several else row)
        kinds.append(r.level)
    heads = [_("Level"), _("Zone"), _("Name"), _("Booked"), _("Offered"), _("Utilisation")]
    if several:  # and the total of each zone type over the centres
        for zone in zones:
            booked = sum(r.booked for r in found if r.level == "zone" and r.zone == zone.code)
            offered = sum(r.offered for r in found if r.level == "zone" and r.zone == zone.code)
            rows.append([_("Total"), str(LEVELS["zone"]), zone_name(zone), zone_name(zone),
                         booked, offered, Percent(booked / offered if offered else 0.0)])
            kinds.append("total")
        heads = [_("Centre"), *heads]
    return Table("utilisation", _("Slot utilisation"), heads, rows,
                 _("%(first)s to %(last)s: booked ÷ (slots left free + booked)",
                   first=window.first.isoformat(), last=window.last.isoformat()),
                 kinds, data=(3,) if several else (2,))


def _split_label(dimension: str, value: str | None) -> str:
    if value == IMPORTED_GROUP:
        return _("Imported (no profile)")
    if value is None:
        return _("Not given")
    if dimension == "stage":
        return stage_label(value)
    if dimension == "industry" and value in INDUSTRIES:
        return localized(INDUSTRIES[value].label, INDUSTRIES[value].label_en)
    if dimension == "region" and value in REGION_NAMES:
        return str(REGION_NAMES[value])
    return value


def _split_table(dimension: str, found: list, title: str) -> Table:
    rows = [[_split_label(dimension, r.value), r.intakes, r.consultations] for r in found]
    return Table(dimension, title, [_("Group"), _("Pre-screens"),
                                    pgettext("completed ones", "Consultations")], rows)


def _series_table(zones, series: Series) -> Table:
    rows = [[start, *[series.counts[z.code][i] for z in zones],
             sum(series.counts[z.code][i] for z in zones)]
            for i, start in enumerate(series.starts)]
    unit = _("Week of") if series.weekly else _("Month")
    return Table("weekly", _("Consultations over time by zone"),
                 [unit, *[zone_name(z) for z in zones], _("Total")], rows)
