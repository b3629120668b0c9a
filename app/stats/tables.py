"""The dashboard's tables, built once from the statistics and shown, exported, charted alike."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.intake.industries import industry_label
from app.intake.rules import STAGE_LABELS
from app.stats.figures import (
    Period,
    Series,
    ZoneLabel,
    consultations_over_time,
    series_buckets,
    tally,
)
from app.stats.flow import IMPORTED_GROUP, LeadTime, funnel, lead_time, splits
from app.stats.utilisation import utilisation, utilisation_window

EOK = Decimal(100_000_000)  # 1억원 = 100,000,000 KRW
# The figure each zone's column shows beside its consultations in the published table.
PUBLISHED_FIGURES = {"finance": ("finance_amount_krw", "집행액(억원)", "executed (100M KRW)"),
                     "patent": ("patent_transfers", "특허 이전", "patent transfers")}
LEVELS = {"zone": ("상담존", "Zone"), "institution": ("기관", "Institution"),
          "adviser": ("상담위원", "Adviser")}


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
    """A named table: title and column heads in Korean and English, rows of raw values."""

    name: str
    title: str
    title_en: str
    heads: list[tuple[str, str]]
    rows: list[list] = field(default_factory=list)
    note: str = ""

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
    published_heads: list[tuple[str, str]]
    tables: list[Table]
    series: Series
    funnel: dict[str, int]
    no_show_rate: Percent
    lead: LeadTime
    totals: dict[str, int]
    zones: list[ZoneLabel]

    def chart_data(self) -> dict:
        """What static/js/dashboard.js draws: consultations over time by zone, and the funnel."""
        return {
            "series": {"labels": [day.isoformat() for day in self.series.starts],
                       "weekly": self.series.weekly,
                       "datasets": [{"code": z.code, "label": f"{z.name} {z.name_en}",
                                     "data": self.series.counts[z.code]} for z in self.zones]},
            "funnel": {"labels": [f"{ko} {en}" for ko, en in FUNNEL_LABELS],
                       "data": list(self.funnel.values())},
        }


def build_dashboard(period: Period, as_of: list[date]) -> Dashboard:
    """Run every statistic of the dashboard and lay it out as tables."""
    cumulative = [Period(None, day) for day in as_of]
    # One tally answers the published dates, the period and each week of the chart.
    found = tally([*cumulative, period, *series_buckets(period)[1]], pivot=period.first)
    zones = found.zones
    *published, current = [found.figures(p) for p in [*cumulative, period]]
    series = consultations_over_time(period, found=found)
    flow, lead = funnel(period), lead_time(period)
    published_heads, published_table, published_cells = _published(zones, as_of, published)
    tables = [
        published_table,
        _period_table(zones, current),
        _funnel_table(flow),
        _lead_table(lead),
        _utilisation_table(period),
        *[_split_table(name, rows, *SPLITS[name]) for name, rows in splits(period).items()],
        _series_table(zones, series),
    ]
    return Dashboard(period, as_of, published_cells, published_heads, tables, series,
                     flow.as_dict(), Percent(flow.no_show_rate), lead,
                     {k: sum(getattr(f, k) for f in current.values())
                      for k in ("consultations", "finance_amount_krw", "patent_transfers")},
                     zones)


FUNNEL_LABELS = [("사전문진", "Pre-screens"), ("예약", "Bookings"), ("상담 일정", "Appointments"),
                 ("상담 완료", "Completed"), ("노쇼", "No-shows"), ("취소", "Cancelled")]
SPLITS = {"stage": ("성장 단계별", "By growth stage"), "industry": ("업종별", "By industry"),
          "region": ("지역별", "By region")}


def _published(zones, as_of, figures):
    """The centre's published table: as shown (cells like '165 / 32.00') and as exported."""
    heads, cells_heads = [("기준일", "As of")], []
    for zone in zones:
        extra = PUBLISHED_FIGURES.get(zone.code)
        heads.append((f"{zone.name} 상담", f"{zone.name_en}: consultations"))
        if extra:
            heads.append((f"{zone.name} {extra[1]}", f"{zone.name_en}: {extra[2]}"))
        cells_heads.append((f"{zone.name}: 상담" + (f" / {extra[1]}" if extra else ""),
                            f"{zone.name_en}: consultations" + (f" / {extra[2]}" if extra else "")))
    rows, cells = [], []
    for day, by_zone in zip(as_of, figures, strict=True):
        row, shown = [day], []
        for zone in zones:
            found, extra = by_zone[zone.code], PUBLISHED_FIGURES.get(zone.code)
            row.append(found.consultations)
            if not extra:
                shown.append(display(found.consultations))
                continue
            value = getattr(found, extra[0])
            value = eok(value) if extra[0] == "finance_amount_krw" else value
            row.append(value)
            shown.append(f"{display(found.consultations)} / {display(value)}")
        rows.append(row)
        cells.append((day, shown))
    table = Table("published", "기준일 누적 실적", "Cumulative totals as of each date", heads, rows)
    return cells_heads, table, cells


def _funnel_table(flow) -> Table:
    rows = [[f"{ko} {en}", count, share(count, flow.intakes)]
            for (ko, en), count in zip(FUNNEL_LABELS, flow.as_dict().values(), strict=True)]
    rows.append(["노쇼율 No-show rate", None, Percent(flow.no_show_rate)])
    return Table("funnel", "예약 흐름", "Funnel",
                 [("단계", "Step"), ("건수", "Count"),
                  ("사전문진 대비 · 비율", "Of pre-screens · rate")], rows,
                 "노쇼율 = 노쇼 ÷ (완료 + 노쇼) "
                 "/ No-show rate = no-shows ÷ (completed + no-shows)")


def _lead_table(lead: LeadTime) -> Table:
    rows = [[f"{ko} {en}", count, share(count, lead.count)] for ko, en, count in lead.buckets]
    rows.append(["평균(일) Mean (days)", lead.mean_days, None])
    return Table("lead_time", "예약부터 방문까지 걸린 기간", "Lead time from booking to visit",
                 [("기간", "Lead time"), ("상담 건수", "Appointments"), ("비율", "Share")], rows,
                 "취소되지 않은 상담 기준 / appointments not cancelled")


def _period_table(zones, current) -> Table:
    rows = [[f"{z.name} {z.name_en}", current[z.code].consultations,
             current[z.code].finance_amount_krw, eok(current[z.code].finance_amount_krw),
             current[z.code].patent_transfers, current[z.code].ip_applications] for z in zones]
    if rows:
        rows.append(["합계 Total", *[sum(row[i] for row in rows) for i in range(1, 6)]])
    return Table("zones", "기간 실적 (상담존별)", "Period totals by zone",
                 [("상담존", "Zone"), ("상담 건수", "Consultations"),
                  ("금융 집행액(원)", "Finance executed (KRW)"),
                  ("금융 집행액(억원)", "Finance executed (100M KRW)"),
                  ("특허 이전", "Patent transfers"), ("IP 출원 지원", "IP applications")], rows)


def _utilisation_table(period: Period) -> Table:
    window = utilisation_window(period)
    rows = [[f"{LEVELS[r.level][0]} {LEVELS[r.level][1]}", r.zone,
             r.name if r.name == r.name_en else f"{r.name} {r.name_en}", r.booked, r.offered,
             Percent(r.rate)] for r in utilisation(period)]
    return Table("utilisation", "상담 슬롯 가동률", "Slot utilisation",
                 [("구분", "Level"), ("상담존", "Zone"), ("이름", "Name"), ("예약", "Booked"),
                  ("제공", "Offered"), ("가동률", "Utilisation")], rows,
                 f"{window.first.isoformat()} ~ {window.last.isoformat()}: "
                 "예약 ÷ (남은 빈 슬롯 + 예약) / booked ÷ (slots left free + booked)")


def _split_label(dimension: str, value: str | None) -> str:
    if value == IMPORTED_GROUP:
        return "과거 기록(구분 없음) Imported (no profile)"
    if value is None:
        return "미입력 Not given"
    if dimension == "stage" and value in STAGE_LABELS:
        return " ".join(STAGE_LABELS[value])
    if dimension == "industry":
        return industry_label(value)
    return value


def _split_table(dimension: str, found: list, title: str, title_en: str) -> Table:
    rows = [[_split_label(dimension, r.value), r.intakes, r.consultations] for r in found]
    return Table(dimension, title, title_en,
                 [("구분", "Group"), ("사전문진", "Pre-screens"), ("상담 완료", "Consultations")],
                 rows)


def _series_table(zones, series: Series) -> Table:
    rows = [[start, *[series.counts[z.code][i] for z in zones],
             sum(series.counts[z.code][i] for z in zones)]
            for i, start in enumerate(series.starts)]
    unit = ("주 시작일", "Week of") if series.weekly else ("월", "Month")
    return Table("weekly", "상담존별 상담 추이", "Consultations over time by zone",
                 [unit, *[(z.name, z.name_en) for z in zones], ("합계", "Total")], rows)
