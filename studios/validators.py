"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character. It identifies the
enterprise whose registration and tax in the district R4 requires, so a refusal cites Article 4
(``core.refusals.refuse``, code "R4")."""

from django.utils.translation import gettext as _

from core.refusals import refuse

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise refuse(
            "R4",
            _("A unified social credit code has 18 characters (this one has %(n)s).")
            % {"n": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in USCC_ALPHABET})
    if bad:
        raise refuse(
            "R4",
            _("The unified social credit code contains characters it may not: %(chars)s.")
            % {"chars": " ".join(bad)},
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise refuse(
            "R4",
            _(
                "The check character of this unified social credit code is wrong; "
                "please re-type it."
            ),
        )
