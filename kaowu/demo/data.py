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
    ("工作人员登录（管理端）", "/backoffice/login/"),
    ("基础数据维护（省级管理员）", "/backoffice/admin/"),
    ("开发收件箱（短信、邮件）", "/dev/inbox/"),
]
