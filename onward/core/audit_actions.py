"""Every action the audit trail records, with what it means in plain words.

`audit_record` accepts only these members. The values are the codes stored on each event (and in the
subject access export); staff read the label on the audit trail page. To audit something new, add a
member here with its meaning; `onward/audit/tests/test_actions_in_code.py` fails for an action passed
any other way. Reading a record for a task is its own action (`person.view_for_release`), so the trail
says why a record was opened. The list lives in core, the lowest layer, because every app records
actions, core's admin pages and retention job included; it imports nothing from any app.
"""

import enum

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


@enum.unique
class AuditAction(TextChoices):
    # --- Accounts and sign-in -------------------------------------------------------------------
    ACCOUNT_ACCESS_ENDED = "account.access_ended", _("Ended every sign-in of a person whose supervision ended")
    ACCOUNT_ACTIVATED = "account.activated", _("Activated their account")
    ACCOUNT_ACTIVATION_CODE_ISSUED = "account.activation_code_issued", _("Issued an activation code")
    ACCOUNT_DEVICE_TOKEN_CREATED = "account.device_token_created", _("Added a device to their account")
    ACCOUNT_DEVICE_TOKEN_REVOKED = "account.device_token_revoked", _("Removed a device from an account")
    ACCOUNT_AUTHENTICATOR_SET_UP = "account.authenticator_set_up", _("Set up their authenticator app")
    ACCOUNT_AUTHENTICATOR_ENROLMENT_ISSUED = (
        "account.authenticator_enrolment_issued",
        _("Issued a code to set up a staff member's authenticator app"),
    )
    ACCOUNT_PIN_LOCKED = "account.pin_locked", _("PIN locked after too many wrong tries")
    ACCOUNT_PIN_RESET = "account.pin_reset", _("Reset a person's PIN")
    ACCOUNT_PIN_SET = "account.pin_set", _("Set a person's first PIN")
    ACCOUNT_STAFF_ROLES_CHANGED = "account.staff_roles_changed", _("Changed a staff member's roles")
    ACCOUNT_STAFF_UNLOCKED = "account.staff_unlocked", _("Unlocked a staff member's sign-in")
    ACCOUNT_STAFF_SELF_UNLOCKED = (
        "account.staff_self_unlocked",
        _("Unlocked their own sign-in with their password and authenticator code"),
    )

    # --- The admin site -------------------------------------------------------------------------
    ADMIN_ORGUNIT_ADDED = "admin.orgunit.added", _("Added an organisation unit")
    ADMIN_ORGUNIT_CHANGED = "admin.orgunit.changed", _("Changed an organisation unit")
    ADMIN_ORGUNIT_DELETED = "admin.orgunit.deleted", _("Deleted an organisation unit")
    ADMIN_DEPARTMENT_ADDED = "admin.department.added", _("Added a department that answers requests")
    ADMIN_DEPARTMENT_CHANGED = (
        "admin.department.changed",
        _("Changed a department that answers requests"),
    )
    ADMIN_DEPARTMENT_DELETED = (
        "admin.department.deleted",
        _("Deleted a department that answers requests"),
    )
    ADMIN_REQUESTTYPE_ADDED = "admin.requesttype.added", _("Added where a kind of request goes")
    ADMIN_REQUESTTYPE_CHANGED = "admin.requesttype.changed", _("Changed where a kind of request goes")
    ADMIN_REQUESTTYPE_DELETED = "admin.requesttype.deleted", _("Deleted where a kind of request goes")
    ADMIN_UNITCOST_ADDED = "admin.unitcost.added", _("Added a published cost per person per day")
    ADMIN_UNITCOST_CHANGED = "admin.unitcost.changed", _("Changed a published cost per person per day")
    ADMIN_UNITCOST_DELETED = "admin.unitcost.deleted", _("Deleted a published cost per person per day")
    ADMIN_USER_ADDED = "admin.user.added", _("Added a staff account")
    ADMIN_USER_CHANGED = "admin.user.changed", _("Changed a staff account")
    ADMIN_USER_DELETED = "admin.user.deleted", _("Deleted a staff account")

    # --- Alerts for staff ------------------------------------------------------------------------
    ALERT_ACKNOWLEDGED = "alert.acknowledged", _("Acknowledged an alert")
    ALERT_CLOSED = "alert.closed", _("Closed an alert with a decision and its reason")
    ALERT_ESCALATED = "alert.escalated", _("Escalated an unacknowledged alert to the senior practitioners")
    ALERT_NOTED = "alert.noted", _("Added a note to an alert")
    ALERT_RAISED = "alert.raised", _("Raised an alert for staff to look at")

    # --- Appointments ---------------------------------------------------------------------------
    APPOINTMENT_ABSENCE_ALERT_RAISED = "appointment.absence_alert_raised", _("Raised an alert for a missed appointment")
    APPOINTMENT_ATTENDANCE_RECORDED = "appointment.attendance_recorded", _("Recorded attendance at an appointment")
    APPOINTMENT_BOOKED = "appointment.booked", _("Booked an appointment")
    APPOINTMENT_CANCELLED = "appointment.cancelled", _("Cancelled an appointment")
    APPOINTMENT_CONFIRMED = "appointment.confirmed", _("Confirmed they will come to an appointment")
    APPOINTMENT_REARRANGE_REQUESTED = "appointment.rearrange_requested", _("Asked to rearrange an appointment")
    APPOINTMENT_REARRANGED = "appointment.rearranged", _("Rearranged an appointment")
    APPOINTMENT_REMINDER_PREFERENCE_SAVED = (
        "appointment.reminder_preference_saved",
        _("Saved how they want appointment reminders"),
    )
    APPOINTMENT_VIEW = "appointment.view", _("Opened an appointment")
    APPOINTMENT_VIEW_FOR_ATTENDANCE = "appointment.view_for_attendance", _("Opened an appointment to record attendance")
    APPOINTMENT_VIEW_FOR_CANCEL = "appointment.view_for_cancel", _("Opened an appointment to cancel it")
    APPOINTMENT_VIEW_FOR_REARRANGE = "appointment.view_for_rearrange", _("Opened an appointment to rearrange it")
    APPOINTMENT_VIEW_OWN = "appointment.view_own", _("Opened their own appointment")
    APPOINTMENT_VIEW_OWN_FOR_CONFIRM = (
        "appointment.view_own_for_confirm",
        _("Opened their own appointment to confirm it"),
    )
    APPOINTMENT_VIEW_OWN_FOR_REARRANGE = (
        "appointment.view_own_for_rearrange",
        _("Opened their own appointment to ask to rearrange it"),
    )
    APPOINTMENT_SLOT_WITHDRAWN = "appointment_slot.withdrawn", _("Withdrew an open appointment slot")
    APPOINTMENT_SLOTS_OPENED = "appointment_slots.opened", _("Opened appointment slots for booking")
    CALENDAR_FEED_ISSUED = "calendar_feed.issued", _("Turned on their calendar feed")
    CALENDAR_FEED_REVOKED = "calendar_feed.revoked", _("Turned off their calendar feed")

    # --- The audit trail and retention ----------------------------------------------------------
    AUDIT_SEARCHED = "audit.searched", _("Searched the audit trail")
    RETENTION_DELETED = "retention.deleted", _("Deleted data at the end of its retention period")

    # --- Check-ins ------------------------------------------------------------------------------
    CHECKIN_ANSWERED = "checkin.answered", _("Answered check-in questions")
    CHECKIN_CANCELLED = "checkin.cancelled", _("Cancelled a check-in")
    CHECKIN_CANCELLED_AT_SUPERVISION_END = (
        "checkin.cancelled_at_supervision_end",
        _("Cancelled open check-ins because supervision ended"),
    )
    CHECKIN_VOICE_ENROLLED = "checkin.voice_enrolled", _("Recorded a person's voice for check-ins")
    CHECKIN_VOICE_EXEMPTED = "checkin.voice_exempted", _("Recorded that a person cannot speak or hear for check-ins")
    CHECKIN_CREATED = "checkin.created", _("Opened a check-in window")
    CHECKIN_ENROLLED = "checkin.enrolled", _("Enrolled a person in check-ins")
    CHECKIN_ENROLMENT_CHANGED = "checkin.enrolment_changed", _("Changed a person's check-in schedule")
    CHECKIN_EXPIRED = "checkin.expired", _("A check-in was missed")
    CHECKIN_LOCATION_SHARED = "checkin.location_shared", _("Shared their location for a check-in")
    CHECKIN_MEDIA_ADDED = "checkin.media_added", _("Added a photo or video to a check-in")
    CHECKIN_CHALLENGE_ISSUED = "checkin.challenge_issued", _("Was given the moves and colours for a check-in video")
    CHECKIN_MEDIA_DELETED = "checkin.media_deleted", _("Deleted a check-in's photos and videos")
    CHECKIN_MEDIA_VIEWED = "checkin.media_viewed", _("Viewed a check-in photo or video")
    CHECKIN_MISSED_CLOSED = "checkin.missed_closed", _("Closed a missed check-in")
    CHECKIN_QUESTION_ADDED = "checkin.question_added", _("Added a question to a person's check-ins")
    CHECKIN_REFERENCE_PHOTO_VIEWED = "checkin.reference_photo_viewed", _("Viewed a person's reference photo")
    CHECKIN_RESTARTED = "checkin.restarted", _("Restarted a person's check-ins")
    CHECKIN_REVIEWED = "checkin.reviewed", _("Reviewed a check-in")
    CHECKIN_STOPPED = "checkin.stopped", _("Stopped a person's check-ins")
    CHECKIN_SUBMITTED = "checkin.submitted", _("Sent a check-in")
    CHECKIN_SUITABILITY_SCREENED = "checkin.suitability_screened", _("Recorded a check-in suitability screen")
    CHECKIN_SUITABILITY_APPROVED = "checkin.suitability_approved", _("Approved a check-in suitability screen")
    CHECKIN_SUITABILITY_LIMITED = (
        "checkin.suitability_limited",
        _("Changed or stopped a person's check-ins because a new suitability screen does not allow them"),
    )
    CHECKIN_REVIEW_FOLLOW_UP = (
        "checkin.review_follow_up",
        _("Said whether a reviewed check-in helped manage risk, or marked it sensitive"),
    )
    CHECKIN_TEMPLATE_DELETED = "checkin.template_deleted", _("Deleted a person's reference photo")
    CHECKIN_VERIFICATION_FAILED = "checkin.verification_failed", _("The face check could not be run")
    CHECKIN_VERIFICATION_REQUEUED = "checkin.verification_requeued", _("Queued a face check again after it stalled")
    CHECKIN_VERIFIED = "checkin.verified", _("Ran the face check on a check-in")
    CHECKIN_VIEW = "checkin.view", _("Opened a check-in")
    CHECKIN_VIEW_FOR_CLOSE = "checkin.view_for_close", _("Opened a check-in to close or cancel it")
    CHECKIN_VIEW_FOR_REVIEW = "checkin.view_for_review", _("Opened a check-in to review it")

    # --- Curfew, zones and location -------------------------------------------------------------
    CURFEW_TERMS_SET = "curfew.terms_set", _("Set a person's curfew hours and zones with a new licence version")
    CURFEW_VARIATION_APPROVED = "curfew.variation_approved", _("Approved a change to one night's curfew")
    CURFEW_VARIATION_WITHDRAWN = "curfew.variation_withdrawn", _("Withdrew a change to one night's curfew")
    LOCATION_FIXES_RECEIVED = "location.fixes_received", _("Sent location fixes")
    LOCATION_VIOLATION_OPENED = "location.violation_opened", _("Location fixes showed a zone or curfew was broken")
    LOCATION_VIOLATION_CLOSED = "location.violation_closed", _("Location fixes showed a zone or curfew was kept again")
    LOCATION_SPOOF_FLAGGED = "location.spoof_flagged", _("A location fix looked faked")
    LOCATION_DAY_VIEWED = "location.day_viewed", _("Viewed a person's day on the map")
    LOCATION_EVIDENCE_DOWNLOADED = "location.evidence_downloaded", _("Downloaded the evidence pack of an alert")
    CURFEW_CHECKIN_PLANNED = "curfew.checkin_planned", _("Planned random curfew check-ins for a night")
    CURFEW_RANDOM_CHECKINS_SET = "curfew.random_checkins_set", _("Set how many random curfew check-ins a night")
    # --- The services directory -----------------------------------------------------------------
    DIRECTORY_SERVICE_CHECKED = "directory.service_checked", _("Confirmed a directory entry is up to date")
    DIRECTORY_SERVICE_CREATED = "directory.service_created", _("Added a directory entry")
    DIRECTORY_SERVICE_PUBLISHED = "directory.service_published", _("Showed a directory entry to people again")
    DIRECTORY_SERVICE_UPDATED = "directory.service_updated", _("Changed a directory entry")
    DIRECTORY_SERVICE_WITHDRAWN = "directory.service_withdrawn", _("Withdrew a directory entry")

    # --- Learning -------------------------------------------------------------------------------
    LEARNING_CERTIFICATE_ISSUED = "learning.certificate_issued", _("Was given a course certificate")
    LEARNING_ENROLLED = "learning.enrolled", _("Enrolled on a course")
    LEARNING_LESSON_COMPLETED = "learning.lesson_completed", _("Completed a lesson")
    LEARNING_LESSON_TRIED = "learning.lesson_tried", _("Tried a lesson's quiz without passing")
    LEARNING_SELF_ASSESSMENT_SUBMITTED = "learning.self_assessment_submitted", _("Sent a self-assessment")
    LEARNING_CONTENT_COURSE_ADDED = "learning.content.course.added", _("Added a course")
    LEARNING_CONTENT_COURSE_CHANGED = "learning.content.course.changed", _("Changed a course")
    LEARNING_CONTENT_COURSE_DELETED = "learning.content.course.deleted", _("Deleted a course")
    LEARNING_CONTENT_COURSE_SUBMITTED = "learning.content.course.submitted", _("Sent a course for approval")
    LEARNING_CONTENT_COURSE_APPROVED = "learning.content.course.approved", _("Approved a course")
    LEARNING_CONTENT_COURSE_RETURNED = "learning.content.course.returned", _("Sent a course back to draft")
    LEARNING_CONTENT_COURSE_PUBLISHED = "learning.content.course.published", _("Published a course")
    LEARNING_CONTENT_COURSE_UNPUBLISHED = "learning.content.course.unpublished", _("Took a course down")
    LEARNING_CONTENT_MOVED = "learning.content.moved", _("Changed the order of a course")
    LEARNING_CONTENT_MODULE_ADDED = "learning.content.module.added", _("Added a course module")
    LEARNING_CONTENT_MODULE_CHANGED = "learning.content.module.changed", _("Changed a course module")
    LEARNING_CONTENT_MODULE_DELETED = "learning.content.module.deleted", _("Deleted a course module")
    LEARNING_CONTENT_MODULE_SAVED = "learning.content.module.saved", _("Changed a course's modules")
    LEARNING_CONTENT_LESSON_ADDED = "learning.content.lesson.added", _("Added a lesson")
    LEARNING_CONTENT_LESSON_CHANGED = "learning.content.lesson.changed", _("Changed a lesson")
    LEARNING_CONTENT_LESSON_DELETED = "learning.content.lesson.deleted", _("Deleted a lesson")
    LEARNING_CONTENT_LESSON_SAVED = "learning.content.lesson.saved", _("Changed a module's lessons")
    LEARNING_CONTENT_QUESTION_ADDED = "learning.content.question.added", _("Added a quiz question")
    LEARNING_CONTENT_QUESTION_CHANGED = "learning.content.question.changed", _("Changed a quiz question")
    LEARNING_CONTENT_QUESTION_DELETED = "learning.content.question.deleted", _("Deleted a quiz question")
    LEARNING_CONTENT_QUESTION_SAVED = "learning.content.question.saved", _("Changed a lesson's quiz questions")
    LEARNING_CONTENT_OPTION_SAVED = "learning.content.option.saved", _("Changed a quiz question's answers")
    LEARNING_CONTENT_SELFASSESSMENTSET_ADDED = "learning.content.selfassessmentset.added", _("Added a self-assessment")
    LEARNING_CONTENT_SELFASSESSMENTSET_CHANGED = (
        "learning.content.selfassessmentset.changed",
        _("Changed a self-assessment"),
    )
    LEARNING_CONTENT_SELFASSESSMENTSET_DELETED = (
        "learning.content.selfassessmentset.deleted",
        _("Deleted a self-assessment"),
    )
    LEARNING_CONTENT_SELFASSESSMENTSET_APPROVED = (
        "learning.content.selfassessmentset.approved",
        _("Approved a self-assessment"),
    )
    LEARNING_CONTENT_SELFASSESSMENTSET_PUBLISHED = (
        "learning.content.selfassessmentset.published",
        _("Published a self-assessment"),
    )
    LEARNING_CONTENT_SELFASSESSMENTSET_UNPUBLISHED = (
        "learning.content.selfassessmentset.unpublished",
        _("Took a self-assessment down"),
    )
    LEARNING_CONTENT_SELFASSESSMENTQUESTION_ADDED = (
        "learning.content.selfassessmentquestion.added",
        _("Added a self-assessment question"),
    )
    LEARNING_CONTENT_SELFASSESSMENTQUESTION_CHANGED = (
        "learning.content.selfassessmentquestion.changed",
        _("Changed a self-assessment question"),
    )
    LEARNING_CONTENT_SELFASSESSMENTQUESTION_DELETED = (
        "learning.content.selfassessmentquestion.deleted",
        _("Deleted a self-assessment question"),
    )
    LEARNING_CONTENT_SELFASSESSMENTQUESTION_SAVED = (
        "learning.content.selfassessmentquestion.saved",
        _("Changed a self-assessment's questions"),
    )
    LEARNING_CONTENT_SELFASSESSMENTOPTION_SAVED = (
        "learning.content.selfassessmentoption.saved",
        _("Changed a self-assessment question's answers"),
    )

    # --- Early release: home detention curfew and temporary release -----------------------------
    OPPORTUNITY_SENTENCE_RECORDED = (
        "opportunities.sentence_recorded",
        _("Recorded the sentence facts early release is worked out from"),
    )
    OPPORTUNITY_DECIDED = "opportunities.decided", _("Decided on early release (put forward, refused or later)")
    OPPORTUNITY_HDC_CASE_MOVED = "opportunities.hdc_case_moved", _("Moved a home detention curfew case on a step")
    OPPORTUNITY_ADDRESS_PROPOSED = (
        "opportunities.address_proposed",
        _("Gave an address they could live at on home detention curfew"),
    )
    OPPORTUNITY_ROTL_GRANTED = "opportunities.rotl_granted", _("Granted release on temporary licence")
    OPPORTUNITY_ROTL_OUT = "opportunities.rotl_out", _("Recorded a person going out on temporary licence")
    OPPORTUNITY_ROTL_RETURNED = "opportunities.rotl_returned", _("Recorded a person coming back from temporary licence")

    # --- The library ----------------------------------------------------------------------------
    LIBRARY_ITEM_APPROVED = "library.item_approved", _("Approved a library item")
    LIBRARY_ITEM_CREATED = "library.item_created", _("Added a library item")
    LIBRARY_ITEM_EDITED = "library.item_edited", _("Edited a library item")
    LIBRARY_ITEM_PUBLISHED = "library.item_published", _("Published a library item")
    LIBRARY_ITEM_RATED = "library.item_rated", _("Said whether a library item helped")
    LIBRARY_ITEM_RETURNED = "library.item_returned", _("Sent a library item back to its author")
    LIBRARY_ITEM_SAVED = "library.item_saved", _("Saved a library item for later")
    LIBRARY_ITEM_SCHEDULED = "library.item_scheduled", _("Scheduled a library item to publish later")
    LIBRARY_ITEM_SUBMITTED = "library.item_submitted", _("Sent a library item for review")
    LIBRARY_ITEM_UNSAVED = "library.item_unsaved", _("Removed a library item from their saved items")
    LIBRARY_ITEM_WITHDRAWN = "library.item_withdrawn", _("Withdrew a library item")

    # --- Messaging ------------------------------------------------------------------------------
    BROADCAST_SENT = "broadcast.sent", _("Sent a broadcast message")
    CONTACT_APPROVED = "contact.approved", _("Approved a contact")
    CONTACT_BARRED = "contact.barred", _("Barred a contact")
    CONTACT_SUSPENDED = "contact.suspended", _("Suspended a contact")
    CONVERSATION_ATTACHMENT = "conversation.attachment", _("Opened a message attachment")
    CONVERSATION_PARTICIPANTS_CHANGED = "conversation.participants_changed", _("Changed who is in a conversation")
    CONVERSATION_STARTED = "conversation.started", _("Started a conversation")
    CONVERSATION_VIEW = "conversation.view", _("Opened a conversation")
    CONVERSATION_VIEW_FOR_FLAG = "conversation.view_for_flag", _("Opened a conversation to report a message")
    CONVERSATION_VIEW_FOR_SEND = "conversation.view_for_send", _("Opened a conversation to send a message")
    MESSAGE_BLOCKED = "message.blocked", _("Blocked a message")
    MESSAGE_FLAG_REVIEWED = "message.flag_reviewed", _("Reviewed a reported message")
    MESSAGE_RELEASED = "message.released", _("Released a held message")
    MESSAGE_SENT = "message.sent", _("Sent a message")
    MESSAGE_SENT_BY_CONTACT = "message.sent_by_contact", _("An approved contact sent a message")
    MESSAGE_VIEWED_FOR_REVIEW = "message.viewed_for_review", _("Opened a held message to review it")
    WORD_LIST_CREATED = "word_list.created", _("Created a screening word list")
    WORD_LIST_POLICY_CHANGED = "word_list.policy_changed", _("Changed what a word list does to a message")
    WORD_LIST_TERM_ADDED = "word_list.term_added", _("Added a word to a screening list")
    WORD_LIST_TERM_REMOVED = "word_list.term_removed", _("Removed a word from a screening list")
    WORD_LIST_TERMS_UPLOADED = "word_list.terms_uploaded", _("Uploaded words to a screening list")
    WORD_LIST_TRIED = "word_list.tried", _("Tried a message against a screening list (nothing was sent)")

    # --- Notifications --------------------------------------------------------------------------
    NOTIFICATIONS_INBOX_READ = "notifications.inbox_read", _("Read their messages from Onward")
    NOTIFICATIONS_PUSH_GONE = "notifications.push_gone", _("A device stopped accepting notifications")
    NOTIFICATIONS_PUSH_SUBSCRIBED = "notifications.push_subscribed", _("Turned on notifications on a device")
    NOTIFICATIONS_PUSH_UNSUBSCRIBED = "notifications.push_unsubscribed", _("Turned off notifications on a device")
    NOTIFICATIONS_SMS_LOG_VIEWED = "notifications.sms_log_viewed", _("Looked at the log of text messages sent")
    NOTIFICATIONS_OUTBOX_VIEWED = "notifications.outbox_viewed", _("Looked at messages sent, in the admin")

    # --- Reports for managers ------------------------------------------------------------------
    REPORT_VIEWED = "report.viewed", _("Opened the reports for a unit")
    REPORT_DOWNLOADED = "report.downloaded", _("Downloaded a report for a unit as a spreadsheet (CSV)")
    REPORT_READ_BY_API = "report.read_by_api", _("Read the reports for a unit through the API")

    # --- Resettlement: the plan, requests, documents and the handover at release ----------------
    RESETTLEMENT_ASSESSED = "resettlement.assessed", _("Recorded a resettlement needs assessment")
    RESETTLEMENT_NEED_CHANGED = "resettlement.need_changed", _("Changed a resettlement need")
    RESETTLEMENT_ACTION_ADDED = "resettlement.action_added", _("Added an action to a resettlement plan")
    RESETTLEMENT_ACTION_DONE = "resettlement.action_done", _("Ticked off an action in a resettlement plan")
    RESETTLEMENT_ACTION_REOPENED = "resettlement.action_reopened", _("Marked a plan action as not done")
    RESETTLEMENT_HANDED_OVER = "resettlement.handed_over", _("Handed a resettlement plan to probation at release")
    APPLICATION_STARTED = "application.started", _("Started an ID or bank account application")
    APPLICATION_CHANGED = "application.changed", _("Moved an ID or bank account application on")
    DOCUMENT_UPLOADED = "document.uploaded", _("Uploaded a document")
    DOCUMENT_REMOVED = "document.removed", _("Removed a document")
    DOCUMENT_DOWNLOADED = "document.downloaded", _("Downloaded a document")
    REQUEST_SUBMITTED = "request.submitted", _("Made a request (an app)")
    REQUEST_ASSIGNED = "request.assigned", _("Took on a request")
    REQUEST_REPLIED = "request.replied", _("Replied to a request")
    REQUEST_CLOSED = "request.closed", _("Closed a request")
    REQUEST_WITHDRAWN = "request.withdrawn", _("Withdrew their request")
    REQUEST_ESCALATED = "request.escalated", _("Escalated a request not answered in time")
    REQUEST_VIEWED = "request.viewed", _("Opened a request")

    # --- People's records and licences ----------------------------------------------------------
    LICENCE_CONFIRMED = "licence.confirmed", _("Confirmed they have read their licence")
    LICENCE_ISSUED = "licence.issued", _("Issued a licence")
    PERSON_ASSIGNED = "person.assigned", _("Assigned a practitioner to a person")
    PERSON_CONTACT_CODE_SENT = "person.contact_code_sent", _("Sent a code to check a person's phone or email")
    PERSON_CONTACT_VERIFIED = "person.contact_verified", _("Checked a person's phone or email is theirs")
    PERSON_CREATED = "person.created", _("Added a person")
    PERSON_IMPORT_COMPLETED = "person.import_completed", _("Imported people from a file")
    PERSON_UPDATED = "person.updated", _("Changed a person's details")
    PERSON_RELEASED = "person.released", _("Recorded a person's release")
    PERSON_SUBJECT_ACCESS_EXPORTED = "person.subject_access_exported", _("Downloaded a subject access export")
    PERSON_SUPERVISION_ENDED = "person.supervision_ended", _("Ended a person's supervision")
    PERSON_VIEW = "person.view", _("Opened a person's record")
    PERSON_VIEW_APPOINTMENTS = "person.view_appointments", _("Opened a person's appointments")
    PERSON_VIEW_FOR_ACTIVATION_CODE = (
        "person.view_for_activation_code",
        _("Opened a person's record to print an activation code"),
    )
    PERSON_VIEW_FOR_APPOINTMENT_BOOKING = (
        "person.view_for_appointment_booking",
        _("Opened a person's record to book an appointment"),
    )
    PERSON_VIEW_FOR_CHECKIN_ENROLMENT = (
        "person.view_for_checkin_enrolment",
        _("Opened a person's record to set up check-ins"),
    )
    PERSON_VIEW_FOR_CHECKIN_QUESTION = (
        "person.view_for_checkin_question",
        _("Opened a person's record to add a check-in question"),
    )
    PERSON_VIEW_FOR_CHECKIN_SUITABILITY = (
        "person.view_for_checkin_suitability",
        _("Opened a person's check-in suitability screens"),
    )
    PERSON_VIEW_FOR_CHECKIN_STATUS = "person.view_for_checkin_status", _("Opened a person's check-in history")
    PERSON_VIEW_FOR_CHECKIN_VOICE = "person.view_for_checkin_voice", _("Opened a person's voice enrolment")
    PERSON_VIEW_FOR_DEVICE_REVOKE = "person.view_for_device_revoke", _("Opened a person's record to remove a device")
    PERSON_VIEW_FOR_CONTACT_CHECK = (
        "person.view_for_contact_check",
        _("Opened a person's record to check their phone or email"),
    )
    PERSON_VIEW_FOR_EDIT = "person.view_for_edit", _("Opened a person's details to change them")
    PERSON_VIEW_AFTER_CREATE = "person.view_after_create", _("Read back a person they had just added")
    PERSON_VIEW_AFTER_EDIT = "person.view_after_edit", _("Read back a person's details they had just changed")
    PERSON_VIEW_FOR_ENROLMENT = "person.view_for_enrolment", _("Opened a person's record to enrol them on a course")
    PERSON_VIEW_FOR_LICENCE = "person.view_for_licence", _("Opened a person's licence")
    PERSON_VIEW_FOR_MESSAGES = "person.view_for_messages", _("Opened a person's messages")
    PERSON_VIEW_FOR_PIN_RESET = "person.view_for_pin_reset", _("Opened a person's record to reset their PIN")
    PERSON_VIEW_FOR_RELEASE = "person.view_for_release", _("Opened a person's record to record their release")
    PERSON_VIEW_FOR_SUBJECT_ACCESS = (
        "person.view_for_subject_access",
        _("Opened a person's record for a subject access export"),
    )
    PERSON_VIEW_FOR_SUPERVISION_END = (
        "person.view_for_supervision_end",
        _("Opened a person's record to end their supervision"),
    )
    PERSON_VIEW_LEARNING = "person.view_learning", _("Opened a person's learning")
    PERSON_VIEW_RESETTLEMENT = "person.view_resettlement", _("Opened a person's resettlement plan")
    PERSON_VIEW_FOR_PLAN_CHANGE = "person.view_for_plan_change", _("Opened a person's resettlement plan to change it")
    PERSON_VIEW_OPPORTUNITIES = "person.view_opportunities", _("Opened a person's early release criteria")
    PERSON_VIEW_FOR_OPPORTUNITY_DECISION = (
        "person.view_for_opportunity_decision",
        _("Opened a person's early release criteria to decide or record"),
    )
    PERSON_VIEW_OWN_OPPORTUNITIES = "person.view_own_opportunities", _("Opened their own early release dates")
    PERSON_VIEW_OWN = "person.view_own", _("Opened their own record")
    PERSON_VIEW_OWN_PLAN = "person.view_own_plan", _("Opened their own resettlement plan")
    PERSON_VIEW_OWN_REQUESTS = "person.view_own_requests", _("Opened their own requests")
    PERSON_VIEW_OWN_DOCUMENTS = "person.view_own_documents", _("Opened their own documents and applications")
    PERSON_VIEW_DOCUMENTS = "person.view_documents", _("Opened a person's documents and applications")
    PERSON_VIEW_OWN_CONTACT = "person.view_own_contact", _("Opened their own phone and email to check them")
    PERSON_VIEW_OWN_APPOINTMENTS = "person.view_own_appointments", _("Opened their own appointments")
    PERSON_VIEW_OWN_FOR_DIRECTORY = "person.view_own_for_directory", _("Searched the services directory near them")
    PERSON_VIEW_OWN_LICENCE = "person.view_own_licence", _("Opened their own licence")
    PERSON_VIEW_OWN_REMINDERS = "person.view_own_reminders", _("Opened their own reminder settings")


def audit_action_label(code: str) -> str:
    """What an event's code means, for staff; a code no longer in the vocabulary is shown as it is."""
    try:
        return str(AuditAction(code).label)
    except ValueError:
        return code


def audit_actions_described_by(words: str) -> list[str]:
    """The codes whose label, in the reader's language, contains these words (any case)."""
    wanted = words.strip().casefold()
    if not wanted:
        return []
    return [action.value for action in AuditAction if wanted in str(action.label).casefold()]
