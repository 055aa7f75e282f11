"""专栏 boxes (extract/boxes.py via structure): labels, titles, bodies and numbered items of
seeds 001, 003 and 004, read off the files by hand."""

from __future__ import annotations

import pytest

from conftest_structure import by_prefix, norm, plans  # noqa: F401  (session fixtures)
from extract.model import Document
from extract.structure import structure

# seed 003: (title, first words of the body, last words of the body)
BOXES_003 = [
    ("扶持创业带动就业专项行动", "精准推送创业扶持政策", "30个优秀创业项目。"),
    ("职业技能提升行动", "坚持需求导向", "提供坚强的技能人才支撑。"),
    ("高技能人才培养计划", "大力发展技工教育", "评选市企业首席技师50名。"),
    ("育人才兴乡村五年行动计划", "建强省市乡土人才载体", "拓宽乡土人才发展空间。"),
    ("“优青 5322”集聚工程", "围绕青年和人才友好型城市建设目标", "（含博士后20名）。"),
]

# seed 004: (title, item titles, last words of the body); boxes 1 and 2 hold tables
BOXES_004 = [
    ("“十三五”时期全市人力资源和社会保障事业发展 主要指标完成情况", [],
     "注：[]内数据表示五年累计数。"),
    ("“十四五”时期全市人力资源和社会保障事业发展 主要指标规划情况", [], "无标识为海宁定制指标。"),
    ("高质量就业创业工程", ["“潮城创梦”创业项目", "就业困难人员保障网计划", "金蓝领职业技能培训项目"],
     "每年开展职业技能培训2万人次。"),
    ("人力资源服务创新专项行动", ["高质量的人力资源服务行动", "人力资源服务业技术创新行动"],
     "实现降本增效。"),
    ("新业态从业人员社会保障专项行动", ["新业态从业人员参保计划", "新业态从业人员职业伤害保障试点"],
     "促进新业态的健康发展。"),
    ("技术技能人才引育工程",
     ["千名博士（后）集聚计划", "万名大学生集聚计划", "万名技能人才引育计划", "专业技术人员知识更新工程",
      "技能人才评价创新计划", "人才服务协同提升计划", "人才安居环境跃升计划"],
     "新建、筹集人才公寓10000套。"),
    ("劳动关系长效机制专项行动", ["“法治人社”宣传专项行动", "劳动关系和谐专项行动"],
     "原则上每一至两年开展一次。"),
    ("仲裁效能提升专项行动", ["仲裁办案质量提升专项行动", "调解仲裁基础保障建设专项行动",
                              "仲裁队伍能力建设专项行动"], "提升仲裁员政治素养和办案能力。"),
    ("劳动保障监察效能提升专项行动", ["根治欠薪专项行动", "数字监察改革专项行动",
                                      "劳动保障监察执法能力提升专项行动"], "全面提高执法工作能力。"),
    ("数字化赋能改革",
     ["建设人社数字驾驶舱", "提升“数字就业”应用", "提升“数字社保”应用", "提升“数字人才”应用",
      "提升“智慧技能”应用", "提升“智慧仲裁”应用", "提升“海宁无欠薪”应用", "探索“电子劳动合同”应用",
      "提升“事业单位人事工资全周期管理”应用", "设计“人社数据”安全保护制度"],
     "跨领域跨部门数据共享和工作协同管理办法等。"),
    ("智能化便民服务提升行动", ["政务服务“好办易办”行动", "居民服务“一卡通”应用升级行动"],
     "文化体验等方面“同城待遇”。"),
]

# seed 001: 13 boxes; items numbered 1. 2. … with the title up to the first full stop;
# the box ends before the next paragraph of the section (which opens with a lead sentence)
BOXES_001 = [
    ("重点群体就业帮扶行动计划", ["农村劳动力就业帮扶行动", "高校毕业生就业帮扶行动",
                                 "城乡就业困难人员就业帮扶行动"], "特殊困难群体实现就业。"),
    ("公共就业服务能力提升行动计划", ["实施公共就业服务信息化提升工程", "开展公共就业服务强基行动",
                                      "开展公共人力资源服务能力提升行动"], "全年开展招聘活动不少于400场。"),
    ("创业扶持行动计划", ["实施创业政策扩面行动", "实施创业载体提升行动", "实施创业服务品牌行动"],
     "遴选一批创业带动就业典型企业。"),
]


def test_seed_003_boxes(by_prefix):
    plan = by_prefix["003"]
    assert [b.label for b in plan.boxes] == [f"专栏{i}" for i in range(1, 6)]
    for box, (title, first, last) in zip(plan.boxes, BOXES_003, strict=True):
        assert norm(box.title) == norm(title)
        body = plan.text[box.title_end:box.end]
        assert norm(body).startswith(norm(first)), box.label
        assert norm(body).endswith(norm(last)), box.label
        assert box.items == ()


def test_seed_004_boxes_and_items(by_prefix):
    plan = by_prefix["004"]
    assert [b.label for b in plan.boxes] == [f"专栏{i}" for i in range(1, 12)]
    for box, (title, items, last) in zip(plan.boxes, BOXES_004, strict=True):
        assert norm(box.title) == norm(title)
        assert [norm(i.title) for i in box.items] == [norm(t) for t in items], box.label
        assert [i.number for i in box.items] == [f"{k:02d}" for k in range(1, len(items) + 1)]
        assert norm(plan.text[box.start:box.end]).endswith(norm(last)), box.label
        for item in box.items:  # an item's body runs to the next item
            assert box.start < item.start < item.end <= box.end


def test_seed_001_boxes(by_prefix):
    plan = by_prefix["001"]
    assert len(plan.boxes) == 13
    for box, (title, items, last) in zip(plan.boxes[:3], BOXES_001, strict=True):
        assert norm(box.title) == norm(title)
        assert [norm(i.title) for i in box.items] == [norm(t) for t in items]
        assert norm(plan.text[box.start:box.end]).endswith(norm(last)), box.label
    # 专栏10 has no items: its one paragraph, then the section's text goes on
    box10 = plan.boxes[9]
    assert norm(box10.title) == norm("乡土人才“三带两助”培育行动计划") and box10.items == ()
    after = plan.text[box10.end:].lstrip()
    assert after.startswith("加快人力资源服务业高质量发展。")


def test_box_sections_sit_in_the_tree(by_prefix):
    plan = by_prefix["003"]
    by_id = {s.id: s for s in plan.sections}
    for box in plan.boxes:
        sec = by_id[box.id]
        assert sec.kind == "box" and sec.title == box.title and sec.parent == box.section
        assert by_id[box.section].kind == "arabic"  # inside 1. / 3. / 4. / 5. of （一）/（三）


@pytest.mark.parametrize("text, items", [
    ("一、任务\n专栏1 就业工程\n01 创业项目\n支持创业。\n02 培训计划\n开展培训。\n二、保障\n",
     [("01", "创业项目"), ("02", "培训计划")]),
    ("一、任务\n1.促进就业。正文。\n专栏2 帮扶行动\n1.农村帮扶行动。发挥市场作用。\n"
     "2.高校帮扶行动。加大岗位供给。\n2.稳定就业。正文。\n",
     [("1", "农村帮扶行动"), ("2", "高校帮扶行动")]),
    # items marked with bullets are numbered as they come
    ("一、任务\n专栏3 人才工程\n●青年英才计划。每年引进人才。\n●工匠培育项目。培养工匠。\n"
     "二、保障\n", [("1", "青年英才计划"), ("2", "工匠培育项目")]),
])
def test_box_items_on_text_written_here(text, items):
    plan = structure(Document(text=text, source="t.txt", sha256=""))
    (box,) = plan.boxes
    assert [(i.number, i.title) for i in box.items] == items
    # the second list's 2.稳定就业 continues the section's own list, outside the box
    assert [s.title for s in plan.sections if s.kind == "arabic"] in ([], ["促进就业", "稳定就业"])
