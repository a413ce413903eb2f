"""Default rubrics per round kind. The Measures leave the weights open (R33: they are data on
the round), so these are not policy numbers: each round copies its kind's rows when it is
created, and staff edit them until scoring opens.

All kinds follow R24's four dimensions (基本情况及运行, 创新成果, 人才培养, 经济和社会效益),
totalling 100 points with weight 1.
"""

from decimal import Decimal

from .round_models import RoundKind

R24_DIMENSIONS = [
    {
        "name_zh": "基本情况及运行",
        "name_en": "Basic situation and operation",
        "description": "场所、设备、经费、制度建设及日常运行情况（第五、六条）。",
        "max_points": Decimal("25"),
        "weight": Decimal("1"),
        "comment_required": False,
    },
    {
        "name_zh": "创新成果",
        "name_en": "Innovation results",
        "description": "创新项目、专利、成果转化及应用情况（第十四条）。",
        "max_points": Decimal("30"),
        "weight": Decimal("1"),
        "comment_required": True,
    },
    {
        "name_zh": "人才培养",
        "name_en": "Talent cultivation",
        "description": "名师带徒、技能培训、成员成长情况。",
        "max_points": Decimal("20"),
        "weight": Decimal("1"),
        "comment_required": False,
    },
    {
        "name_zh": "经济和社会效益",
        "name_en": "Economic and social benefits",
        "description": "降本增效、安全质量、社会影响等效益。",
        "max_points": Decimal("25"),
        "weight": Decimal("1"),
        "comment_required": False,
    },
]

DEFAULT_RUBRICS = dict.fromkeys(RoundKind.values, R24_DIMENSIONS)

#: Standard deviation of the experts' totals above which results flag disagreement.
DEFAULT_SPREAD_THRESHOLD = Decimal("10")
