"""The exams app's part of the demo (called by org.demo.load_demo).

The region's legal reviewer (``prov_reviewer``) writes a bank of 36 questions, each derived
from the article it cites in ``legal/texts/`` (the explanation quotes the article): 安全生产法,
行政处罚法, 生产安全事故报告和调查处理条例 (国务院令第493号) and 行政执法机关移送涉嫌犯罪案件
的规定 (国务院令第310号, 2020 revision), with three case analyses and their rubrics.

Exam 1 — the region's 2026 law exam (window 1–30 September 2026, 60 minutes, pass mark
60 %, 2 attempts, best counts), for officers of 天山区, 乌鲁木齐 and the region. Through the
services with fixed times: ``county_officer`` passes; ``officer_650102_1`` fails and passes
on the retake; ``pref_officer`` passes; ``officer_650100_1``'s attempt awaits marking;
``prov_officer`` did not take it. The case analyses are marked by ``prov_reviewer``; the
exam is closed on 9 October 2026.

Exam 2 — 天山区's practice exam, open from 25 November to 31 December 2026 (objective items
only, scored on submission), that ``county_officer`` can take in the browser. The pages use
the real clock, so the window covers the demo's "today" (late November 2026) and December.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from inspectorate.exams import services
from inspectorate.exams.models import Attempt, QuestionKind
from inspectorate.legal.models import Article
from inspectorate.org.models import User

TZ = dt.timezone(dt.timedelta(hours=8))
WSL = "work-safety-law"  # 安全生产法（2021年修正）
APL = "administrative-penalty-law"  # 行政处罚法（2021年修订）
ACC = "accident-regulation-493"  # 生产安全事故报告和调查处理条例
TRF = "transfer-regulation-310"  # 行政执法机关移送涉嫌犯罪案件的规定

S, M, TF, CASE = (
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.TRUE_FALSE,
    QuestionKind.CASE,
)

# (law, article numbers, kind, difficulty, points, stem, options, correct, explanation, tags)
QUESTIONS: list[tuple[Any, ...]] = [
    # --- 安全生产法, single choice
    (
        WSL,
        [3],
        S,
        "easy",
        2,
        "《安全生产法》规定，安全生产工作坚持的方针是：",
        [
            "安全第一、预防为主、综合治理",
            "安全第一、预防为主、防治结合",
            "预防为主、防治结合、综合治理",
            "以人为本、安全发展、综合治理",
        ],
        [0],
        "第三条：“……坚持安全第一、预防为主、综合治理的方针，从源头上防范化解重大安全风险。”",
        ["方针"],
    ),
    (
        WSL,
        [5],
        S,
        "easy",
        2,
        "生产经营单位的安全生产第一责任人是：",
        [
            "分管安全生产的副职负责人",
            "本单位的主要负责人",
            "安全生产管理机构负责人",
            "注册安全工程师",
        ],
        [1],
        "第五条：“生产经营单位的主要负责人是本单位安全生产第一责任人，对本单位的安全生产工作全面负责。”",
        ["主体责任"],
    ),
    (
        WSL,
        [24],
        S,
        "medium",
        2,
        "矿山、金属冶炼、建筑施工、运输单位和危险物品的生产、经营、储存、装卸单位以外的其他生产经营单位，从业人员超过多少人的，应当设置安全生产管理机构或者配备专职安全生产管理人员？",
        ["五十人", "一百人", "二百人", "三百人"],
        [1],
        "第二十四条第二款：“……从业人员超过一百人的，应当设置安全生产管理机构或者配备专职安全生产管理人员；从业人员在一百人以下的，应当配备专职或者兼职的安全生产管理人员。”",
        ["安全管理机构"],
    ),
    (
        WSL,
        [112],
        S,
        "medium",
        2,
        "生产经营单位被责令改正且受到罚款处罚，拒不改正的，负有安全生产监督管理职责的部门可以自何时起按照原处罚数额按日连续处罚？",
        [
            "作出罚款决定之日",
            "作出责令改正之日的次日",
            "责令改正期限届满之日",
            "罚款缴纳期限届满之日的次日",
        ],
        [1],
        "第一百一十二条：“……可以自作出责令改正之日的次日起，按照原处罚数额按日连续处罚。”",
        ["罚款", "按日连续处罚"],
    ),
    (
        WSL,
        [97],
        S,
        "medium",
        2,
        "生产经营单位未如实记录安全生产教育和培训情况的，责令限期改正，处多少罚款？",
        ["五万元以下", "十万元以下", "十万元以上二十万元以下", "二十万元以上五十万元以下"],
        [1],
        "第九十七条：“生产经营单位有下列行为之一的，责令限期改正，处十万元以下的罚款……（四）未如实记录安全生产教育和培训情况的”。",
        ["罚款", "教育培训"],
    ),
    (
        WSL,
        [97],
        S,
        "hard",
        2,
        "生产经营单位未将事故隐患排查治理情况如实记录，被责令限期改正后逾期未改正的，对其直接负责的主管人员和其他直接责任人员处多少罚款？",
        ["一万元以上二万元以下", "二万元以上五万元以下", "五万元以上十万元以下", "十万元以下"],
        [1],
        "第九十七条：“……逾期未改正的，责令停产停业整顿，并处十万元以上二十万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款”。",
        ["罚款", "隐患排查"],
    ),
    (
        WSL,
        [83],
        S,
        "easy",
        2,
        "生产经营单位发生生产安全事故后，事故现场有关人员应当：",
        [
            "立即报告本单位负责人",
            "于1小时内报告县级应急管理部门",
            "先组织抢救，视情况再报告",
            "立即报告当地人民政府",
        ],
        [0],
        "第八十三条第一款：“生产经营单位发生生产安全事故后，事故现场有关人员应当立即报告本单位负责人。”",
        ["事故报告"],
    ),
    # --- 行政处罚法, single choice
    (
        APL,
        [60],
        S,
        "easy",
        2,
        "行政机关应当自行政处罚案件立案之日起多少日内作出行政处罚决定（法律、法规、规章另有规定的除外）？",
        ["三十日", "六十日", "九十日", "一百八十日"],
        [2],
        "第六十条：“行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。法律、法规、规章另有规定的，从其规定。”",
        ["办案期限"],
    ),
    (
        APL,
        [51],
        S,
        "medium",
        2,
        "违法事实确凿并有法定依据，对法人或者其他组织处以多少元以下罚款的，可以当场作出行政处罚决定？",
        ["二百元", "一千元", "三千元", "五千元"],
        [2],
        "第五十一条：“……对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的行政处罚的，可以当场作出行政处罚决定。”",
        ["简易程序"],
    ),
    (
        APL,
        [64],
        S,
        "medium",
        2,
        "当事人要求听证的，应当在行政机关告知后几日内提出？",
        ["三日", "五日", "七日", "十日"],
        [1],
        "第六十四条第（一）项：“当事人要求听证的，应当在行政机关告知后五日内提出”。",
        ["听证"],
    ),
    (
        APL,
        [36],
        S,
        "medium",
        2,
        "违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，该期限延长至：",
        ["三年", "五年", "十年", "不受期限限制"],
        [1],
        "第三十六条第一款：“……涉及公民生命健康安全、金融安全且有危害后果的，上述期限延长至五年。法律另有规定的除外。”",
        ["追责时效"],
    ),
    (
        APL,
        [72],
        S,
        "easy",
        2,
        "当事人到期不缴纳罚款的，行政机关可以每日按罚款数额的多少加处罚款？",
        ["百分之一", "百分之三", "百分之五", "千分之五"],
        [1],
        "第七十二条第（一）项：“到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额”。",
        ["罚款", "执行"],
    ),
    (
        APL,
        [67],
        S,
        "easy",
        2,
        "当事人应当自收到行政处罚决定书之日起多少日内缴纳罚款？",
        ["七日", "十日", "十五日", "三十日"],
        [2],
        "第六十七条第三款：“当事人应当自收到行政处罚决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款。”",
        ["罚款", "执行"],
    ),
    # --- 国务院令第493号, single choice
    (
        ACC,
        [9],
        S,
        "easy",
        2,
        "事故发生后，单位负责人接到报告后，应当于多长时间内向事故发生地县级以上人民政府安全生产监督管理部门和负有安全生产监督管理职责的有关部门报告？",
        ["1小时", "2小时", "12小时", "24小时"],
        [0],
        "第九条第一款：“……单位负责人接到报告后，应当于1小时内向事故发生地县级以上人民政府安全生产监督管理部门和负有安全生产监督管理职责的有关部门报告。”",
        ["事故报告"],
    ),
    (
        ACC,
        [3],
        S,
        "easy",
        2,
        "造成3人以上10人以下死亡的生产安全事故属于：",
        ["特别重大事故", "重大事故", "较大事故", "一般事故"],
        [2],
        "第三条第一款第（三）项：“较大事故，是指造成3人以上10人以下死亡，或者10人以上50人以下重伤，或者1000万元以上5000万元以下直接经济损失的事故”。",
        ["事故等级"],
    ),
    (
        ACC,
        [29],
        S,
        "medium",
        2,
        "事故调查组应当自事故发生之日起多少日内提交事故调查报告？",
        ["30日", "45日", "60日", "90日"],
        [2],
        "第二十九条：“事故调查组应当自事故发生之日起60日内提交事故调查报告；特殊情况下……延长的期限最长不超过60日。”",
        ["事故调查"],
    ),
    (
        ACC,
        [10],
        S,
        "medium",
        2,
        "一般事故应当上报至哪一级人民政府安全生产监督管理部门？",
        ["县级", "设区的市级", "省级", "国务院"],
        [1],
        "第十条第一款第（三）项：“一般事故上报至设区的市级人民政府安全生产监督管理部门和负有安全生产监督管理职责的有关部门。”",
        ["事故报告"],
    ),
    # --- 国务院令第310号, single choice
    (
        TRF,
        [5],
        S,
        "medium",
        2,
        "行政执法机关正职负责人或者主持工作的负责人应当自接到移送涉嫌犯罪案件的书面报告之日起几日内作出批准移送或者不批准移送的决定？",
        ["24小时", "3日", "5日", "7日"],
        [1],
        "第五条第二款：“行政执法机关正职负责人或者主持工作的负责人应当自接到报告之日起３日内作出批准移送或者不批准移送的决定。”",
        ["移送"],
    ),
    (
        TRF,
        [5],
        S,
        "medium",
        2,
        "行政执法机关决定批准移送涉嫌犯罪案件的，应当在多长时间内向同级公安机关移送？",
        ["12小时", "24小时", "3日", "5日"],
        [1],
        "第五条第二款：“决定批准的，应当在２４小时内向同级公安机关移送；决定不批准的，应当将不予批准的理由记录在案。”",
        ["移送"],
    ),
    # --- multiple choice
    (
        WSL,
        [21],
        M,
        "medium",
        4,
        "下列属于生产经营单位主要负责人安全生产职责的有：",
        [
            "组织制定并实施本单位安全生产规章制度和操作规程",
            "保证本单位安全生产投入的有效实施",
            "组织制定并实施本单位的生产安全事故应急救援预案",
            "对本单位从业人员的安全生产违法行为处以罚款",
        ],
        [0, 1, 2],
        "第二十一条列举的职责包括第（二）项规章制度和操作规程、第（四）项安全生产投入、第（六）项应急救援预案；罚款是行政机关的职权，不是主要负责人的职责。",
        ["主体责任"],
    ),
    (
        WSL,
        [65],
        M,
        "medium",
        4,
        "应急管理部门依法开展安全生产监督检查时，可以行使的职权有：",
        [
            "进入生产经营单位进行检查，调阅有关资料",
            "对检查中发现的事故隐患，责令立即排除",
            "对违法生产、储存危险物品的作业场所予以查封",
            "对拒不配合检查的企业负责人予以行政拘留",
        ],
        [0, 1, 2],
        "第六十五条第一款第（一）（三）（四）项；行政拘留不在该条列举的职权之中。",
        ["监督检查"],
    ),
    (
        APL,
        [63],
        M,
        "medium",
        4,
        "行政机关拟作出下列哪些行政处罚决定，应当告知当事人有要求听证的权利？",
        ["较大数额罚款", "责令停产停业", "吊销许可证件", "警告"],
        [0, 1, 2],
        "第六十三条第一款第（一）（三）（四）项：较大数额罚款；降低资质等级、吊销许可证件；责令停产停业、责令关闭、限制从业。",
        ["听证"],
    ),
    (
        APL,
        [58],
        M,
        "hard",
        4,
        "下列情形中，行政机关负责人作出行政处罚决定之前应当进行法制审核的有：",
        [
            "涉及重大公共利益的",
            "直接关系当事人或者第三人重大权益，经过听证程序的",
            "案件情况疑难复杂、涉及多个法律关系的",
            "适用简易程序当场作出行政处罚决定的",
        ],
        [0, 1, 2],
        "第五十八条第一款第（一）至（三）项；当场处罚不在其列。",
        ["法制审核"],
    ),
    (
        ACC,
        [12],
        M,
        "easy",
        4,
        "报告事故应当包括的内容有：",
        ["事故发生单位概况", "事故的简要经过", "已经采取的措施", "对事故责任人的处理意见"],
        [0, 1, 2],
        "第十二条：报告事故应当包括事故发生单位概况，时间、地点以及现场情况，简要经过，伤亡人数和初步估计的直接经济损失，已经采取的措施，其他应当报告的情况。",
        ["事故报告"],
    ),
    (
        ACC,
        [10],
        M,
        "medium",
        4,
        "安全生产监督管理部门接到事故报告后上报事故情况，应当同时通知的单位有：",
        ["公安机关", "人民法院", "工会", "人民检察院"],
        [0, 2, 3],
        "第十条第一款：“……上报事故情况，并通知公安机关、劳动保障行政部门、工会和人民检察院”。",
        ["事故报告"],
    ),
    # --- true / false (options 正确 / 错误)
    (
        APL,
        [29],
        TF,
        "easy",
        1,
        "对当事人的同一个违法行为，可以给予两次以上罚款的行政处罚。",
        [],
        [1],
        "第二十九条：“对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚。”",
        ["罚款"],
    ),
    (
        APL,
        [42],
        TF,
        "easy",
        1,
        "行政处罚应当由具有行政执法资格的执法人员实施，执法人员不得少于两人，法律另有规定的除外。",
        [],
        [0],
        "第四十二条第一款原文。",
        ["执法资格"],
    ),
    (
        ACC,
        [3],
        TF,
        "medium",
        1,
        "《生产安全事故报告和调查处理条例》第三条所称的“以上”包括本数，“以下”不包括本数。",
        [],
        [0],
        "第三条第三款：“本条第一款所称的‘以上’包括本数，所称的‘以下’不包括本数。”",
        ["事故等级"],
    ),
    (
        ACC,
        [13],
        TF,
        "medium",
        1,
        "道路交通事故、火灾事故自发生之日起15日内，事故造成的伤亡人数发生变化的，应当及时补报。",
        [],
        [1],
        "第十三条第二款：道路交通事故、火灾事故的补报期限是自发生之日起7日内（其他事故为30日内）。",
        ["事故报告"],
    ),
    (
        WSL,
        [27],
        TF,
        "easy",
        1,
        "对危险物品的生产、经营、储存、装卸单位的主要负责人和安全生产管理人员进行安全生产知识和管理能力考核，可以收取适当费用。",
        [],
        [1],
        "第二十七条第二款：“……考核合格。考核不得收费。”",
        ["教育培训"],
    ),
    (
        WSL,
        [28],
        TF,
        "easy",
        1,
        "未经安全生产教育和培训合格的从业人员，不得上岗作业。",
        [],
        [0],
        "第二十八条第一款原文。",
        ["教育培训"],
    ),
    (
        TRF,
        [8],
        TF,
        "medium",
        1,
        "公安机关应当自接受行政执法机关移送的涉嫌犯罪案件之日起3日内对所移送的案件进行审查。",
        [],
        [0],
        "第八条：“公安机关应当自接受行政执法机关移送的涉嫌犯罪案件之日起３日内……对所移送的案件进行审查。”",
        ["移送"],
    ),
    (
        APL,
        [33],
        TF,
        "hard",
        1,
        "初次违法且危害后果轻微并及时改正的，应当不予行政处罚。",
        [],
        [1],
        "第三十三条第一款：初次违法且危害后果轻微并及时改正的，“可以”不予行政处罚；“违法行为轻微并及时改正，没有造成危害后果的”才是“不予”行政处罚。",
        ["不予处罚"],
    ),
]

# (law, article numbers, difficulty, points, stem, model answer, rubric, tags)
CASES: list[tuple[Any, ...]] = [
    (
        WSL,
        [28, 97, 112],
        "hard",
        20,
        "天山区应急管理局执法人员检查某化工企业时发现，该企业新入职的8名从业人员未经安全生产教育和培训即上岗作业，且企业无安全生产教育和培训档案。执法机关责令其限期改正，并处罚款五万元。期满复查时，企业仍未改正。\n问：（1）企业行为的定性及法律依据；（2）逾期未改正应当如何处理；（3）企业被责令改正且受到罚款处罚后拒不改正的，执法机关还可以采取什么措施，从何时起算？",
        "（1）《安全生产法》第二十八条规定，未经安全生产教育和培训合格的从业人员，不得上岗作业，并应建立培训档案如实记录。企业的行为属于第九十七条第（三）项“未按照规定对从业人员……进行安全生产教育和培训”和第（四）项“未如实记录安全生产教育和培训情况”，应当责令限期改正，处十万元以下的罚款。\n（2）逾期未改正的，依第九十七条，责令停产停业整顿，并处十万元以上二十万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款。\n（3）依第一百一十二条，被责令改正且受到罚款处罚，拒不改正的，可以自作出责令改正之日的次日起，按照原处罚数额按日连续处罚。",
        [
            ("定性准确，引用第二十八条和第九十七条第（三）（四）项", 6),
            (
                "逾期未改正的处理：停产停业整顿、十万元以上二十万元以下罚款、对直接责任人员二万元以上五万元以下罚款",
                8,
            ),
            ("按日连续处罚的条件和起算日（第一百一十二条）", 6),
        ],
        ["教育培训", "按日连续处罚"],
    ),
    (
        ACC,
        [3, 9, 10],
        "medium",
        20,
        "某建筑施工企业工地上午8时发生坍塌，造成2人死亡。项目经理8时10分报告单位负责人，单位负责人当日14时才向县应急管理局报告。\n问：（1）该事故属于哪一等级；（2）单位负责人的报告是否符合规定；（3）县应急管理局接到报告后应当上报到哪一级，并通知哪些单位？",
        "（1）依《生产安全事故报告和调查处理条例》第三条，造成3人以下死亡的为一般事故（“以下”不包括本数），2人死亡属于一般事故。\n（2）依第九条，单位负责人接到报告后应当于1小时内向事故发生地县级以上安全生产监督管理部门报告；8时10分接报、14时报告，超过1小时，属于迟报。\n（3）依第十条，一般事故上报至设区的市级人民政府安全生产监督管理部门，同时报告本级人民政府，并通知公安机关、劳动保障行政部门、工会和人民检察院。",
        [
            ("事故等级判断及依据（第三条）", 5),
            ("1小时报告时限与迟报认定（第九条）", 8),
            ("上报层级、报告本级政府和通知对象（第十条）", 7),
        ],
        ["事故报告", "事故等级"],
    ),
    (
        TRF,
        [5],
        "hard",
        20,
        "某区应急管理局在查处一起非法储存危险化学品案件中，发现违法事实涉嫌构成犯罪。执法人员于3月2日向局长提交移送涉嫌犯罪案件的书面报告，局长3月9日批准移送，该局3月12日将案件移送公安机关。\n问：该案移送程序存在哪些问题？正确做法是什么？",
        "依《行政执法机关移送涉嫌犯罪案件的规定》第五条：（1）对应当移送的案件，应当立即指定2名或者2名以上行政执法人员组成专案组专门负责，核实情况后提出书面报告，报经本机关正职负责人或者主持工作的负责人审批；（2）负责人应当自接到报告之日起3日内作出批准移送或者不批准移送的决定，本案3月2日接报，3月9日才批准，超过3日；（3）决定批准的，应当在24小时内向同级公安机关移送，本案3月9日批准、3月12日移送，超过24小时；决定不批准的，应当将不予批准的理由记录在案。",
        [
            ("专案组的组成（2名以上执法人员）和审批人", 4),
            ("3日内作出批准或者不批准决定，指出本案超期", 6),
            ("批准后24小时内移送同级公安机关，指出本案超期", 6),
            ("不批准时将理由记录在案", 4),
        ],
        ["移送"],
    ),
]

WEAK_CASE_ANSWER = "存在违法行为，应当依法处理并责令改正。"


def _article_ids(code: str, numbers: list[int]) -> list[int]:
    ids = []
    for n in numbers:
        art = (
            Article.objects.filter(law_version__law__code=code, number=n, suffix="")
            .order_by("-law_version__effective_on")
            .first()
        )
        if art is None:
            raise LookupError(f"{code} Art. {n} is not in the law library")
        ids.append(art.pk)
    return ids


def _at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def load_bank(author: User) -> None:
    now = _at(8, 10, 10)
    for law, arts, kind, difficulty, points, stem, options, correct, explanation, tags in QUESTIONS:
        services.question_create(
            actor=author,
            now=now,
            kind=kind,
            stem=stem,
            options=options,
            correct=correct,
            explanation=explanation,
            model_answer="",
            rubric=[],
            difficulty=difficulty,
            article_ids=_article_ids(law, arts),
            tags=tags,
            points=points,
        )
    for law, arts, difficulty, points, stem, model, rubric, tags in CASES:
        services.question_create(
            actor=author,
            now=now,
            kind=CASE,
            stem=stem,
            options=[],
            correct=[],
            explanation="",
            model_answer=model,
            rubric=[{"criterion": c, "points": p} for c, p in rubric],
            difficulty=difficulty,
            article_ids=_article_ids(law, arts),
            tags=tags,
            points=points,
        )


def _answers(attempt: Attempt, wrong: set[int], good_case: bool) -> dict[str, Any]:
    """Correct answers except at the positions in ``wrong`` (a wrong option, or only one of
    the correct options of a multiple-choice item)."""
    out: dict[str, Any] = {}
    for item in attempt.items.order_by("position"):
        key = str(item.position)
        if item.kind == CASE:
            # a good answer covers the first points of the model answer, a weak one none
            lines = item.model_answer.splitlines()
            out[key] = "\n".join(lines[: max(len(lines) - 1, 1)]) if good_case else WEAK_CASE_ANSWER
        elif item.position not in wrong:
            out[key] = list(item.correct)
        elif item.kind == M:
            out[key] = [item.correct[0]]
        else:
            out[key] = [next(i for i in range(len(item.options)) if i not in item.correct)]
    return out


def _marks(attempt: Attempt, share: str) -> tuple[int, list[Decimal]]:
    item = attempt.items.get(kind=CASE)
    f = Decimal(share)
    marks = [
        (Decimal(c["points"]) * f * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2
        for c in item.rubric
    ]
    return item.position, marks


def _sit(
    user: User,
    exam_id: int,
    day: int,
    wrong: set[int],
    good_case: bool,
    *,
    month: int = 9,
    number: int = 1,
) -> Attempt:
    start = _at(month, day, 10)
    attempt = services.attempt_start(
        actor=user, exam_id=exam_id, now=start, seed=f"demo-{user.username}-{number}"
    )
    services.attempt_save(
        actor=user,
        attempt_id=attempt.pk,
        answers=_answers(attempt, wrong, good_case),
        now=start + dt.timedelta(minutes=35),
    )
    return services.attempt_submit(
        actor=user, attempt_id=attempt.pk, now=start + dt.timedelta(minutes=48)
    )


def _mark(marker: User, attempt: Attempt, share: str, comment: str, day: int) -> Attempt:
    position, marks = _marks(attempt, share)
    return services.attempt_mark(
        actor=marker,
        attempt_id=attempt.pk,
        position=position,
        marks=marks,
        comment=comment,
        expected_version=attempt.version,
        now=_at(9, day, 16),
    )


def load_exams_demo() -> None:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "prov_reviewer",
                "prov_lead",
                "county_lead",
                "county_officer",
                "pref_officer",
                "prov_officer",
                "officer_650102_1",
                "officer_650100_1",
            ]
        )
    }
    if len(users) < 8 or not Article.objects.exists():
        return
    reviewer, lead = users["prov_reviewer"], users["prov_lead"]
    load_bank(reviewer)

    # exam 1: the region's 2026 law exam
    exam = services.exam_create(
        actor=lead,
        title="2026年度全区安全生产执法人员法律知识考试",
        time_limit=60,
        opens_at=_at(9, 1, 9),
        closes_at=_at(9, 30, 18),
        pass_mark=Decimal("60"),
        max_attempts=2,
        counting="best",
        rules=[
            {"law": WSL, "tag": "", "kind": S, "difficulty": "", "count": 4, "points": 5},
            {"law": APL, "tag": "", "kind": S, "difficulty": "", "count": 2, "points": 5},
            {"law": "", "tag": "", "kind": M, "difficulty": "", "count": 3, "points": 10},
            {"law": "", "tag": "", "kind": TF, "difficulty": "", "count": 5, "points": 4},
            {"law": "", "tag": "", "kind": CASE, "difficulty": "", "count": 1, "points": 20},
        ],
        candidate_roles=[],
        candidate_ids=[
            users[n].pk
            for n in (
                "county_officer",
                "officer_650102_1",
                "pref_officer",
                "officer_650100_1",
                "prov_officer",
            )
        ],
    )
    exam = services.exam_publish(
        actor=lead, exam_id=exam.pk, expected_version=exam.version, now=_at(8, 25, 10)
    )
    # positions: 1–4 安全生产法 single, 5–6 行政处罚法 single, 7–9 multiple, 10–14 true/false,
    # 15 the case analysis
    a = _sit(users["county_officer"], exam.pk, 3, {1}, True)
    _mark(reviewer, a, "0.8", "定性和依据准确，期限表述完整。", 8)
    b1 = _sit(users["officer_650102_1"], exam.pk, 4, {1, 2, 5, 7, 11, 12}, False)
    _mark(reviewer, b1, "0.3", "未引用条文，处理措施不完整。", 8)
    b2 = _sit(users["officer_650102_1"], exam.pk, 15, {12}, True, number=2)
    _mark(reviewer, b2, "0.7", "较第一次明显进步，注意期限的起算。", 18)
    c = _sit(users["pref_officer"], exam.pk, 10, {3, 8}, True)
    _mark(reviewer, c, "0.6", "要点基本齐全，依据条文引用不够具体。", 18)
    _sit(users["officer_650100_1"], exam.pk, 28, {6}, True)  # awaits marking
    exam.refresh_from_db()
    services.exam_close(
        actor=lead, exam_id=exam.pk, expected_version=exam.version, now=_at(10, 9, 10)
    )

    # exam 2: 天山区's practice exam, open in the browser
    county_lead = users["county_lead"]
    practice = services.exam_create(
        actor=county_lead,
        title="2026年12月天山区执法人员法律知识练习考试",
        time_limit=30,
        opens_at=_at(11, 25, 9),
        closes_at=_at(12, 31, 18),
        pass_mark=Decimal("60"),
        max_attempts=3,
        counting="best",
        rules=[
            {"law": "", "tag": "", "kind": S, "difficulty": "", "count": 4, "points": 10},
            {"law": "", "tag": "", "kind": M, "difficulty": "", "count": 2, "points": 15},
            {"law": "", "tag": "", "kind": TF, "difficulty": "", "count": 5, "points": 6},
        ],
        candidate_roles=["officer"],
        candidate_ids=[],
    )
    services.exam_publish(
        actor=county_lead,
        exam_id=practice.pk,
        expected_version=practice.version,
        now=_at(11, 24, 10),
    )
