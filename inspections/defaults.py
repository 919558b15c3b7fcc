"""The default monthly check standard QA starts from: customer-opinion handling (F1-F3, C2-C14, Q4, Q5).

Stored data in the product's language (Chinese), like a form QA would print; QA edits it into new
versions. Each section counts out of 100; an item's points are what it deducts when failed.
Tuples: (section title, weight, [(what is checked, what counts as a pass, points, red line, figure)]).
"""

from __future__ import annotations

NAME = "顾客意见处理月检标准"

SECTIONS = [
    (
        "顾客意见的接收与登记",
        "30",
        [
            (
                "顾客意见和服务需求均登记在《与顾客沟通登记表》",
                "抽查当月来访、来电、来函记录，登记项目（顾客、房号、方式、内容、接待人、处理情况、结果）齐全",
                "40",
                False,
                "",
            ),
            ("接待时致歉、致谢并告知将尽快答复", "抽查接待记录与回访，无推诿、无态度问题", "30", False, ""),
            ("登记的意见和需求均有处理结果", "当月登记项目处理完毕或有跟进记录", "30", False, ""),
        ],
    ),
    (
        "投诉处理",
        "35",
        [
            (
                "投诉在规定时限内首次回复（C3）",
                "工作时间内收到的8个工作小时内回复，工作时间外收到的24小时内回复；及时率100%为合格",
                "30",
                False,
                "complaints.c3",
            ),
            ("无超时未处理的投诉环节", "抽查时无已超时未关闭的投诉环节", "20", False, "complaints.overdue"),
            ("一类投诉填写《顾客投诉(建议)处理记录表》（C5）", "记录完整，处理结果已告知顾客", "20", False, ""),
            ("投诉处理完毕后按要求回访（C12）", "重要投诉均由质管部回访，回访记录齐全", "30", False, ""),
            ("不隐瞒、不篡改投诉记录", "发现隐瞒或篡改投诉记录即判定本次月检不合格", "0", True, ""),
        ],
    ),
    (
        "月度汇总与纠正预防措施",
        "15",
        [
            ("每月汇总、分析当月意见和投诉（F2、C14）", "次月5日前完成汇总，逐项分类分析", "50", False, ""),
            ("针对主要问题制定并落实纠正和预防措施", "措施有责任人、完成期限和效果验证", "50", False, ""),
        ],
    ),
    (
        "主动征询顾客意见",
        "10",
        [("通过座谈会、家访等方式主动征询意见（F3）", "当月有座谈会或家访记录", "100", False, "")],
    ),
    (
        "维修回访与服务承诺",
        "10",
        [
            (
                "每月对维修进行回访（Q4）",
                "当月维修全部回访，记录维修人员态度、及时性和质量",
                "50",
                False,
                "inspections.repairs",
            ),
            ("公布有偿服务、便民服务及服务承诺并兑现（Q5）", "服务项目和价格公示，抽查承诺均已兑现", "50", False, ""),
        ],
    ),
]
