"""What residents say, by category: phrases the seed combines into complaint texts (漏水 among them:
the benchmark's text search looks for it)."""

from __future__ import annotations

PLACES = [
    "卫生间",
    "厨房",
    "客厅",
    "阳台",
    "楼道",
    "电梯间",
    "地下车库",
    "小区门口",
    "单元门",
    "天台",
    "儿童乐园",
    "垃圾站",
]
BY_CATEGORY = {
    "repairs": [
        "楼上漏水到我家{p}",
        "{p}的水管漏水",
        "{p}灯不亮好几天了",
        "{p}墙面渗水发霉",
        "电梯经常停运",
        "{p}门禁坏了",
    ],
    "security": ["陌生人随意进出{p}", "晚上{p}没有保安巡逻", "电动车在{p}充电很危险", "{p}监控看不清"],
    "cleaning": ["{p}垃圾没人清理", "{p}有异味", "绿化带杂草太多", "{p}卫生打扫不及时"],
    "charges": ["物业费收费不透明", "停车费涨价没有通知", "水电公摊费用太高", "收费票据开错了"],
    "attitude": ["前台服务态度很差", "打电话没人接听", "维修师傅不耐心", "投诉后一直没有回复"],
    "noise": ["楼上装修噪音太大", "晚上{p}噪音扰民", "广场舞声音太吵", "空调外机噪音大"],
    "parking": ["车位被别人占用", "{p}乱停车堵住通道", "访客车辆进不来", "车库照明不足"],
    "building": ["{p}墙体开裂", "窗户密封不好漏风", "外墙瓷砖脱落", "{p}地面空鼓"],
    "facilities": ["小区外马路积水", "公交站太远", "{p}健身器材损坏", "附近工地噪音"],
    "other": ["希望增加快递柜", "建议{p}增加休息座椅", "咨询装修手续", "建议多组织社区活动"],
}
TAILS = ["，请尽快处理", "，已经反映过多次", "，希望给个答复", "", "，影响正常生活", "，请派人来看看"]


def content(rng, category: str) -> str:
    phrase = rng.choice(BY_CATEGORY[category]).format(p=rng.choice(PLACES))
    return phrase + rng.choice(TAILS)
