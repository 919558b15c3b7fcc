"""What residents bring to the front desk besides complaints, by kind: phrases the register stage
combines into entry texts (the complaint phrases serve opinions and service requests too)."""

from __future__ import annotations

from .complaint_text import PLACES, content

# A register category code as the complaint phrases' category (what a service request says).
PHRASES_OF = {
    "customer_service": "attitude",
    "security": "security",
    "cleaning": "cleaning",
    "greening": "cleaning",
    "repairs": "repairs",
    "facilities": "facilities",
    "parking": "parking",
    "fees": "charges",
    "neighbours": "noise",
    "other": "other",
}
ENQUIRIES = [
    "咨询装修需要办理什么手续",
    "咨询物业费缴费方式",
    "询问停水停电时间",
    "咨询车位租赁价格",
    "询问快递放在哪里",
    "咨询门禁卡补办",
    "询问{p}开放时间",
    "咨询宠物登记办法",
]
PRAISE = [
    "感谢维修师傅及时上门",
    "表扬保安帮忙搬运物品",
    "感谢前台热心帮助",
    "{p}打扫得很干净，表示感谢",
    "感谢管家耐心解答",
]
SUGGESTIONS = [
    "建议{p}增加照明",
    "建议增加电动车充电桩",
    "希望多组织社区活动",
    "建议{p}加装扶手",
    "建议延长{p}开放时间",
]
SERVICE = [
    "请派人维修{p}",
    "{p}需要上门疏通",
    "预约{p}上门检查",
    "请安排清理{p}",
]


def entry_content(rng, kind: str, category: str) -> str:
    if kind == "enquiry":
        return rng.choice(ENQUIRIES).format(p=rng.choice(PLACES))
    if kind == "praise":
        return rng.choice(PRAISE).format(p=rng.choice(PLACES))
    if kind == "suggestion":
        return rng.choice(SUGGESTIONS).format(p=rng.choice(PLACES))
    if kind == "service" and rng.random() < 0.4:
        return rng.choice(SERVICE).format(p=rng.choice(PLACES))
    return content(rng, PHRASES_OF.get(category, "other"))
