"""The demo province, as plain tables: no logic here (kaowu/demo/services.py reads these).

Everything is fictional demo data. Office telephone numbers and the province hotlines are
invented values in the real area codes (except 城关区招生办 0931-8888823, which seed 000 shows);
office addresses name only the district, except the universities' published campus addresses.
Candidates' names, ID numbers, phones and e-mail addresses belong to nobody: the ID numbers are
built from real region codes with a computed check digit, e-mail uses example.com (RFC 2606).
"""

from dataclasses import dataclass, field

# --- Passwords -------------------------------------------------------------------------------
# Staff and self-study candidates follow the default policy (8–64, not common, not all digits).
# 专升本 candidates get the same initial password from the 报名点 and must change it at first
# login to the 12–16 upper/lower/digit/special rule (seed 004 §2.4).
STAFF_PASSWORD = "Kaowu@2027demo"
CANDIDATE_PASSWORD = "Kaowu@2027"

# Provinces whose regions the demo needs at least (tests import only these; the command imports
# all of China so that every inter-province transfer destination exists).
REQUIRED_PROVINCE_PREFIXES = ("62", "63", "14", "45")


@dataclass(frozen=True)
class ProvinceRow:
    region_code: str
    authority_name: str
    platform_name: str
    logo_text: str
    hotline: str
    address: str
    postcode: str
    is_home: bool
    runs_kaowu: bool


HOME_PROVINCE_CODE = "620000"

PROVINCES = [
    ProvinceRow("620000", "甘肃省教育考试院", "甘肃省国家教育考试综合管理平台", "甘", "0931-8612345",
                "甘肃省兰州市城关区", "730030", is_home=True, runs_kaowu=True),
    ProvinceRow("630000", "青海省教育招生考试院", "青海省自学考试考生服务平台", "青", "0971-8123456",
                "青海省西宁市城西区", "810001", is_home=False, runs_kaowu=True),
    # 山西: address and postcode as printed in the footer of seed 004's pages.
    ProvinceRow("140000", "山西省招生考试管理中心", "山西自学考试信息服务平台", "晋", "0351-8123456",
                "山西省太原市晋源区集显北街9号", "030021", is_home=False, runs_kaowu=False),
    ProvinceRow("450000", "广西壮族自治区招生考试院", "广西自考", "桂", "0771-8123456",
                "广西壮族自治区南宁市青秀区", "530022", is_home=False, runs_kaowu=False),
]

# --- Offices ---------------------------------------------------------------------------------
# Codes are stable keys: P62, C6201 (市考办), D620102 (区县招办), EA6201 (考区), RP620101 (报名点:
# city + sequence), U10730 (主考学校: the university's national code).


@dataclass(frozen=True)
class CityRow:
    region_code: str
    office_name: str  # 市考办
    area_code: str  # telephone area code
    exam_area_number: str  # two digits, the first two of a 准考证号


# Gansu's 14 cities and prefectures (地级行政区), in region-code order.
CITIES = [
    CityRow("620100", "兰州市教育考试院", "0931", "01"),
    CityRow("620200", "嘉峪关市招生考试办公室", "0937", "02"),
    CityRow("620300", "金昌市招生考试办公室", "0935", "03"),
    CityRow("620400", "白银市招生考试办公室", "0943", "04"),
    CityRow("620500", "天水市招生考试办公室", "0938", "05"),
    CityRow("620600", "武威市招生考试办公室", "0935", "06"),
    CityRow("620700", "张掖市招生考试办公室", "0936", "07"),
    CityRow("620800", "平凉市招生考试办公室", "0933", "08"),
    CityRow("620900", "酒泉市招生考试办公室", "0937", "09"),
    CityRow("621000", "庆阳市招生考试办公室", "0934", "10"),
    CityRow("621100", "定西市招生考试办公室", "0932", "11"),
    CityRow("621200", "陇南市招生考试办公室", "0939", "12"),
    CityRow("622900", "临夏回族自治州招生考试办公室", "0930", "13"),
    CityRow("623000", "甘南藏族自治州招生考试办公室", "0941", "14"),
]

# Telephone numbers that are not generated from the pattern (seed 000's progress page).
OFFICE_PHONES = {"D620102": "0931-8888823"}


@dataclass(frozen=True)
class OfficeRow:
    code: str
    name: str
    region_code: str
    address: str
    phone: str
    parent_code: str | None


PROVINCE_AUTHORITY = OfficeRow("P62", "甘肃省教育考试院", "620000", "甘肃省兰州市城关区", "0931-8612345", None)

# 报名点: 专升本 candidates register through one (seed 004); self-study candidates may too.
REGISTRATION_POINTS = [
    OfficeRow("RP620101", "兰州职业技术学院报名点", "620103", "甘肃省兰州市七里河区", "0931-8501101", "C6201"),
    OfficeRow("RP620102", "甘肃建筑职业技术学院报名点", "620105", "甘肃省兰州市安宁区", "0931-8501102", "C6201"),
    OfficeRow("RP620501", "天水师范学院报名点", "620502", "甘肃省天水市秦州区", "0938-8501101", "C6205"),
    OfficeRow("RP620901", "酒泉职业技术学院报名点", "620902", "甘肃省酒泉市肃州区", "0937-8501101", "C6209"),
]

# 主考学校 (region = their district in 兰州; published campus addresses).
UNIVERSITIES = [
    OfficeRow("U10730", "兰州大学", "620102", "甘肃省兰州市城关区天水南路222号", "0931-8912001", "P62"),
    OfficeRow("U10736", "西北师范大学", "620105", "甘肃省兰州市安宁区安宁东路967号", "0931-7971001", "P62"),
    OfficeRow("U10731", "兰州理工大学", "620103", "甘肃省兰州市七里河区兰工坪路287号", "0931-2973001", "P62"),
    OfficeRow("U10741", "兰州财经大学", "620102", "甘肃省兰州市城关区段家滩路496号", "0931-4362001", "P62"),
    OfficeRow("U10742", "西北民族大学", "620102", "甘肃省兰州市城关区西北新村1号", "0931-2938001", "P62"),
]

# --- Staff -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    username: str
    real_name: str
    office_code: str
    role: str  # StaffMember.Role value
    title: str
    label: str  # what the login table calls this account


STAFF = [
    StaffRow("gs-admin", "王立新", "P62", "administrator", "系统管理员", "省级管理员（可进入基础数据维护）"),
    StaffRow("gs-reviewer", "李文静", "P62", "reviewer", "审核员", "省级审核员"),
    StaffRow("lz-city", "赵海军", "C6201", "reviewer", "审核员", "市考办审核员"),
    StaffRow("ts-city", "孙丽娟", "C6205", "reviewer", "审核员", "市考办审核员"),
    StaffRow("cg-district", "陈晓燕", "D620102", "reviewer", "审核员", "区县招办审核员"),
    StaffRow("qlh-district", "刘志刚", "D620103", "reviewer", "审核员", "区县招办审核员"),
    StaffRow("lz-area", "杨红梅", "EA6201", "reviewer", "审核员", "考区审核员"),
    StaffRow("lzzy-point", "马进福", "RP620101", "reviewer", "审核员", "报名点审核员"),
    StaffRow("lzu", "周建华", "U10730", "reviewer", "审核员", "主考学校审核员"),
    StaffRow("lut", "吴振宇", "U10731", "reviewer", "审核员", "主考学校审核员（实践考核成绩登记）"),
    StaffRow("nwnu", "郭晓峰", "U10736", "reviewer", "审核员", "主考学校（毕业论文答辩）、院校招生办（专升本退档）"),
]

# --- Candidates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamNumberRow:
    number: str  # 考区(2) 区县(2) 年(2) 月(2) 序号(4)
    exam_area_code: str
    major_name: str
    issued: str  # ISO date


@dataclass(frozen=True)
class CandidateRow:
    username: str  # stable key; candidates sign in with ID number, phone, 准考证号 or 考生号
    label: str
    real_name: str
    gender: str  # "M" / "F": the parity of the ID number's 17th digit
    birth: str  # YYYYMMDD
    id_region_code: str
    id_sequence: int  # 0–99; with the gender it makes the 3-digit sequence code
    phone: str
    district_code: str
    exam_type: str = "self_study"
    exam_numbers: tuple[ExamNumberRow, ...] = ()
    registration_point_code: str | None = None
    candidate_number: str | None = None
    email: str | None = None
    must_change_password: bool = False
    login_by: str = "id_number"  # which identifier the login table shows
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Imported from the old system: no password, no phone; activates through “我是在籍考生”.
    imported: bool = False
    # Identity verification already passed (so 建档 can be tried without uploading photos).
    identity_passed: bool = False


FEATURED_CANDIDATES = [
    CandidateRow(
        "demo-a", "自考·新注册（注册未建档）", "李梦瑶", "F", "20010516", "620102", 12, "13893100101", "620102",
    ),
    CandidateRow(
        "demo-b", "自考·在籍（一个准考证号）", "张浩然", "M", "19960923", "620102", 23, "15193100102", "620102",
        exam_numbers=(ExamNumberRow("010219100023", "EA6201", "汉语言文学", "2019-10-08"),),
        identity_passed=True,  # 考籍转入 and 报考 are shown only to a verified person
    ),
    CandidateRow(
        "demo-c", "自考·两个准考证号（登录后选择，待合档）", "王雅琴", "F", "19920308", "620103", 31,
        "18693100103", "620103",
        exam_numbers=(
            ExamNumberRow("010312040117", "EA6201", "会计学", "2012-04-09"),
            ExamNumberRow("010320100045", "EA6201", "行政管理", "2020-10-12"),
        ),
    ),
    CandidateRow(
        "demo-d", "自考·在籍（已绑定邮箱）", "赵子轩", "M", "19991102", "620502", 18, "13993800104", "620502",
        exam_numbers=(ExamNumberRow("050221040031", "EA6205", "计算机科学与技术", "2021-04-06"),),
        email="zhaozixuan.demo@example.com",
    ),
    CandidateRow(
        "demo-e", "专升本·报名点下发考生号（首次登录须改密码）", "陈思雨", "F", "20040719", "620102", 7,
        "15893100105", "620102", exam_type="upgrade", registration_point_code="RP620101",
        candidate_number="26620101130001", must_change_password=True, login_by="candidate_number",
    ),
    CandidateRow(
        "demo-f", "自考·在籍未激活（旧系统导入，走“我是在籍考生”）", "周晓东", "M", "19880614", "620104", 41, "",
        "620104", exam_numbers=(ExamNumberRow("010408100066", "EA6201", "法学", "2008-10-13"),), imported=True,
    ),
    CandidateRow(
        "demo-g", "自考·已通过身份认证，待建档", "刘欣然", "F", "20020311", "620102", 52, "13893100107", "620102",
        identity_passed=True,
    ),
    CandidateRow(  # a graduate (demo/gradcert.py): 毕业证明书申请 can be tried at once
        "demo-sun", "自考·已毕业（可申请毕业证明书）", "孙明远", "M", "19900817", "620102", 64, "13893100118",
        "620102", exam_numbers=(ExamNumberRow("010216040088", "EA6201", "行政管理", "2016-04-11"),),
    ),
    CandidateRow(  # every course of 行政管理 passed, 证件照 on file (demo/graduation.py): 毕业申请 end to end
        "demo-lin", "自考·课程全部合格（可申请毕业）", "林静怡", "F", "19950618", "620102", 73, "13893100128",
        "620102", exam_numbers=(ExamNumberRow("010215100073", "EA6201", "行政管理", "2015-10-12"),),
        identity_passed=True,
    ),
]

# Generated candidates (deterministic): enough for staff lists to have several pages.
GENERATED_COUNT = 48
GENERATED_SEED = 2027
# Districts they live in (spread over eight cities and prefectures).
GENERATED_DISTRICTS = [
    "620102", "620102", "620102", "620103", "620103", "620104", "620105", "620111", "620121", "620123",
    "620402", "620421", "620422", "620521", "620523", "620602", "620621", "620702", "620722", "620902",
    "620921", "621102", "621124", "622901", "622921",
]
# An ID number keeps the region code in force when it was issued at birth: 凉州区 (620602) exists
# only since 2001, so someone born there in 1990 carries an older code. Generated candidates whose
# district code is younger than they are get one of these codes (in force since 1983 or earlier).
OLDER_ID_REGION_CODES = ["620102", "620103", "620104", "620105", "620121", "620122", "620123", "622901"]
# 专升本 candidates come through a 报名点 of their own city.
REGISTRATION_POINT_BY_CITY = {"620100": ["RP620101", "RP620102"], "620500": ["RP620501"],
                              "620900": ["RP620901"]}
UPGRADE_YEAR = "26"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯董"
GIVEN_NAMES_M = ["浩宇", "子豪", "俊杰", "志强", "建军", "鹏飞", "文博", "天宇", "明轩", "嘉豪", "永强", "国栋",
                 "晓东", "宏伟", "振华", "海龙"]
GIVEN_NAMES_F = ["欣怡", "雨桐", "梓涵", "佳琪", "晓燕", "丽娟", "雅婷", "诗涵", "婉清", "静怡", "玉兰", "春梅",
                 "思彤", "梦婷", "若曦", "慧敏"]
MOBILE_PREFIXES = ["133", "135", "136", "138", "139", "150", "151", "153", "157", "158", "180", "186", "187",
                   "189"]
SELF_STUDY_MAJORS = ["汉语言文学", "行政管理", "会计学", "计算机科学与技术", "学前教育", "工商管理", "法学",
                     "人力资源管理", "护理学", "英语", "小学教育", "财务管理"]

# --- URLs the command prints -----------------------------------------------------------------
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
SITE_PATHS = [
    ("考生服务平台", "/"),
    ("查询服务（报考简章、专业计划、考试计划、教材）", "/catalog/"),
    ("工作人员登录（管理端）", "/backoffice/login/"),
    ("考试计划与专业（管理端，省级工作人员可修改）", "/backoffice/catalog/"),
    ("基础数据维护（省级管理员）", "/backoffice/admin/"),
    ("开发收件箱（短信、邮件）", "/dev/inbox/"),
]

# --- Catalog (考试计划与专业) ---------------------------------------------------------------------
# Course codes and names follow the national self-study catalogue where we know them; credits,
# textbooks (authors, publishers, editions), plans, the timetable and the fees are believable demo
# values, not an authority's published plan.


@dataclass(frozen=True)
class CourseRow:
    code: str
    name: str
    credits: int
    kind: str = "theory"  # Course.Kind value
    author: str = ""  # textbook (title = course name); no author and no publisher = no textbook
    publisher: str = ""
    edition: str = ""
    textbook_title: str = ""


_HEP, _PKU, _RUC, _FLTRP, _CMP = "高等教育出版社", "北京大学出版社", "中国人民大学出版社", "外语教学与研究出版社", "机械工业出版社"

COURSES = [
    # Public courses (公共课)
    CourseRow("03708", "中国近现代史纲要", 2, author="李捷、王顺生", publisher=_PKU, edition="2018年版"),
    CourseRow("03709", "马克思主义基本原理概论", 4, author="卫兴华、赵家祥", publisher=_PKU, edition="2018年版"),
    CourseRow("12656", "毛泽东思想和中国特色社会主义理论体系概论", 4, author="冯雅新", publisher=_PKU,
              edition="2023年版"),
    CourseRow("03706", "思想道德修养与法律基础", 2, author="刘瑞复、李毅红", publisher=_PKU, edition="2018年版"),
    CourseRow("00015", "英语（二）", 14, author="张敬源", publisher=_FLTRP, edition="2012年版"),
    CourseRow("00012", "英语（一）", 7, author="张敬源", publisher=_FLTRP, edition="2015年版"),
    # 汉语言文学
    CourseRow("00024", "普通逻辑", 4, author="杜国平", publisher=_HEP, edition="2018年版"),
    CourseRow("00037", "美学", 6, author="朱立元", publisher=_HEP, edition="2018年版"),
    CourseRow("00529", "文学概论（一）", 7, author="王一川", publisher=_HEP, edition="2011年版"),
    CourseRow("00535", "现代汉语", 6, author="齐沪扬", publisher=_HEP, edition="2020年版"),
    CourseRow("00536", "古代汉语", 6, author="王宁", publisher=_HEP, edition="2018年版"),
    CourseRow("00537", "中国现代文学史", 4, author="丁帆、朱晓进", publisher=_HEP, edition="2018年版"),
    CourseRow("00541", "语言学概论", 6, author="沈阳、贺阳", publisher=_HEP, edition="2015年版"),
    CourseRow("07042", "汉语言文学专业毕业论文", 8, kind="thesis"),
    # 行政管理
    CourseRow("00312", "政治学概论", 6, author="王邦佐", publisher=_HEP, edition="2008年版"),
    CourseRow("00318", "公共政策", 6, author="宁骚", publisher=_HEP, edition="2018年版"),
    CourseRow("00319", "行政组织理论", 4, author="倪星", publisher=_HEP, edition="2011年版"),
    CourseRow("00320", "领导科学", 4, author="黄强", publisher=_HEP, edition="2017年版"),
    CourseRow("00034", "社会学概论", 6, author="刘豪兴", publisher=_HEP, edition="2017年版"),
    CourseRow("01848", "公务员制度", 4, author="谢志勇", publisher=_HEP, edition="2019年版"),
    # 会计学
    CourseRow("00067", "财务管理学", 6, author="贾国军", publisher=_RUC, edition="2019年版"),
    CourseRow("00159", "高级财务会计", 6, author="傅荣", publisher=_RUC, edition="2019年版"),
    CourseRow("00160", "审计学", 6, author="丁瑞玲", publisher=_RUC, edition="2019年版"),
    CourseRow("00161", "财务报表分析（一）", 4, author="袁淳", publisher=_RUC, edition="2019年版"),
    CourseRow("04184", "线性代数（经管类）", 4, author="刘吉佑", publisher=_PKU, edition="2018年版"),
    CourseRow("00051", "管理系统中计算机应用", 3, author="杨一平", publisher=_PKU, edition="2018年版"),
    CourseRow("00052", "管理系统中计算机应用（实践）", 1, kind="practice"),
    # 计算机科学与技术
    CourseRow("02324", "离散数学", 4, author="辛运帏", publisher=_CMP, edition="2014年版"),
    CourseRow("02326", "操作系统", 4, author="陈向群", publisher=_CMP, edition="2017年版"),
    CourseRow("02331", "数据结构", 4, author="苏仕华", publisher=_CMP, edition="2012年版"),
    CourseRow("04735", "数据库系统原理", 4, author="王亚平", publisher=_CMP, edition="2018年版"),
    CourseRow("04741", "计算机网络原理", 4, author="李全龙", publisher=_CMP, edition="2018年版"),
    CourseRow("04747", "Java语言程序设计（一）", 3, author="辛运帏", publisher=_CMP, edition="2017年版"),
    CourseRow("04748", "Java语言程序设计（一）（实践）", 1, kind="practice"),
    # 法学
    CourseRow("00226", "知识产权法", 4, author="吴汉东", publisher=_PKU, edition="2019年版"),
    CourseRow("00230", "合同法", 4, author="傅鼎生", publisher=_PKU, edition="2019年版"),
    CourseRow("00247", "国际法", 6, author="黄瑶", publisher=_PKU, edition="2018年版"),
    CourseRow("00249", "国际私法", 5, author="蒋新苗", publisher=_PKU, edition="2018年版"),
    CourseRow("00261", "行政法学", 5, author="湛中乐", publisher=_PKU, edition="2018年版"),
    CourseRow("00262", "法律文书写作", 3, author="刘金华", publisher=_PKU, edition="2018年版"),
    # 学前教育（专科）
    CourseRow("00398", "学前教育原理", 6, author="韩映虹", publisher=_HEP, edition="2019年版"),
    CourseRow("00402", "学前教育史", 4, author="周采", publisher=_HEP, edition="2018年版"),
    CourseRow("00882", "学前教育心理学", 4, author="王振宇", publisher=_HEP, edition="2019年版"),
    CourseRow("00883", "学前特殊儿童教育", 4, author="周念丽", publisher=_HEP, edition="2019年版"),
    CourseRow("00385", "学前儿童卫生学", 4, author="顾荣芳", publisher=_HEP, edition="2019年版"),
    # 小学教育
    CourseRow("00466", "发展与教育心理学", 6, author="阴国恩", publisher=_HEP, edition="2018年版"),
    CourseRow("00467", "课程与教学论", 5, author="钟启泉", publisher=_HEP, edition="2018年版"),
    CourseRow("00469", "教育学原理", 6, author="柳海民", publisher=_HEP, edition="2018年版"),
    CourseRow("00472", "比较教育", 4, author="王英杰", publisher=_HEP, edition="2018年版"),
    # 人力资源管理
    CourseRow("00147", "人力资源管理（一）", 6, author="郑绍濂", publisher=_HEP, edition="2018年版"),
    CourseRow("00163", "管理心理学", 4, author="程正方", publisher=_HEP, edition="2018年版"),
    CourseRow("00167", "劳动法", 4, author="郭捷", publisher=_PKU, edition="2018年版"),
    CourseRow("06091", "薪酬管理", 6, author="刘昕", publisher=_RUC, edition="2019年版"),
]


@dataclass(frozen=True)
class MajorRow:
    code: str
    name: str
    level: str  # Major.Level value
    university_code: str
    plan: tuple[str, ...]  # required courses, in order
    electives: tuple[str, ...] = ()
    elective_group: str = "选考课程（任选一门）"
    status: str = "open"
    transition_ends_on: str | None = None
    description: str = ""


_PUBLIC_BACHELOR = ("03708", "03709", "00015")
_PUBLIC_JUNIOR = ("12656", "03706", "00012")

MAJORS = [
    MajorRow("050105", "汉语言文学", "bachelor", "U10736",
             _PUBLIC_BACHELOR + ("00024", "00037", "00529", "00535", "00536", "00537", "00541", "07042"),
             description="培养具有汉语言文学基础理论、基本知识和写作能力的专门人才。\n\n"
                         "毕业须合格课程门数和学分达到专业计划要求，毕业论文合格。"),
    MajorRow("120402", "行政管理", "bachelor", "U10730",
             _PUBLIC_BACHELOR + ("00312", "00318", "00319", "00320", "00034"), electives=("01848", "00024"),
             description="面向党政机关、事业单位的行政管理专业人才培养。"),
    MajorRow("120203K", "会计学", "bachelor", "U10741",
             _PUBLIC_BACHELOR + ("00067", "00159", "00160", "00161", "04184", "00051", "00052"),
             description="培养掌握会计、审计和财务管理知识的应用型人才。"),
    MajorRow("080901", "计算机科学与技术", "bachelor", "U10731",
             _PUBLIC_BACHELOR + ("02324", "02326", "02331", "04735", "04741", "04747", "04748"),
             description="计算机系统、软件与网络方向的应用型人才培养。"),
    MajorRow("030101K", "法学", "bachelor", "U10730",
             _PUBLIC_BACHELOR + ("00226", "00230", "00247", "00249", "00261"), electives=("00262", "00167"),
             description="培养掌握法学基本理论和法律实务技能的专门人才。"),
    MajorRow("570102K", "学前教育", "junior_college", "U10736",
             _PUBLIC_JUNIOR + ("00398", "00402", "00882", "00883", "00385"),
             description="专科层次，面向幼儿园教师和保育工作者。"),
    MajorRow("040107", "小学教育", "bachelor", "U10736",
             _PUBLIC_BACHELOR + ("00466", "00467", "00469", "00472")),
    MajorRow("120206", "人力资源管理", "bachelor", "U10741",
             _PUBLIC_BACHELOR + ("00147", "00163", "00167", "06091"), status="transition",
             transition_ends_on="2028-12-31",
             description="本专业处于停考过渡期：自即日起不再接收新生报考，在籍考生可继续报考至过渡期截止。"),
]

# The current sitting and its timetable (two days, four half-days).
SITTING_CODE, SITTING_NAME = "2027-04", "2027年4月"
SCORE_PUBLICATION_AT = "2027-05-10T10:00"
SESSION_TIMES = {"am": ("09:00", "11:30"), "pm": ("14:30", "17:00")}
TIMETABLE = [
    ("2027-04-10", "am", ("03709", "00024", "00312", "00067", "02324", "00230", "00398", "00472", "00163")),
    ("2027-04-10", "pm", ("00015", "00012", "00535", "00318", "00160", "04741", "00261", "00402", "00466")),
    ("2027-04-11", "am", ("03708", "00529", "00320", "00159", "02331", "00247", "00882", "00469", "06091")),
    ("2027-04-11", "pm", ("12656", "03706", "00537", "00147", "04184", "04735", "00226", "00467", "01848")),
]
FEE_PER_COURSE = "30.00"  # 元/科 — a demo value


@dataclass(frozen=True)
class WindowRow:
    kind: str  # BusinessWindow.Kind value
    starts: str  # "today-7 09:00" (days relative to the seeding day) or "2027-04-03 09:00"
    ends: str
    in_sitting: bool = True
    exam_area_code: str | None = None
    note: str = ""
    sitting_code: str | None = None  # another sitting than the current demo one (e.g. PAST_SITTING_CODE)


# Times relative to the day the demo is seeded (Beijing time), so that 报考 is open on a fresh demo;
# rows are only created when missing (`seed_demo --reset` recomputes them).
WINDOWS = [
    WindowRow("course_registration", "today-7 09:00", "today+14 17:00"),
    WindowRow("course_registration", "today-7 09:00", "today+16 17:00", exam_area_code="EA6230",
              note="甘南州考区报考时间延长两天（演示考区单独设置）"),
    WindowRow("refund", "today-7 09:00", "today+14 17:00"),
    WindowRow("exemption", "today-3 09:00", "today+20 17:00"),
    WindowRow("practice_registration", "today-3 09:00", "today+20 17:00"),
    WindowRow("thesis", "today-3 09:00", "today+20 17:00"),
    WindowRow("transfer_within_province", "today-3 09:00", "today+20 17:00"),
    WindowRow("transfer_out", "today-3 09:00", "today+20 17:00"),
    WindowRow("transfer_in", "today-3 09:00", "today+20 17:00"),
    WindowRow("ticket_print", "2027-04-03 09:00", "2027-04-11 17:00"),
    WindowRow("score_review", "2027-05-10 10:00", "2027-05-14 17:00"),
    WindowRow("score_review", "today-2 09:00", "today+10 17:00", sitting_code="2026-10",
              note="2026年10月考试成绩复核（演示）"),
    WindowRow("filing", "today-30 09:00", "today+60 17:00", in_sitting=False),
    WindowRow("graduation", "today-3 09:00", "today+20 17:00", in_sitting=False),
]


@dataclass(frozen=True)
class ExemptionRuleRow:
    kind: str  # ExemptionRule.Kind value
    certificate: str
    major_code: str
    courses: tuple[str, ...]  # course codes of the major's plan
    note: str = ""


# 免考规则 (管理端 › 免考规则) for the demo majors — believable demo values, not an authority's published
# rules. With the 免考 window above open, 张浩然 (汉语言文学, 010219100023) can ask at once for 文学概论（一）
# (专科学历), the one theory course he has not passed (demo/theses.py).
EXEMPTION_RULES = [
    ExemptionRuleRow("academic", "汉语言文学（中文）类专业专科及以上学历", "050105", ("00529", "00535"),
                     note="已取得国家承认的汉语言文学类专业专科及以上学历"),
    ExemptionRuleRow("academic", "会计类专业专科及以上学历", "120203K", ("00067", "00161")),
    ExemptionRuleRow("academic", "计算机类专业专科及以上学历", "080901", ("02324", "04747")),
    *(ExemptionRuleRow("non_academic", "全国大学英语四级（CET-4）425分及以上", code, ("00015",))
      for code in ("050105", "120402", "120203K", "080901", "030101K")),
]


@dataclass(frozen=True)
class AnnouncementRow:
    title: str
    category: str  # Announcement.Category value
    published: str  # "today-8 10:00"
    body: str  # may name {registration_period}, {ticket_period}, {hotline}
    in_sitting: bool = False


ANNOUNCEMENTS = [
    AnnouncementRow(
        "甘肃省2027年上半年高等教育自学考试报考简章", "guide", "today-10 09:00", in_sitting=True, body="""\
## 一、报考对象

中华人民共和国公民，不受性别、年龄、民族、种族和已受教育程度的限制，均可报考。

## 二、报考时间

- 网上报考及缴费：{registration_period}
- 准考证打印：{ticket_period}

报考时间截止前，考生可以修改报考课程和报考考区；报考时间截止后不可再修改，以报考时间内最后一次提交的报考信息为准。

## 三、报考流程

- 注册账号，完成身份认证和基本信息填报（建档），等待考区审核。
- 审核通过后，在报考时间内选择报考考区、专业和课程。跨专业报考的，点击“显示全部开考课程”选择其他专业的开考课程。
- 在线缴纳报考费（演示标准：每科 30 元），缴费成功即报考成功。

## 四、注意事项

处于停考过渡期的专业不接收新生报考。同一时段只能报考一门课程。

咨询电话：{hotline}（以上内容为演示数据）""",
    ),
    AnnouncementRow(
        "关于做好2027年4月高等教育自学考试网上报考工作的通知", "notice", "today-8 10:00", in_sitting=True, body="""\
各市（州）招生考试机构、各考区：

2027年4月高等教育自学考试网上报考定于{registration_period}进行。请各考区做好报考宣传、新生建档审核和考生咨询工作。

考生报考、缴费均在网上完成，不设现场报考。（演示数据）""",
    ),
    AnnouncementRow(
        "甘肃省高等教育自学考试报考须知", "instructions", "today-30 09:00", body="""\
- 报考信息必须由考生本人填写，不得委托他人或机构代替报名报考，以免因错报而无法参加考试。
- “报考考区”即实际考试地点，请根据工作、生活所在地选择。
- 处于停考过渡期的专业不接收新生报考。
- 在报考时间截止前可以修改报考信息，截止后不可再修改。

（演示数据）""",
    ),
    AnnouncementRow(
        "关于人力资源管理（本科）专业停考过渡期安排的公告", "policy", "today-45 09:00", body="""\
经研究，人力资源管理（本科，专业代码 120206）专业自即日起进入停考过渡期，不再接收新生报考。

已取得该专业准考证号的在籍考生可继续报考，过渡期截止日期为2028年12月31日。（演示数据）""",
    ),
    AnnouncementRow(
        "甘肃省高等教育自学考试考场规则", "exam_rules", "today-10 09:00", in_sitting=True, body="""一、考生凭准考证和有效居民身份证原件参加考试，按准考证上的考点、考场和座位号就座，将证件放在桌面左上角。
二、考生须在开考前30分钟入场，开考15分钟后不得入场；开考60分钟后方可交卷离场。
三、除黑色字迹签字笔、2B铅笔、橡皮等规定文具外，不得携带手机、智能手表等电子设备及书籍、资料进入考场。
四、考生须在答题卡规定位置准确填写姓名、准考证号，在规定区域作答，超出区域的答案无效。
五、考试结束铃响，立即停止答题，将试卷和答题卡按要求放在桌面上，待监考员收齐后方可离场。
六、违反考场规则者，按《国家教育考试违规处理办法》处理。（演示数据）""",
    ),
]


# --- Exam operations (kaowu/demo/operations.py) -------------------------------------------------
# 考点 and 考场 of the exam areas that have paid registrations in the demo sitting: two sites per
# area, rooms of 30 seats (at least ROOMS_PER_SITE per site, more when a session needs them). The
# names and addresses are fictional. 考场编排 is left to the staff (管理端 › 考场编排).
ROOM_CAPACITY = 30
ROOMS_PER_SITE = 3
EXAM_SITES = {
    "EA6201": (("01", "兰州市第五十八中学考点", "甘肃省兰州市城关区雁滩路2188号"),
               ("02", "兰州市七里河区实验中学考点", "甘肃省兰州市七里河区西津西路516号")),
    "EA6204": (("01", "白银市第九中学考点", "甘肃省白银市白银区人民路318号"),
               ("02", "白银市平川区育才中学考点", "甘肃省白银市平川区兴平路85号")),
    "EA6205": (("01", "天水市第十六中学考点", "甘肃省天水市秦州区藉河南路96号"),
               ("02", "天水市麦积区东方红中学考点", "甘肃省天水市麦积区渭滨北路221号")),
    "EA6206": (("01", "武威市凉州区第十五中学考点", "甘肃省武威市凉州区海藏路67号"),
               ("02", "武威市新城区实验学校考点", "甘肃省武威市凉州区天马大道1号")),
    "EA6207": (("01", "张掖市甘州区第七中学考点", "甘肃省张掖市甘州区县府南街152号"),
               ("02", "张掖市滨河新区育英中学考点", "甘肃省张掖市甘州区滨河大道309号")),
    "EA6209": (("01", "酒泉市肃州区第八中学考点", "甘肃省酒泉市肃州区富康路74号"),
               ("02", "酒泉市北大河实验学校考点", "甘肃省酒泉市肃州区北大河西路12号")),
    "EA6211": (("01", "定西市安定区第六中学考点", "甘肃省定西市安定区永定西路205号"),
               ("02", "定西市陇西县文峰中学考点", "甘肃省定西市陇西县文峰大道88号")),
    "EA6229": (("01", "临夏市第五中学考点", "甘肃省临夏回族自治州临夏市团结路136号"),
               ("02", "临夏州积石山县民族中学考点", "甘肃省临夏回族自治州积石山县吹麻滩镇光明路9号")),
}

# A past sitting whose scores are published, with its 成绩复核 window open (WINDOWS above). The
# publication time is relative to the seeding day so that it is always in the past.
PAST_SITTING_CODE, PAST_SITTING_NAME = "2026-10", "2026年10月"
PAST_SCORE_PUBLICATION_AT = "today-17 10:00"
PAST_SCORE_IMPORT_NAME = "2026年10月自学考试成绩（演示数据）.csv"
# 张浩然's results (demo-b, 010219100023, 汉语言文学): four passes, one 缺考 ("absent"). With his earlier
# passes (demo/theses.py) 文学概论（一） is the one theory course he lacks: 毕业论文答辩申请 is open to him.
PAST_SCORES = {
    "010219100023": (("03708", "78.5"), ("03709", "66.0"), ("00024", "81.0"), ("00535", "61.5"), ("00529", "absent")),
}
# Generated candidates of 兰州市考区 (one 准考证号 each, by username) who sat the past sitting too:
# the first PAST_SCORED_GENERATED of them; their courses and scores are drawn per person.
PAST_SCORED_GENERATED = 6

# Applications waiting in the staff queues, made with the public services for two generated
# candidates of 兰州市考区 (not the featured ones, whose flows a demo person tries themselves):
# 省内转考 submitted (待兰州市教育考试院 审核) and 考籍转出 saved (待缴费).
TRANSFER_WITHIN = {"to_city": "620500", "reason": "工作调动至天水市，需在天水市参加考试"}
TRANSFER_OUT = {"to_province": "140000", "contact_phone": "0351-8123456"}
