"""Every rule code, as constants checked where they are used.

A code written as a string literal at an emission site could be misspelt and the
finding silently dropped (no rule enables it). Here each code is a constant of
:class:`Code` typed :data:`RuleCode`: mypy rejects ``Code.MT1022`` and a bare
``"MT102"`` where a RuleCode is expected, :func:`known_code` raises for an unknown
one, and the registry checks at import that every code has exactly one rule and
every rule a code (``rules/catalogue.py``). The rule's name, severity and
documentation live with its rule; this module only says which codes exist.

The constants are plain strings (a NewType costs nothing at run time), so reports,
reprs and JSON see the bare code, and paths that run per finding pay no Enum
attribute lookup.
"""

from __future__ import annotations

from typing import Final, NewType

RuleCode = NewType("RuleCode", str)
"""A rule code known to :class:`Code` (``MT602``)."""


class Code:
    """Every rule code, one constant each (``Code.MT102``); a namespace, never instantiated."""

    # MT0xx
    MT000: Final = RuleCode("MT000")

    # MT1xx
    MT101: Final = RuleCode("MT101")
    MT102: Final = RuleCode("MT102")
    MT103: Final = RuleCode("MT103")
    MT104: Final = RuleCode("MT104")
    MT105: Final = RuleCode("MT105")
    MT106: Final = RuleCode("MT106")
    MT107: Final = RuleCode("MT107")
    MT108: Final = RuleCode("MT108")
    MT109: Final = RuleCode("MT109")
    MT110: Final = RuleCode("MT110")
    MT111: Final = RuleCode("MT111")
    MT112: Final = RuleCode("MT112")
    MT113: Final = RuleCode("MT113")

    # MT2xx
    MT201: Final = RuleCode("MT201")
    MT202: Final = RuleCode("MT202")
    MT203: Final = RuleCode("MT203")
    MT204: Final = RuleCode("MT204")
    MT205: Final = RuleCode("MT205")
    MT206: Final = RuleCode("MT206")
    MT207: Final = RuleCode("MT207")
    MT208: Final = RuleCode("MT208")
    MT209: Final = RuleCode("MT209")
    MT210: Final = RuleCode("MT210")
    MT211: Final = RuleCode("MT211")
    MT212: Final = RuleCode("MT212")
    MT213: Final = RuleCode("MT213")
    MT214: Final = RuleCode("MT214")
    MT215: Final = RuleCode("MT215")
    MT216: Final = RuleCode("MT216")
    MT217: Final = RuleCode("MT217")
    MT218: Final = RuleCode("MT218")
    MT219: Final = RuleCode("MT219")
    MT220: Final = RuleCode("MT220")
    MT221: Final = RuleCode("MT221")
    MT222: Final = RuleCode("MT222")
    MT223: Final = RuleCode("MT223")
    MT224: Final = RuleCode("MT224")
    MT225: Final = RuleCode("MT225")
    MT226: Final = RuleCode("MT226")

    # MT3xx
    MT301: Final = RuleCode("MT301")
    MT302: Final = RuleCode("MT302")
    MT303: Final = RuleCode("MT303")
    MT304: Final = RuleCode("MT304")
    MT305: Final = RuleCode("MT305")
    MT306: Final = RuleCode("MT306")
    MT307: Final = RuleCode("MT307")
    MT308: Final = RuleCode("MT308")
    MT309: Final = RuleCode("MT309")
    MT310: Final = RuleCode("MT310")
    MT311: Final = RuleCode("MT311")
    MT312: Final = RuleCode("MT312")
    MT313: Final = RuleCode("MT313")
    MT314: Final = RuleCode("MT314")
    MT315: Final = RuleCode("MT315")
    MT316: Final = RuleCode("MT316")
    MT317: Final = RuleCode("MT317")
    MT318: Final = RuleCode("MT318")
    MT319: Final = RuleCode("MT319")

    # MT4xx
    MT401: Final = RuleCode("MT401")
    MT402: Final = RuleCode("MT402")
    MT403: Final = RuleCode("MT403")
    MT404: Final = RuleCode("MT404")

    # MT5xx
    MT501: Final = RuleCode("MT501")
    MT502: Final = RuleCode("MT502")
    MT503: Final = RuleCode("MT503")
    MT504: Final = RuleCode("MT504")
    MT505: Final = RuleCode("MT505")
    MT506: Final = RuleCode("MT506")
    MT507: Final = RuleCode("MT507")
    MT508: Final = RuleCode("MT508")
    MT509: Final = RuleCode("MT509")
    MT510: Final = RuleCode("MT510")
    MT511: Final = RuleCode("MT511")
    MT512: Final = RuleCode("MT512")

    # MT6xx
    MT601: Final = RuleCode("MT601")
    MT602: Final = RuleCode("MT602")
    MT603: Final = RuleCode("MT603")
    MT604: Final = RuleCode("MT604")
    MT605: Final = RuleCode("MT605")
    MT606: Final = RuleCode("MT606")

    # MT7xx
    MT701: Final = RuleCode("MT701")
    MT702: Final = RuleCode("MT702")
    MT703: Final = RuleCode("MT703")
    MT704: Final = RuleCode("MT704")
    MT705: Final = RuleCode("MT705")
    MT706: Final = RuleCode("MT706")
    MT707: Final = RuleCode("MT707")
    MT708: Final = RuleCode("MT708")
    MT709: Final = RuleCode("MT709")
    MT710: Final = RuleCode("MT710")
    MT711: Final = RuleCode("MT711")
    MT712: Final = RuleCode("MT712")
    MT713: Final = RuleCode("MT713")
    MT714: Final = RuleCode("MT714")
    MT715: Final = RuleCode("MT715")

    # MT8xx
    MT801: Final = RuleCode("MT801")
    MT802: Final = RuleCode("MT802")
    MT803: Final = RuleCode("MT803")
    MT804: Final = RuleCode("MT804")
    MT805: Final = RuleCode("MT805")
    MT806: Final = RuleCode("MT806")
    MT807: Final = RuleCode("MT807")
    MT808: Final = RuleCode("MT808")

    # MT9xx
    MT901: Final = RuleCode("MT901")
    MT902: Final = RuleCode("MT902")
    MT903: Final = RuleCode("MT903")
    MT904: Final = RuleCode("MT904")
    MT911: Final = RuleCode("MT911")
    MT912: Final = RuleCode("MT912")
    MT913: Final = RuleCode("MT913")
    MT921: Final = RuleCode("MT921")
    MT922: Final = RuleCode("MT922")
    MT923: Final = RuleCode("MT923")
    MT924: Final = RuleCode("MT924")
    MT931: Final = RuleCode("MT931")
    MT932: Final = RuleCode("MT932")
    MT933: Final = RuleCode("MT933")
    MT934: Final = RuleCode("MT934")
    MT935: Final = RuleCode("MT935")
    MT936: Final = RuleCode("MT936")
    MT937: Final = RuleCode("MT937")
    MT938: Final = RuleCode("MT938")
    MT941: Final = RuleCode("MT941")
    MT942: Final = RuleCode("MT942")
    MT943: Final = RuleCode("MT943")
    MT944: Final = RuleCode("MT944")
    MT945: Final = RuleCode("MT945")
    MT946: Final = RuleCode("MT946")


CODES: frozenset[RuleCode] = frozenset(value for name, value in vars(Code).items() if name.startswith("MT"))
"""Every code (membership tests work on plain strings too: ``"MT102" in CODES``)."""


def known_code(code: str) -> RuleCode:
    """``code`` as a RuleCode; raises ValueError for a code :class:`Code` does not list (a typo)."""
    if code not in CODES:
        raise ValueError(f"unknown rule code {code!r}: every code is a constant of codes.Code")
    return RuleCode(code)
