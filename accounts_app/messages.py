"""Every problem the importer and the checker report: a stable code and its Chinese text.

Tests assert against these texts; the code is what machines (and the API) use.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # The file as a whole
    "file.empty": "上传的文件是空的。",
    "file.too_large": "文件过大（{size}），上限为 {limit}。",
    "file.xls": "这是旧版 Excel（.xls）文件或加密的工作簿。请在 Excel 中“另存为” .xlsx 格式（不加密）后再上传。",
    "file.ods": "这是 OpenDocument 表格（.ods）文件。请另存为 Excel 工作簿（.xlsx）后再上传。",
    "file.not_xlsx": "文件不是 Excel 工作簿（.xlsx）。请上传由 Excel 或决算软件导出的 .xlsx 文件。",
    "file.corrupt": "工作簿已损坏或不完整，无法读取。请重新导出后再上传。",
    "file.unsafe_xml": "工作簿含有不安全的 XML 内容（实体定义或外部引用），已拒绝。",
    "file.macro": "工作簿包含宏，出于安全原因不予接受。请另存为不含宏的 .xlsx 文件。",
    "file.ole_part": "工作簿包含嵌入的二进制对象（{part}），可能含有宏或可执行内容，出于安全原因不予接受。请删除嵌入的对象，另存为 .xlsx 后再上传。",
    "file.too_many_parts": "工作簿内部文件数量异常（{count} 个），已拒绝。",
    "file.bomb": "工作簿解压后过大（{part} 超过 {limit}），疑似压缩炸弹，已拒绝。",
    "file.too_complex": "工作簿内部结构异常（{part} 含有超过 {limit} 个 XML 标记），不像一份决算公开表，已拒绝。",
    "file.zip_method": "工作簿使用了 Excel 不使用的压缩方式（{part}），已拒绝。请在 Excel 中重新保存为 .xlsx 后再上传。",
    "file.too_many_sheets": "工作簿中有 {count} 个工作表，超过 {limit} 个的上限，不像一份决算公开表，已拒绝。",
    "file.repeated_sheet_part": "工作表「{sheet}」与「{other}」指向工作簿中的同一份内容（{part}），工作簿结构异常，已拒绝。请在 Excel 中重新保存后再上传。",
    "file.sheet_name_too_long": "第 {position} 个工作表的名称过长（{length} 个字符，上限为 {limit} 个）：「{excerpt}…」。请缩短工作表名称后再上传。",
    "file.too_many_merged": "工作表「{sheet}」中有 {count} 个合并单元格区域，超过 {limit} 个的上限，不像一张决算公开表，已拒绝。",
    "file.no_tables": "工作簿中没有找到任何公开表。公开表按标题识别，例如{examples}。",
    # A published PDF (importing.pdf_bounds, importing.pdf_reader)
    "pdf.not_pdf": "文件不是 PDF。请选择部门已公开的决算 PDF 文件。",
    "pdf.corrupt": "PDF 文件已损坏或不完整，无法读取。",
    "pdf.encrypted": "PDF 文件已加密（设有打开密码或权限密码），无法读取其中的文字和表格，已拒绝。请提供未加密的 PDF。",
    "pdf.filter": "PDF 使用了 Word、WPS 和决算软件都不使用的压缩方式（LZW 或行程编码），已拒绝。请重新导出 PDF 后再导入。",
    "pdf.bomb": "PDF 中的数据解压后过大（{what}超过 {limit}），疑似压缩炸弹，已拒绝。",
    "pdf.too_many_pages": "PDF 有 {count} 页，超过 {limit} 页的上限，不像一份决算公开文件，已拒绝。",
    "pdf.too_dense": "PDF 第 {page} 页有 {count} 个{what}，超过 {limit} 个的上限，不像决算公开文件的一页，已拒绝。",
    "pdf.too_slow": "读取 PDF 超过 {limit} 秒，已停止。",
    "pdf.scanned": "PDF 没有文字层（是扫描的图像），无法读取其中的表格和文字，已拒绝。本平台不识别扫描件（OCR），请提供由 Word、WPS 或决算软件导出的 PDF。",
    "pdf.no_tables": "PDF 中没有找到任何公开表，不像一份部门决算或单位决算，已拒绝。公开表按标题和表格线识别，例如{examples}。",
    # Sheets and tables
    "sheet.ignored": "{reason}",
    "sheet.unsure": "{reason}",
    "sheet.too_many_rows": "工作表超过 {limit} 行，不像一张决算公开表，未读取。",
    "sheet.too_many_columns": "工作表的数据超出第 {limit} 列，不像一张决算公开表，已拒绝。",
    "table.duplicate": "{reason}",
    "table.missing": "缺少{label}「{title}」。没有数据的表也须上传（保留表头，数据留空）。",
    "table.form_unknown": "{reason}",
    "table.not_in_set": "「{title}」不在本地区的公开表范围内，已一并导入。",
    "table.extra_rows": "表中只应有一行数据，第 {row} 行多出了数据。",
    # Header
    "header.missing_column": "表头中找不到「{column}」栏。",
    "header.column_number": "栏次不符：「{column}」应为第 {expected} 栏，表中为第 {found} 栏。",
    # Title rows around the table
    "meta.entity_mismatch": "部门/单位名称不符：本次上传的是「{expected}」，表中为「{found}」。",
    "meta.year_mismatch": "年度不符：本次上传的是 {expected} 年度，表中为 {found} 年度。",
    "meta.unit_unknown": "金额单位无法识别：表中为「{found}」，应为“万元”或“元”。",
    # Cells
    "cell.formula_without_value": "单元格是公式（{formula}），但没有保存计算结果。请在 Excel 中打开、重新计算并保存后再上传。",
    "cell.bad_amount": "金额无法识别：应为{expected}，表中为「{found}」。",
    "cell.out_of_range": "{what}超出可保存的范围：应小于 {expected}，表中为「{found}」。",
    "cell.dash": "此处应为{what}（没有的填 0），表中为「{found}」：「——」只用于表式中不适用的栏目。",
    "text.too_long": "{what}过长（{length} 个字符），超过可保存的 {limit} 个字符：「{excerpt}…」。请缩短后再上传。",
    "cell.bad_count": "数量应为整数，表中为「{found}」。",
    "cell.not_finite": "金额不是有限的数字：表中为「{found}」。",
    "cell.negative": "金额为负数（{found}）。决算公开表中的金额不能为负数，请核对后再上传。",
    "cell.negative_count": "数量不能为负数，表中为「{found}」。",
    "cell.too_long": "单元格中的文字过长（{length} 个字符，Excel 单元格上限为 {limit} 个），已拒绝。",
    "cell.rounded": "金额超过两位小数（{found}），已四舍五入为 {value}。",
    # Rows
    "row.bad_code": "科目编码格式不正确：应为 {lengths} 位数字，表中为「{found}」。",
    "row.code_parent": "科目编码 {code} 与所在的上级科目 {parent} 不一致。",
    "row.duplicate_key": "「{key}」重复出现（另见第 {other} 行）。",
    "row.unknown_code": "科目编码 {code}「{name}」不在 {year} 年度科目目录中，已按表中名称导入。",
    "row.unknown_line": "行次 {found} 不是本表的行次。",
    "row.unknown_label": "无法识别的行「{found}」：没有行次，名称也不是本表的项目。",
    "row.missing_line": "缺少第 {line} 行「{label}」。",
    "row.missing_row": "缺少「{label}」行。",
    "row.label_mismatch": "第 {line} 行的名称与标准格式不同：标准为「{expected}」，表中为「{found}」。",
    "row.missing_code": "该行有数据但没有科目编码。",
    # 勾稽关系
    "check.mismatch": "{rule}：{where} 应为 {expected}，实为 {found}，相差 {difference}。",
    "check.rounding": "{rule}：{where} 应为 {expected}，实为 {found}，相差 {difference}，在四舍五入尾差范围内（≤ {tolerance}）。",
    "check.exceeds": "{rule}：{where} 为 {found}，不应超过 {expected}（超出 {difference}）。",
    "check.falls_short": "{rule}：{where} 为 {found}，不应低于 {expected}（差 {difference}）。",
    "check.missing_parent": "科目 {code}「{name}」的上级科目 {parent} 不在表中。",
    # 附件: 绩效自评表, reading
    "evaluation.bad_number": "绩效自评表「{name}」{row}的「{column}」应为{expected}，表中为「{found}」。",
    "evaluation.out_of_range": "绩效自评表「{name}」{row}的「{column}」数值过大：表中为「{found}」。",
    "evaluation.missing_name": "绩效自评表缺少“{label}”。",
    "evaluation.missing_part": "绩效自评表「{name}」中找不到“{part}”部分。",
    "evaluation.missing_column": "绩效自评表「{name}」的“{part}”表头中找不到「{column}」栏。",
    "evaluation.missing_total": "绩效自评表「{name}」缺少“总分”行。",
    "evaluation.missing_label": "绩效自评表「{name}」第 {row} 行有分值或金额，但没有{column}。",
    "evaluation.text_too_long": "绩效自评表「{name}」的「{column}」过长：{length} 个字符，上限为 {limit} 个字符。",
    # 附件: 绩效自评表, recomputed (warnings)
    "performance.rate": "{table}{row}的执行率{at}：应为 {expected}（全年执行数 {executed} ÷ 全年预算数 {budget} × 100%），表中为 {found}，相差 {difference} 个百分点。",
    "performance.score": "{table}{row}的得分{at}：应为 {expected}（分值 {weight} × 执行率 {rate}），表中为 {found}。",
    "performance.over_weight": "{table}{row}的得分{at}为 {found}，超过了分值 {expected}。",
    "performance.total": "{table}的总分：各项得分合计为 {expected}（资金 {funds} + 资金管理 {management} + 绩效指标 {indicators}），表中总分为 {found}，相差 {difference}。",
    "performance.total_weight": "{table}的总分分值：各项分值合计为 {expected}（资金 {funds} + 资金管理 {management} + 绩效指标 {indicators}），表中为 {found}。",
    # 情况说明 against the figures
    "narrative.fact_missing": "补充数据“{label}”未填写：请填写数值，没有的请填“无”。未填写的数据不会写成 0。",
    "narrative.reason_missing": "情况说明“{where}”未填写，提交前须填写。",
    "narrative.profile_missing": "第一部分 概况的“{part}”未填写。",
    "narrative.contradiction": "情况说明“{where}”写明{name}为 {written}，与{source}（{expected}）不一致：“{excerpt}”",
    # checking.checklist: the reviewer's checklist as rules (RULES there, docs/rules.md); {where} names the place
    "rule.car_holding": "{where}：公务用车保有量为 {holding} 辆，而{vehicles_place}为 {vehicles} 辆，两者应一致。",
    "rule.operating_cost": "{where}：机关运行经费为 {amount}，超过了{public_place}（{public} 万元）{difference} 万元。",
    "rule.initial_budget_total": "{where}：年初预算合计为 {total}，而{items_place}（{count} 项）之和为 {parts} 万元，相差 {difference} 万元。",
    "rule.reception_split": "{where}：公务接待费决算数为 {reception} 万元，而{domestic_place}（{domestic}）与{foreign_place}（{foreign}）之和为 {parts} 万元。",
    "rule.procurement_split": "{where}：政府采购支出总额为 {total}，而货物、工程、服务支出之和为 {parts} 万元（{items}）。",
    "rule.procurement_sme": "{where}：授予中小企业合同金额为 {sme}，超过了{total_place}（{total} 万元）。",
    "rule.procurement_micro": "{where}：授予小微企业合同金额为 {micro}，超过了{sme_place}（{sme}）。",
    "rule.entity_name": "{where}{sheet}：表头的部门（单位）名称为「{printed}」，与本公开的「{entity}」不一致。",
    "rule.evaluation_number": "{where}{row}的「{column}」{at}为「{found}」，不是数字。",
    "rule.placeholder": "{where}：有未替换的占位符「{placeholder}」：“{excerpt}”",
    "rule.unit_slip": "{where}：“{written}”疑为金额单位笔误（本平台金额以万元为单位），应为 {meant}：“{excerpt}”",
    "rule.change_direction": "{where}：写{name}“{verb}”，但本年 {now} 万元、上年 {last} 万元，实为{actual}：“{excerpt}”",
    "rule.completion_without_budget": "{where}：写有“{written}”，但{budget}为 {value}，没有可完成的预算：“{excerpt}”",
    "rule.kind_wording": "{where}：本公开是{right}，文字中却称“{wrong}”：“{excerpt}”",
}


def render(code: str, /, **params) -> str:
    return MESSAGES[code].format(**params)
