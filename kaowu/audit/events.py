"""Every kind of audit row (as Zulip's AuditLogEventType): `audit_record(action=AuditAction.X)` accepts
only these, so a typo cannot invent a new action, and the audit log names each in Chinese. Values are
the `AuditEvent.action` strings stored since the first release; add a member (with its label) for a new
action."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class AuditAction(TextChoices):
    ACCOUNT_EMAIL_BIND = "account.email_bind", _("绑定电子邮箱")
    ACCOUNT_EMAIL_LINK_SEND = "account.email_link_send", _("发送邮箱绑定链接")
    ACCOUNT_EMAIL_UNBIND = "account.email_unbind", _("解绑电子邮箱")
    ACCOUNT_PASSWORD_CHANGE = "account.password_change", _("修改密码")
    ACCOUNT_PASSWORD_RESET = "account.password_reset", _("找回密码（重设密码）")
    ACCOUNT_PHONE_APPEAL_REPLACE = "account.phone_appeal_replace", _("申诉更换手机号")
    ACCOUNT_PHONE_CHANGE = "account.phone_change", _("更换绑定手机号")
    ACCOUNT_SESSIONS_END_OTHERS = "account.sessions_end_others", _("退出其他设备的登录")
    ACCOUNT_WECHAT_BIND = "account.wechat_bind", _("绑定微信")
    ACCOUNT_WECHAT_LOGIN = "account.wechat_login", _("微信扫码登录")
    ACCOUNT_WECHAT_UNBIND = "account.wechat_unbind", _("解绑微信")

    ADMIN_ADD = "admin.add", _("基础数据维护：新增")
    ADMIN_CHANGE = "admin.change", _("基础数据维护：修改")
    ADMIN_DELETE = "admin.delete", _("基础数据维护：删除")

    APPEAL_FACE_CHECK_RESULT = "appeal.face_check_result", _("人脸核验结果（手机号申诉）")
    APPEAL_FACE_CHECK_START = "appeal.face_check_start", _("发起人脸核验（手机号申诉）")

    APPLICATION_ADVANCED = "application.advanced", _("申请办理")
    APPLICATION_APPROVED = "application.approved", _("申请审核通过")
    APPLICATION_CONFIRMED = "application.confirmed", _("考生网上确认")
    APPLICATION_DELETED = "application.deleted", _("删除申请")
    APPLICATION_DISPUTED = "application.disputed", _("考生确认信息有误（修改重新提交）")
    APPLICATION_DRAFT_SAVED = "application.draft_saved", _("保存申请草稿")
    APPLICATION_EXPORT = "application.export", _("导出申请审核列表")
    APPLICATION_LIST = "application.list", _("查询申请审核列表")
    APPLICATION_REJECTED = "application.rejected", _("申请审核未通过")
    APPLICATION_RETURNED = "application.returned", _("申请退回修改")
    APPLICATION_SCORE_REVIEW_RESULT = "application.score_review_result", _("成绩复核办结")
    APPLICATION_SUBMITTED = "application.submitted", _("提交申请")
    APPLICATION_THESIS_ACCEPTED = "application.thesis_accepted", _("毕业论文答辩申请审核通过（待答辩）")
    APPLICATION_THESIS_RESULT = "application.thesis_result", _("登记毕业论文答辩结果")
    APPLICATION_WITHDRAWN = "application.withdrawn", _("撤回申请")

    AUDIT_PII_ACCESS_EXPORTED = "audit.pii_access_exported", _("导出敏感信息访问记录")
    AUDIT_PII_ACCESS_VIEWED = "audit.pii_access_viewed", _("查看敏感信息访问记录")

    CANDIDATE_EXAM_NUMBERS_MERGED = "candidate.exam_numbers_merged", _("合档")
    CANDIDATE_ID_NUMBER_CORRECTED = "candidate.id_number_corrected", _("身份证号更正")
    CANDIDATE_LIST = "candidate.list", _("查询考生列表")
    CANDIDATE_VIEW = "candidate.view", _("查看考生信息")

    CATALOG_ANNOUNCEMENT_CREATED = "catalog.announcement.created", _("通知公告：新增")
    CATALOG_ANNOUNCEMENT_DELETED = "catalog.announcement.deleted", _("通知公告：删除")
    CATALOG_ANNOUNCEMENT_UPDATED = "catalog.announcement.updated", _("通知公告：修改")
    CATALOG_COURSE_CREATED = "catalog.course.created", _("考试计划：新增课程")
    CATALOG_COURSE_UPDATED = "catalog.course.updated", _("考试计划：修改课程")
    CATALOG_IMPORT_COURSES = "catalog.import.courses", _("考试计划：导入课程与教材")
    CATALOG_IMPORT_MAJORS = "catalog.import.majors", _("考试计划：导入专业与专业计划")
    CATALOG_IMPORT_TIMETABLE = "catalog.import.timetable", _("考试计划：导入课程考试安排")
    CATALOG_MAJOR_CREATED = "catalog.major.created", _("考试计划：新增专业")
    CATALOG_MAJOR_UPDATED = "catalog.major.updated", _("考试计划：修改专业")
    CATALOG_PLAN_COURSE_CREATED = "catalog.plan_course.created", _("考试计划：专业计划增加课程")
    CATALOG_PLAN_COURSE_DELETED = "catalog.plan_course.deleted", _("考试计划：专业计划移除课程")
    CATALOG_PLAN_COURSE_UPDATED = "catalog.plan_course.updated", _("考试计划：修改专业计划课程")
    CATALOG_SESSION_CREATED = "catalog.session.created", _("考试计划：新增考试场次")
    CATALOG_SESSION_DELETED = "catalog.session.deleted", _("考试计划：删除考试场次")
    CATALOG_SESSION_UPDATED = "catalog.session.updated", _("考试计划：修改考试场次")
    CATALOG_SITTING_CREATED = "catalog.sitting.created", _("考试计划：新增考期")
    CATALOG_SITTING_EXAM_AREAS_SET = "catalog.sitting.exam_areas_set", _("考试计划：设置开考考区")
    CATALOG_SITTING_UPDATED = "catalog.sitting.updated", _("考试计划：修改考期")
    CATALOG_SITTING_COURSE_CREATED = "catalog.sitting_course.created", _("考试计划：新增开考课程")
    CATALOG_SITTING_COURSE_DELETED = "catalog.sitting_course.deleted", _("考试计划：移除开考课程")
    CATALOG_SITTING_COURSE_UPDATED = "catalog.sitting_course.updated", _("考试计划：修改开考课程")
    CATALOG_WINDOW_CREATED = "catalog.window.created", _("考试计划：新增业务时间")
    CATALOG_WINDOW_DELETED = "catalog.window.deleted", _("考试计划：删除业务时间")
    CATALOG_WINDOW_UPDATED = "catalog.window.updated", _("考试计划：修改业务时间")

    DOCUMENTS_TICKET_BATCH_DOWNLOADED = "documents.ticket_batch_downloaded", _("下载批量准考证")
    DOCUMENTS_TICKET_BATCH_REQUESTED = "documents.ticket_batch_requested", _("批量生成准考证")
    DOCUMENTS_TICKET_VERIFIED = "documents.ticket_verified", _("扫码核验准考证")

    EXEMPTION_RULE_CREATED = "exemption.rule.created", _("免考规则：新增")
    EXEMPTION_RULE_DELETED = "exemption.rule.deleted", _("免考规则：删除")
    EXEMPTION_RULE_UPDATED = "exemption.rule.updated", _("免考规则：修改")
    EXEMPTION_RULES_EXPORTED = "exemption.rules.exported", _("免考规则：导出")
    EXEMPTION_RULES_IMPORTED = "exemption.rules.imported", _("免考规则：导入")

    EXAMS_ARRANGEMENT_REQUESTED = "exams.arrangement_requested", _("考场编排")
    EXAMS_ROOM_CHANGED = "exams.room_changed", _("修改考场")
    EXAMS_ROOM_CREATED = "exams.room_created", _("新增考场")
    EXAMS_ROOM_LIST_PRINTED = "exams.room_list_printed", _("打印考场名单")
    EXAMS_SITE_CHANGED = "exams.site_changed", _("修改考点")
    EXAMS_SITE_CREATED = "exams.site_created", _("新增考点")

    FILING_REVIEWED = "filing.reviewed", _("建档审核")
    FILING_SUBMITTED = "filing.submitted", _("提交基本信息（建档）")

    GRADUATION_ELIGIBILITY_EXPORTED = "graduation.eligibility_exported", _("导出毕业资格初审结果")
    GRADUATION_ELIGIBILITY_REQUESTED = "graduation.eligibility_requested", _("毕业资格初审")
    GRADUATION_ELIGIBILITY_AUTOSTARTED = "graduation.eligibility_autostarted", _("毕业申请开始时自动进行毕业资格初审")
    GRADUATION_STATISTICS_EXPORTED = "graduation.statistics_exported", _("导出毕业统计")
    GRADUATION_GRADUATE_REGISTERED = "graduation.graduate_registered", _("毕业登记（颁发毕业证书编号）")

    IDENTITY_CONSENT = "identity.consent", _("同意人脸信息处理")
    IDENTITY_CONSENT_WITHDRAWN = "identity.consent_withdrawn", _("撤回人脸信息处理同意")
    IDENTITY_MANUAL_REVIEW_REQUESTED = "identity.manual_review_requested", _("申请身份认证人工审核")
    IDENTITY_PHOTO_UPLOADED = "identity.photo_uploaded", _("上传身份认证照片")
    IDENTITY_REGISTRY_CHECKED = "identity.registry_checked", _("身份信息联网核查")
    IDENTITY_REVIEWED = "identity.reviewed", _("身份认证人工审核")
    IDENTITY_SUBMITTED = "identity.submitted", _("提交身份验证")

    PAYMENTS_ISSUE_RESOLVED = "payments.issue_resolved", _("处理对账差错")
    PAYMENTS_ORDER_VIEWED = "payments.order_viewed", _("查看订单")
    PAYMENTS_RECONCILIATION_RUN = "payments.reconciliation_run", _("对账")
    PAYMENTS_REFUND_APPROVED = "payments.refund_approved", _("退款审核通过")
    PAYMENTS_REFUND_REJECTED = "payments.refund_rejected", _("退款审核不通过")
    PAYMENTS_REFUND_REQUESTED = "payments.refund_requested", _("申请退款")
    PAYMENTS_REFUND_RETRIED = "payments.refund_retried", _("重新发起退款")

    PII_VIEW = "pii.view", _("查看完整身份证号/手机号")

    PRACTICAL_LIST = "practical.list", _("查询实践性环节报名名单")
    PRACTICAL_LIST_EXPORTED = "practical.list_exported", _("导出实践性环节报名名单")
    PRACTICAL_RESULT_RECORDED = "practical.result_recorded", _("登记实践考核成绩")
    PRACTICAL_RESULTS_IMPORTED = "practical.results_imported", _("导入实践考核成绩")

    RECORDS_SCORE_REVIEW_FORM_DOWNLOADED = "records.score_review_form_downloaded", _("下载成绩复核申请表")
    RECORDS_SCORE_REVIEWED = "records.score_reviewed", _("登记成绩复核结果")
    RECORDS_SCORES_IMPORTED = "records.scores_imported", _("成绩导入")

    REGISTRATION_STATISTICS_EXPORTED = "registration.statistics_exported", _("导出报考统计")

    STAFF_LOGIN = "staff.login", _("工作人员登录")
    STAFF_LOGIN_REFUSED = "staff.login.refused", _("拒绝登录（未分配岗位或机构已停用）")

    TRANSFER_IN_CONFIRMED = "transfer_in.confirmed", _("确认考籍转入")
    TRANSFER_IN_ENTERED = "transfer_in.entered", _("录入纸质转入档案")
    TRANSFER_IN_IMPORT_REFUSED = "transfer_in.import_refused", _("拒绝导入电子转考数据包")
    TRANSFER_IN_IMPORTED = "transfer_in.imported", _("导入电子转考数据包")
    TRANSFER_IN_LIST = "transfer_in.list", _("查询考籍转入列表")
    TRANSFER_IN_RECEIVED = "transfer_in.received", _("接收考籍转入档案")
    TRANSFER_IN_VIEW = "transfer_in.view", _("查看考籍转入")
    TRANSFER_IN_VOIDED = "transfer_in.voided", _("作废考籍转入")

    TRANSFER_OUT_FORM_DOWNLOADED = "transfer_out.form_downloaded", _("下载考籍转出登记表")
    TRANSFER_OUT_PACKAGE_DOWNLOADED = "transfer_out.package_downloaded", _("下载电子转考数据包")
    TRANSFER_OUT_PACKAGE_EXPORTED = "transfer_out.package_exported", _("导出电子转考数据包（电子寄档）")

    UPGRADE_ADMISSION_REJECTED = "upgrade.admission_rejected", _("专升本退档")
    UPGRADE_ADMISSION_RUN = "upgrade.admission_run", _("专升本投档")
    UPGRADE_DATA_REPORTED = "upgrade.data_reported", _("专升本数据上报")
    UPGRADE_DATA_UNLOCKED = "upgrade.data_unlocked", _("解锁专升本上报数据")
    UPGRADE_QUALIFICATION_DECIDED = "upgrade.qualification_decided", _("专升本报考资格审核")
    UPGRADE_SCORES_IMPORTED = "upgrade.scores_imported", _("导入专升本成绩")
    UPGRADE_SUPPLEMENTARY_OPENED = "upgrade.supplementary_opened", _("开放专升本征集志愿")
    UPGRADE_SUPPLEMENTARY_RUN = "upgrade.supplementary_run", _("专升本征集志愿投档")
