"""Code tables of the 基本信息 form (national standards where there is one).

The Chinese names are what is stored; gettext_noop marks them for the catalogue, and as_choices
gives each a label in the reader's language."""

from django.utils.translation import gettext_lazy, gettext_noop

# GB 3304 民族, in the standard's order.
NATIONS = [
    gettext_noop("汉族"), gettext_noop("蒙古族"), gettext_noop("回族"), gettext_noop("藏族"), gettext_noop("维吾尔族"),
    gettext_noop("苗族"), gettext_noop("彝族"), gettext_noop("壮族"), gettext_noop("布依族"), gettext_noop("朝鲜族"),
    gettext_noop("满族"), gettext_noop("侗族"), gettext_noop("瑶族"), gettext_noop("白族"), gettext_noop("土家族"),
    gettext_noop("哈尼族"), gettext_noop("哈萨克族"), gettext_noop("傣族"), gettext_noop("黎族"), gettext_noop("傈僳族"),
    gettext_noop("佤族"), gettext_noop("畲族"), gettext_noop("高山族"), gettext_noop("拉祜族"), gettext_noop("水族"),
    gettext_noop("东乡族"), gettext_noop("纳西族"), gettext_noop("景颇族"), gettext_noop("柯尔克孜族"), gettext_noop("土族"),
    gettext_noop("达斡尔族"), gettext_noop("仫佬族"), gettext_noop("羌族"), gettext_noop("布朗族"), gettext_noop("撒拉族"),
    gettext_noop("毛南族"), gettext_noop("仡佬族"), gettext_noop("锡伯族"), gettext_noop("阿昌族"), gettext_noop("普米族"),
    gettext_noop("塔吉克族"), gettext_noop("怒族"), gettext_noop("乌孜别克族"), gettext_noop("俄罗斯族"),
    gettext_noop("鄂温克族"), gettext_noop("德昂族"), gettext_noop("保安族"), gettext_noop("裕固族"), gettext_noop("京族"),
    gettext_noop("塔塔尔族"), gettext_noop("独龙族"), gettext_noop("鄂伦春族"), gettext_noop("赫哲族"), gettext_noop("门巴族"),
    gettext_noop("珞巴族"), gettext_noop("基诺族"), gettext_noop("其他"), gettext_noop("外国血统中国籍人士"),
]

# GB/T 4762 政治面貌.
POLITICAL_STATUSES = [
    gettext_noop("中共党员"), gettext_noop("中共预备党员"), gettext_noop("共青团员"), gettext_noop("民革党员"),
    gettext_noop("民盟盟员"), gettext_noop("民建会员"), gettext_noop("民进会员"), gettext_noop("农工党党员"),
    gettext_noop("致公党党员"), gettext_noop("九三学社社员"), gettext_noop("台盟盟员"), gettext_noop("无党派人士"),
    gettext_noop("群众"),
]

EDUCATION_LEVELS = [
    gettext_noop("研究生"), gettext_noop("大学本科"), gettext_noop("大学专科"), gettext_noop("中等专科"),
    gettext_noop("职业高中"), gettext_noop("技工学校"), gettext_noop("普通高中"), gettext_noop("初中"), gettext_noop("小学"),
    gettext_noop("其他"),
]

OCCUPATIONS = [
    gettext_noop("国家机关、党群组织、企业、事业单位负责人"), gettext_noop("专业技术人员"), gettext_noop("办事人员和有关人员"),
    gettext_noop("商业、服务业人员"), gettext_noop("农、林、牧、渔、水利业生产人员"), gettext_noop("生产、运输设备操作人员及有关人员"),
    gettext_noop("军人"), gettext_noop("学生"), gettext_noop("待业"), gettext_noop("其他"),
]

HOUSEHOLD_TYPES = [
    gettext_noop("城镇"), gettext_noop("农村"),
]


def as_choices(values: list[str]) -> list[tuple[str, str]]:
    return [(v, gettext_lazy(v)) for v in values]
