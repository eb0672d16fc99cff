"""The reviewer's checklist as rules (issue 18, item 3; DOMAIN.md, "What the rules require").

Each rule has a stable id (the code of its findings, `rule.<name>`), a severity and a Chinese
message (messages.MESSAGES) naming where: the part, the section or table, the cell or the
field. `RULES` lists them for docs/rules.md; `checklist_problems` applies them to a loaded
version. Pure: it reads the `Snapshot` only.

- checklist_facts: the extra facts against the tables and each other (三公 statistics against
  国有资产, 机关运行经费 against 公用经费, 年初预算 合计 against Σ项, the 公务接待费 split, 政府采购),
  the name each table prints, and non-numbers in the 附件;
- checklist_text: what people write — placeholders, 元/万元 slips, 增加/减少 against the change,
  完成预算 X% without a budget, 部门决算/单位决算 wording.

An unknown fact (not entered) is never reported on; 「无」 counts as zero. What the tables'
own 勾稽关系 already check (三公 合计 = Σ items) and what narrative.consistency compares
(amounts and shares named in the text) are not repeated.
"""

from __future__ import annotations

from ..importing.problems import Problem
from ..snapshot import Snapshot
from . import checklist_facts, checklist_text
from .checklist_base import PREFIX, Rule

RULES: tuple[Rule, ...] = checklist_facts.RULES + checklist_text.RULES
RULES_BY_ID = {rule.id: rule for rule in RULES}


def checklist_problems(snapshot: Snapshot) -> list[Problem]:
    """Every finding of the checklist on one version, facts first, then its texts."""
    problems = [problem for check in checklist_facts.CHECKS for problem in check(snapshot)]
    return problems + checklist_text.text_problems(snapshot)


__all__ = ["PREFIX", "RULES", "RULES_BY_ID", "Rule", "checklist_problems"]
