"""Every number the Measures fix, in one place, each beside its article (R33: a revision of the
Measures must be a one-place change). Numbers the Measures leave open (rubric weights, bonus
values) are data on the review round; their defaults live here too, marked as defaults.

Nothing else in the project may repeat these literals.
"""

from decimal import Decimal

# --- Chapter 2: eligibility -------------------------------------------------------------
R5_MIN_AREA_M2 = Decimal("20")  # R5 原则上不低于20平方米
R8_MIN_TEAM_SIZE = 10  # R8 团队人数应不少于10人
R8_MAIN_MEMBERS_TALENT_SHARE = Decimal("0.5")  # R8 主要成员为技术技能人才: more than half
R9_MIN_YEARS_RUNNING = 1  # R9 已经建立并有效运行1年以上

# --- Chapter 3: duties, checked yearly from the ledgers ---------------------------------
R14A_MIN_NEW_PROJECTS_PER_YEAR = 1  # R14a 每年产生至少1-2项创新项目 (floor)
R14A_TARGET_NEW_PROJECTS_PER_YEAR = 2  # R14a (target shown on dashboards)
R14B_MIN_PATENTS = 1  # R14b 每三年至少获得一项发明或者实用新型专利
R14B_WINDOW_YEARS = 3  # R14b rolling window
R14C_MIN_ACHIEVEMENTS = 1  # R14c 每三年产生至少1项创新成果
R14C_WINDOW_YEARS = 3  # R14c rolling window
R14D_MIN_ACTIVITIES_PER_YEAR = 4  # R14d 各类创新交流活动不少于4次

# --- Chapter 4: application and recognition ---------------------------------------------
R16_CALLS_PER_YEAR = 1  # R16 每年申报一次
R17_REREVIEW_AFTER_YEARS = 1  # R17 当年被认定的，次年需进行复审
# R19 bonus points: defaults; each review round carries its own copy.
R19_DEFAULT_BONUS = {
    "beijing_model_worker": Decimal("5"),  # 北京市劳动模范
    "beijing_grand_craftsman": Decimal("5"),  # 北京大工匠
    "grand_craftsman_nomination": Decimal("3"),  # 大工匠提名奖
    "yicheng_talent": Decimal("3"),  # 亦城人才
    "yicheng_craftsman": Decimal("3"),  # 亦城工匠
}
R19_DEFAULT_BONUS_CAP = Decimal("10")

# --- Chapter 6: the five-year cycle ------------------------------------------------------
R24_CYCLE_YEARS = 5  # R24 管理周期为五年
R24_DEFAULT_EXPIRY_WINDOW_MONTHS = 6  # default "cycle ends within 6 months" window, calendar months

# --- Chapter 7: funds ---------------------------------------------------------------------
R26A_GRANT_CNY = Decimal("200000.00")  # R26a 次年复审通过后 一次性给予20万元
R26B_GRANT_CNY = Decimal("200000.00")  # R26b 创新活力之星 一次性给予20万元
# R29 取消申报资格: the Measures leave the bar's length open; a bar ending more than this many
# years out is taken for a typing error (portal practice, a sanity bound, not the Measures).
R29_MAX_BAR_YEARS = 10

# --- Chapter 8: revocation ---------------------------------------------------------------
R32_4_NO_PROJECT_YEARS = 2  # R32(4) 连续两年未开展新创新项目
R32_4_NO_ACHIEVEMENT_YEARS = 3  # R32(4) 连续三年未有创新成果

# --- Reminders (portal practice, not the Measures) ----------------------------------------
CALL_CLOSE_REMINDER_DAYS = (7, 1)  # drafts unsubmitted before a call closes
SCORING_REMINDER_DAYS = (3, 1)  # experts' unsubmitted scores before scoring closes
LIFECYCLE_REMINDER_DAYS = (30, 7, 1)  # re-reviews, cycle ends, rectification deadlines
