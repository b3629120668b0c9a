"""The admin blueprint; its views live in views_*.py modules of this package."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

# (endpoint, Korean, English) of the admin sections, in menu order; the menu shows the ones
# whose view exists.
SECTIONS = [
    ("stats.dashboard", "통계", "Statistics"),
    ("admin.zones", "상담존", "Zones"),
    ("admin.institutions", "기관", "Institutions"),
    ("admin.advisers", "상담위원", "Advisers"),
    ("admin.closures", "휴무일", "Closures"),
    ("admin.needs", "필요 항목", "Needs"),
    ("admin.routing", "분류 규칙", "Routing rules"),
    ("stats.imports", "과거 실적", "Import"),
    ("admin.outbox", "발송함", "Outbox"),
    ("admin.audit", "감사 기록", "Audit log"),
]
