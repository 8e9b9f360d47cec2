"""People can use Onward in Welsh: every person-facing string has a translation, and pages render in it.

Staff-only strings may stay untranslated. Update the catalogue with scripts/extract_messages.py and
compile it with scripts/compile_messages.py (`make install` compiles it too).
"""

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone, translation

from onward.accounts.models import PinCredential
from onward.accounts.services import device_token_create, person_account_ensure
from onward.appointments.services import AppointmentDetails, appointment_book, appointment_cancel
from onward.appointments.slots import slot_book
from onward.appointments.tests.factories import AppointmentFactory, SlotFactory
from onward.checkins.services import checkins_create_due
from onward.checkins.tests.factories import EnrolmentFactory
from onward.directory.tests.factories import ServiceFactory
from onward.learning.models import Certificate, Course, Lesson
from onward.learning.services import certificate_code_new
from onward.learning.tests.factories import assessment_build, demo_like_course, pdf_text
from onward.library.models import Item
from onward.library.tests.factories import TopicFactory, published_item
from onward.messaging.services import conversation_for_person, message_send
from onward.notifications.models import OutboxMessage
from onward.organisations.models import Role
from onward.people.models import AssignmentRole, Language
from onward.people.services import contact_code_send, licence_version_issue
from onward.people.tests.factories import (
    CommunityPersonFactory,
    LicenceVersionFactory,
    PersonFactory,
    StaffAssignmentFactory,
    standard_conditions,
)
from tests.translations import translations_compiled

WELSH_PO = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

PERSON_FACING = {
    "layout": [
        "Skip to main content",
        "Menu",
        "Service information",
        "Back",
        "Success",
        "Important",
        "Onward is open-source software. Your information is kept safe and private.",
        "Sign out",
        "Home",
    ],
    "forms": [
        "There is a problem",
        "Error: ",
        "Error",
        "Show",
        "Hide",
        "Show password",
        "Hide password",
        "Your password is visible",
        "Your password is hidden",
    ],
    "start page": [
        "Welcome to Onward",
        "Onward helps you keep in touch with the people who support you, in prison and after you leave.",
        "If you are in prison",
        "Sign in with your prison number",
        "If you are on licence or probation",
        "Get a code to sign in",
        "I have an activation code from a letter",
        "Staff",
        "Staff sign in",
        "Sign in",
    ],
    "prison number and PIN": [
        "Prison number",
        "For example, A1234BC",
        "Enter your prison number",
        "PIN",
        "Enter your PIN",
        "Your PIN is 4 to 6 numbers",
        "Enter a prison number in the right format, like A1234BC.",
        "Forgotten your PIN? Ask a member of staff to reset it.",
        "The prison number or PIN is not right. Check them and try again.",
        "The PIN was wrong too many times. Wait %(minutes)s minute and try again, "
        "or ask a member of staff to reset it.",
        "There have been too many wrong tries from this place. Wait %(minutes)s minute and try again.",
    ],
    "one-time code": [
        "Mobile phone number or email address",
        "Use the one you gave your probation practitioner.",
        "Enter your mobile phone number or email address",
        "Too many codes have been asked for. Wait %(minutes)s minute, then try again.",
        "You asked for a code a moment ago. Wait %(seconds)s second for it to come, then ask again if it has not.",
        "Enter a mobile phone number, like 07700 900123, or an email address",
        "Send me a code",
        "Enter your code",
        "If that number or email is one we know, we have sent a code to it. The code works for 10 minutes.",
        "Code",
        "The 6 numbers we sent you.",
        "Enter the code we sent you",
        "The code is 6 numbers",
        "I did not get a code",
        "That code is not right or has run out. Check it, or ask for a new code.",
        "Your Onward sign-in code is %(code)s. It works for %(minutes)s minutes. Do not share it.",
        "Your Onward sign-in code",
    ],
    "activation code": [
        "Use your activation code",
        "Activation code",
        "It is on the letter you were given. For example, ABCDE-FGH23",
        "Enter your activation code",
        "An activation code is 10 letters and numbers, like ABCDE-FGH23",
        "This activation code has expired. Ask your probation practitioner for a new one.",
        "This activation code has already been used. Sign in with a code sent to your phone instead.",
        "That activation code is not right. Check it and try again.",
    ],
    "signed out and error pages": [
        "You have signed out",
        "Sign in again",
        "You cannot see this page",
        "This page is not for you. If you think it should be, ask a member of staff.",
        "Go to the start page",
        "Page not found",
        "If you typed the web address, check it is right. If you pasted it, check you copied all of it.",
        "Sorry, there is a problem with the service",
        "Try again later. What you entered has not been lost if you saw a message saying it was saved.",
    ],
    "checking a phone or email": [
        "Check your phone and email",
        "We send reminders and sign-in codes only to a phone or email you have checked.",
        "We do not have one. Ask your worker to add it.",
        "Mobile phone",
        "Email",
        "Checked",
        "Not checked",
        "Send a code",
        "Code",
        "The 6 numbers in the message.",
        "Check code",
        "We sent a code. It works for %(minutes)s minutes.",
        "Thank you. This is now checked.",
        "That code is not right or has run out.",
        "We will send you reminders only after you check them.",
        "Check them now",
        "You were released on %(date)s.",
        "Your Onward code is %(code)s. Give it to your worker or enter it in Onward. It works for %(minutes)s minutes.",
        "Check your contact details for Onward",
    ],
    "person home": [
        "Hello, %(name)s",
        "What to do now",
        "You have nothing to do now.",
        "Nothing is coming up this week.",
        "Coming up",
        "Other things",
        "Your check-in is due",
        "Start your check-in",
        "Your next check-in",
        "Your next check-in starts on %(day)s. We will send you a message then.",
        "New messages",
        "Tell us you will go",
        "Your appointments this week",
        "Your next date",
        "You have no dates coming up.",
        "Who is helping you",
        "No one yet. Ask a member of staff.",
        "Your licence rules",
        "Your rules have changed. Please read them, then tell us you have read them.",
        "I have read my licence rules",
        "Thank you. You have confirmed your licence conditions.",
        "Home detention curfew eligibility",
        "Release date",
        "Licence ends",
        "Sentence ends",
        "Key worker",
        "Prison offender manager",
        "Probation practitioner",
    ],
    "check-in video": [
        "2. A short video of your face",
        "When you press Start, your screen will change colour and tell you what to do: turn your head, look up or "
        "down, blink, or keep still. Do each one when you see it. Read the numbers out loud.",
        "Hold your phone in front of your face, then press Start.",
        "Say these numbers:",
        "We cannot use your camera. Check this website may use it, then reload the page. You can still send your "
        "check-in.",
        "We are checking your video. This takes a few seconds.",
        "We could not send it. Check you have signal, then press Start again.",
        "This step needs a browser that can use your camera. You can still send your check-in without it.",
        "Turn your head to your left",
        "Turn your head to your right",
        "Look up",
        "Look down",
        "Blink",
        "Look at the screen and keep still",
        "You did each move we asked.",
        "We could not see the screen's colours on your face. Try again indoors, close to the screen.",
        "We did not see each move at the right time. Try again and follow the words on the screen.",
        "We could not see your head move properly. Try again and turn your head, not the phone.",
        "The time for this video ran out. Press Start to try again.",
        "This video was already sent. Press Start to record a new one.",
        "This video was not made for the moves we asked. Press Start to try again.",
        "This video was recorded before we asked for the moves. Press Start to try again.",
        "Something went wrong with the recording time. Press Start to try again.",
    ],
    "navigation": [
        "Appointments",
        "Services near you",
        "Check-in",
    ],
    "appointments list": [
        "Your appointments",
        "Coming up",
        "Book a time with your worker",
        "Video call",
        "You confirmed",
        "You have no appointments coming up.",
        "Before",
        "Nothing yet.",
        "Choose how we remind you",
        "Add your appointments to your phone's calendar",
    ],
    "appointment": [
        "Status",
        "When",
        "Who with",
        "Where",
        "All your appointments",
        "Do you have to go?",
        "Yes, you must go",
        "It is your choice",
        "This appointment has moved. See the new time.",
        "You have confirmed you will be there.",
        "I will be there",
        "You asked to rearrange. Your worker will contact you.",
        "I cannot go – ask to rearrange",
        "Ask to rearrange",
        "Your appointment is on %(when)s. If it is compulsory, you must still go unless your worker agrees to move it.",
        "Send my request",
        "When would suit you better? (optional)",
    ],
    "reminders page": [
        "1 week before",
        "2 days before",
        "1 day before",
        "2 hours before",
        "1 hour before",
        "How should we remind you?",
        "When should we remind you?",
        "Choose at least one time to be reminded.",
        "Quiet from",
        "Quiet until",
        "How we remind you",
        "We send you a reminder before each appointment. Choose how and when.",
        "First turn on notifications on this phone.",
        "Turn on notifications",
        "If we cannot reach you that way, we try the other ways.",
        "Choose one or more.",
        "Quiet hours",
        "We do not send reminders at these times. A reminder that falls in them comes just before or just after.",
        "Save",
    ],
    "book a time": [
        "That time is too soon to book. Please choose a time at least %(hours)s hours from now.",
        "That time is no longer available. Please choose another.",
        "Someone else has just taken that time. Please choose another.",
        "You already have %(count)s of these appointments booked. You can book another one after it, or ask your worker.",  # noqa: E501
        "Check the time",
        "Choose another time",
        "What",
        "to",
        "When you book, you must go. If you cannot go later, you can ask to rearrange.",
        "Book this time",
        "Book a time",
        "These are the times your worker has free. Choose one that suits you.",
        "There are no free times to book in the next 4 weeks. Your worker will give you a time, or you can send them a message.",  # noqa: E501
    ],
    "calendar": [
        "Onward appointments",
        "Calendar feed",
        "Add your appointments to the calendar on your phone or computer. The address is private: anyone who has it can see your appointments.",  # noqa: E501
        "Your calendar address (shown only once):",
        "Make a new calendar address",
        "Make a calendar address",
        "Stop my calendar address working",
    ],
    "appointment types, states and messages": [
        "Supervision with your probation practitioner",
        "Meeting with your key worker",
        "Programme session",
        "Drug test",
        "Partner service (housing, Jobcentre, treatment)",
        "Booked",
        "Attended",
        "Failed to attend",
        "Acceptable absence",
        "Cancelled",
        "Rearranged",
        "Text message",
        "Email",
        "Notification on your phone",
        "video call",
        "Reminder: %(what)s on %(when)s, %(where)s.",
        "Confirm or ask to rearrange: %(link)s",
        "Or reply YES to confirm, or R to ask to rearrange.",
        "Appointment reminder",
        "A reminder: please do your check-in before %(when)s.",
        "New appointment",
        "You have a new appointment: %(what)s on %(when)s at %(where)s.",
        "Appointment moved",
        "Your appointment on %(old)s has moved to %(when)s at %(where)s.",
        "Appointment cancelled",
        "Your appointment on %(when)s has been cancelled. You do not need to go.",
        "This appointment has changed. Check your appointments for the new details.",
        "Ask your probation practitioner to add it, or choose another way.",
        "Choose how we should remind you.",
        "We do not have a mobile number for you.",
        "We do not have an email address for you.",
        "First turn on notifications on this phone, then choose this again.",
        "Choose the times from the list.",
        "Quiet hours must start and end at different times.",
        "a video call",
        "Saved. We will remind you this way from now on.",
        "Thank you. You have confirmed you will be there.",
        "We have asked your worker to rearrange. They will contact you.",
        "You have booked this appointment. We have told your worker.",
        "Your calendar address has stopped working.",
    ],
    "messages": [
        "Announcement",
        "Not delivered",
        "You have sent %(count)s messages today, which is the most you can send. Try again tomorrow.",
        "Your draft could not be saved. Try again.",
        "You have a new message on Onward",
        "%(name)s has sent you a message. Read it and reply here: %(url)s",
        "Something went wrong sending your message. Reload the page and try again.",
        "Your draft is saved. Only you can see it.",
        "Your message has been sent.",
        "This link has expired.",
        "Search",
        "Draft saved",
        "You are offline. Your message is kept on this device and will be saved when you are back online.",
        "Your unsent message is back.",
        "Your draft could not be saved. It is kept on this device.",
        "Attach a photo or PDF (optional)",
        "JPEG, PNG or PDF, up to 5 MB each",
        "Send message",
        "Save draft",
        "Download attachment",
        "Seen",
        "Sent",
        "This is an announcement. You cannot reply to it.",
        "Conversation",
        "Messages to and from your contacts are checked by the prison before they are delivered.",
        "Messages are checked by the prison.",
        "Search this conversation",
        "Search messages",
        "Write a message",
        "You cannot write in this conversation at the moment.",
    ],
    "contact reply page": [
        "This link no longer works",
        "Links to messages stop working after a while, or when the prison changes your contact status. When you get a new message, you will get a new link.",  # noqa: E501
        "Messages with %(name)s",
        "Messages are checked by the prison before they are delivered. Do not share this link.",
    ],
    "services directory": [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Search by words",
        "Type of service",
        "Your postcode",
        "For example, LS6 1AA, or the first half, like LS6",
        "Only show places open now",
        "All types",
        "What to bring",
        "Phone",
        "Website",
        "Housing",
        "Food banks and meals",
        "Money and debt advice",
        "Drug and alcohol services",
        "Health",
        "Work and training",
        "Faith groups",
        "Family support",
        "Ask them for opening times",
        "Open now",
        "Open now. Closes at %(time)s",
        "Closed now",
        "Closed now. Opens at %(time)s today",
        "Closed now. Opens at %(time)s tomorrow",
        "Closed now. Opens on %(day)s at %(time)s",
        "midday",
        "midnight",
        "%(clock)sam",
        "%(clock)spm",
        "%(opens)s to %(closes)s",
        " (next day)",
        "Closed",
        "where you are now",
        "Your phone did not share where you are. Type your postcode instead.",
        "your home",
        "We do not have your home on record. Type your postcode instead.",
        "%(km).1f km",
        "%(m)d m",
        "Enter a postcode, like LS6 1AA, or the first half, like LS6",
        "We can only find postcodes in England, Scotland and Wales",
        "We could not find the postcode %(postcode)s. Check it, or try the first half, like %(district)s",
        "We could not find %(postcode)s. Check it and try again",
        "Who it is for",
        "Type",
        "Opening times",
        "We do not have their opening times. Ask them before you go.",
        "Different hours coming up",
        "Last checked on %(date)s.",
        "Not checked yet.",
        "Things change: if you can, ring before you go.",
        "Search for services",
        "Find services",
        "Find services near my home",
        "Or use where your phone is now. Your phone will ask you first. We use it only for this search and do not keep it.",  # noqa: E501
        "Use where I am now",
        "%(num)d place near %(where)s",
        "%(num)d place",
        "Nearest first, up to %(km)s km away.",
        "%(distance)s away",
        "Nothing found. Try fewer words, another type of service, or a bigger area (the first half of your postcode).",
        "Back to services",
        "Find food banks, housing help, money advice, health and other services.",
    ],
    "notifications page": [
        "This browser's notification service is not one we can use.",
        "The browser sent a key we cannot use. Try turning notifications on again.",
        "The browser sent a secret we cannot use. Try turning notifications on again.",
        "Notifications on your phone are not available.",
        "Notifications are off for that phone or browser.",
        "Notifications on this phone",
        "We can show a note on this phone when you have a reminder.",
        "A reminder shows the time and place. A note about a new message never shows what the message says.",
        "Notifications are on for this phone.",
        "Notifications are off for this phone.",
        "Please wait…",
        "This phone is set to block notifications from us. You can change that in the phone’s settings.",
        "Sorry, that did not work. Try again later.",
        "Notifications are not available on this phone or browser. We will remind you by text message or email instead.",  # noqa: E501
        "This service does not send notifications to phones yet. We will remind you by text message or email instead.",
        "Turn off notifications",
        "Phones and browsers that get your notifications",
        "Turned on %(date)s",
        "Turn off",
        "Turn off notifications turned on %(date)s",
    ],
    "licence page": [
        "Your licence conditions have changed",
        "Your licence conditions have changed. Please read them and say you have read them.",
        "Read your licence rules and what they mean",
        "You do not have any licence rules on here yet. Ask your probation practitioner.",
        "These are the rules you must keep while you are on licence. Under each rule, it says what it means.",
        "If you break a rule, you could go back to prison. If you are not sure about a rule, ask your probation practitioner.",  # noqa: E501
        "Your rules have changed. Please read them all, then tell us you have read them at the bottom of this page.",
        "Rule %(n)s",
        "What this means",
        "Ask your probation practitioner what this rule means for you.",
        "You said you had read these rules on %(date)s.",
    ],
    "requests": [
        "Your requests",
        "Make a request",
        "What is it about?",
        "What are you asking for?",
        "Send request",
        "Requests you have made",
        "You have not made any requests.",
        "You should get an answer by %(date)s.",
        "What has happened",
        "Withdraw this request",
        "You have withdrawn this request.",
        "Your request has been sent. You will get an answer by %(date)s.",
        "Write what you are asking for.",
        "Choose what your request is about.",
        "You can make requests like this while you are in prison.",
        "Visits",
        "Healthcare",
        "Property",
        "Money",
        "Complaint",
        "Something else",
        "Sent",
        "Being looked at",
        "Answered",
        "Withdrawn",
        "You sent the request",
        "Someone is looking at it",
        "Not answered in time: passed to a manager",
    ],
    "release pack": [
        "Download your release pack (PDF)",
        "Your release pack",
        "Your next appointments",
        "Your probation practitioner will tell you when your first appointment is.",
        "Signing in to Onward",
        "Use Onward on your phone or any computer. Go to:",
        "Choose “Get a code to sign in” and enter your mobile number or email address.",
        "We send you a code. Type it in to sign in. You keep the same account you used in prison.",
        "Your plan and your documents are there too: %(url)s",
        "Know how you will get to where you are staying",
    ],
    "resettlement plan": [
        "Your plan",
        "Things for you to do",
        "Tick this off",
        "Add your own to-do",
        "What do you need to do?",
        "By when? (you can leave this empty)",
        "Add to my list",
        "Things others are doing for you",
        "What your plan covers",
        "Things to read that may help",
        "Not done after all",
        "Added to your list.",
        "Well done. That is ticked off.",
        "That is back on your list.",
        "See your plan",
        "Enter a real date, like 2027-03-31.",
        "Write what needs doing.",
        "The date must be today or later.",
        "Not started",
        "In progress",
        "Not wanted",
        "Prison staff",
        "A partner service",
        "Somewhere to live",
        "Money and ID",
        "Open a bank account",
        "Get photo ID",
        "Register with a doctor (GP)",
        "Write your CV",
    ],
    "documents and applications": [
        "Your documents",
        "Your ID, CV, certificates and letters. They stay with you when you move or leave prison.",
        "Your files",
        "Added on %(date)s",
        "Download %(title)s",
        "Remove",
        "Remove %(title)s",
        "You have no documents yet.",
        "Add a document",
        "What is it?",
        "Name it (you can leave this empty)",
        "The file",
        "A photo (JPEG or PNG) or a PDF, smaller than %(mb)s MB.",
        "Add document",
        "Your ID and bank account",
        "Where it is now: %(status)s",
        "Who is doing it: %(owner)s",
        "Why: %(reason)s",
        "Nobody is applying for ID or a bank account for you right now.",
        "Back to your plan",
        "Your documents, ID and bank account",
        "Your document has been saved.",
        "The document has been removed.",
        "Choose a file to add.",
        "Choose what kind of document this is.",
        "You can only remove documents you added yourself.",
        "You can only use a photo (JPEG or PNG) or a PDF. Other kinds of file cannot be used.",
        "This PDF has links, scripts or forms in it, so we cannot take it. Use a photo of it instead.",
        "This PDF could not be read. Try another one, or use a photo of it.",
        "This picture could not be read. Try another one.",
        "Each file must be smaller than %(mb)s MB.",
        "ID",
        "Licence",
        "CV",
        "Certificate",
        "Letter",
        "Asked for the forms",
        "Sent off",
        "Waiting for an answer",
        "Received or opened",
        "Refused",
        "Stopped",
        "Get a copy of your birth certificate",
        "Get a provisional driving licence (photo ID)",
        "Get a passport",
        "Get your National Insurance number",
        "Claim Universal Credit before you leave",
        "Get a CSCS card to work on building sites",
    ],
    "learning": [
        "Learning",
        "Your courses",
        "%(done)s of %(total)s lessons done",
        "Finished",
        "Download your certificate (PDF)",
        "You are not on any courses yet.",
        "Courses you can join",
        "Join this course",
        "Join %(course)s",
        "There are no other courses for you right now.",
        "Check how you are doing",
        "Your last score was %(score)s out of %(max)s, on %(date)s.",
        "You have not done this yet.",
        "There is nothing to do here right now.",
        "Back to learning",
        "Well done. You finished this course.",
        "Done",
        "This course has %(num)d lesson.",
        "You have joined this course. Start with the first lesson.",
        "This course is not open to you.",
        "People in prison",
        "People in the community",
        "Everyone",
        "Text",
        "Audio",
        "Video",
    ],
    "lesson and quiz": [
        "Back to the course",
        "Lesson done",
        "You got %(score)s out of %(total)s right.",
        "Well done.",
        "You finished the course",
        "You got %(score)s out of %(total)s right. Read the notes below and try again.",
        "Your device cannot play this. Read the words below instead.",
        "You finished this lesson on %(date)s.",
        "Quick quiz",
        "Choose all that are right.",
        "Right",
        "Not quite",
        "Check my answers",
        "Mark as done",
        "Next lesson: %(title)s",
        "All lessons in this course",
        "Join the course before you start its lessons.",
        "Answer every question. You missed: %(question)s",
        "Choose from the answers given.",
        "Choose one answer for: %(question)s",
    ],
    "self-assessment": [
        "Scores over time: %(title)s",
        "Date",
        "Score",
        "%(score)s out of %(max)s",
        "No scores yet.",
        "Answer the questions",
        "You can do this as often as you like. Your worker can see your scores.",
        "Save my answers",
        "Thank you. Your score is %(score)s out of %(max)s.",
        "This self-assessment is not open.",
    ],
    "certificates": [
        "Check a certificate",
        "This certificate is real",
        "%(name)s finished %(course)s on %(date)s.",
        "We cannot find this certificate. Check the code and try again.",
        "You have checked a lot of codes. Please try again in an hour.",
        "Type the code printed at the bottom of the certificate.",
        "Verification code",
        "Check",
        "Certificate: %(course)s",
        "Certificate of completion",
        "This is to certify that",
        "has completed the course",
        "on %(date)s",
        "Verification code: %(code)s",
        "Anyone can check this certificate at %(url)s",
    ],
    "library": [
        "Library",
        "Things to read, watch and listen to. They can help you now and after you leave.",
        "New",
        "There is nothing here yet. Come back soon.",
        "Topics",
        "Topic",
        "Your saved items",
        "There is nothing here for you yet.",
        "You have not saved anything yet. Choose ‘Save for later’ on anything in the library.",
        "Search the library",
        "For example: bank account, ID, curfew",
        "%(num)s result for ‘%(q)s’",
        "Nothing found for ‘%(q)s’",
        "Try other words, or look through the topics in the library.",
        "People in custody",
        "People in the community",
        "Both",
        "Article",
        "Audio",
        "Video",
        "PDF document",
    ],
    "library item": [
        "Part %(n)s",
        "Your device cannot play this. Read the transcript below.",
        "Download the document (PDF)",
        "Transcript",
        "This is not in Welsh yet, so it is in English.",
        "Remove from saved items",
        "Save for later",
        "You said this helped. Thank you.",
        "You said this did not help. Thank you for telling us.",
        "Did this help?",
        "Yes",
        "No",
        "What would have helped? (optional)",
        "Send",
        "Removed from your saved items.",
        "Saved. You can find it in your saved items.",
        "Thank you for telling us.",
        "Choose yes or no.",
        "Your reason must be %(n)s characters or fewer.",
    ],
    "library offline page": [
        "Offline",
        "You are offline",
        "This page has not been saved on this device. Try again when you are connected.",
    ],
    "reading help": [
        "Read aloud",
        "Pause",
        "Carry on",
        "Stop",
        "Bigger text",
        "Smaller text",
        "High contrast",
        "Reading help",
        "This device cannot read aloud. You can still make the text bigger or change the colours.",
    ],
    "early_release": [
        "Leaving early",
        "Some people can leave prison before their release date. Staff check if you can.",
        "Home detention curfew (a tag)",
        "You live at home with a tag and stay in at night.",
        "The law says you cannot get this for this sentence.",
        "The earliest date is %(date)s.",
        "Staff have not worked out your date yet.",
        "Your release date is %(date)s.",
        "Staff are looking at it now. Step: %(step)s.",
        "These dates can change. Ask your offender manager if you are not sure.",
        "Time out on licence",
        "You go out for the day or a night, to work, train or see family, and come back.",
        "You cannot get this now.",
        "You can ask from %(date)s.",
        "Tell us where you could live",
        "For a tag you need a safe place to live. Staff will check it with the people who live there.",
        "You told us: %(address)s, %(postcode)s.",
        "Who lives there?",
        "Send the address",
        "Tag (home detention curfew) from %(date)s at the earliest.",
        "Time out on licence from %(date)s.",
        "You can tell us where you could live.",
        "See your dates",
        "Thank you. Staff will check the address.",
        "Write the address.",
        "Write the postcode, like LS1 4AP.",
        "Risk assessment",
        "Home circumstances check",
        "Decision",
        "Curfew licence granted",
        "Refused",
    ],
    "api": [
        "This request had no valid CSRF token. Send the page's token as X-CSRFToken.",
        "Sign in first. A phone or tablet sends its device token as 'Authorization: Bearer …'; in a browser, sign in to Onward (staff with their authenticator code).",  # noqa: E501
        "You do not have permission to do this.",
        "Not found.",
        "Some of what was sent is not right. Check the errors and try again.",
        'The request body must be JSON, like {"name": "My phone"}.',
        "Your appointments, messages and check-ins.",
        "You do not have any licence conditions on here yet.",
        "You cannot write in this conversation.",
        "We do not have your home on record. Use a postcode instead.",
        "Give both latitude and longitude, or neither.",
        "There is no such course.",
    ],
}


@pytest.fixture(autouse=True)
def _compiled_and_reset() -> Iterator[None]:
    translations_compiled()
    yield
    translation.deactivate()  # a Welsh request must not leave Welsh active for the next test


@pytest.fixture
def welsh_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


@pytest.mark.parametrize("page", sorted(PERSON_FACING))
def test_person_facing_strings_have_a_welsh_translation(page: str) -> None:
    catalogue = polib.pofile(str(WELSH_PO))
    missing, untranslated = [], []
    for msgid in PERSON_FACING[page]:
        entry = catalogue.find(msgid)
        if entry is None or entry.obsolete:
            missing.append(msgid)
        elif entry.fuzzy or not _translated(entry):
            untranslated.append(msgid)
    assert not missing, f"Not in {WELSH_PO.name} (run scripts/extract_messages.py): {missing}"
    assert not untranslated, f"No Welsh yet for: {untranslated}"


def _translated(entry: polib.POEntry) -> bool:
    """The string, or every plural form of it, has Welsh."""
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(form.strip() for form in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def test_welsh_translations_keep_every_placeholder() -> None:
    wrong = [
        entry.msgid
        for entry in polib.pofile(str(WELSH_PO)).translated_entries()
        for translated in ([entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values())
        if sorted(PLACEHOLDER.findall(translated)) != sorted(PLACEHOLDER.findall(entry.msgid))
    ]
    assert not wrong, f"Welsh translations that lose or add a placeholder: {wrong}"


@pytest.mark.django_db
def test_person_sign_in_page_in_welsh(welsh_client: Client) -> None:
    page = welsh_client.get("/me/sign-in/").content.decode()
    assert '<html lang="cy"' in page
    assert "<title>Mewngofnodi – Onward</title>" in page
    assert "Neidio i’r prif gynnwys" in page
    assert "Rhif carchar" in page
    assert "Wedi anghofio eich PIN? Gofynnwch i aelod o staff ei ailosod." in page
    assert ">English</button>" in page


@pytest.mark.django_db
def test_sign_in_errors_in_welsh(welsh_client: Client, org: dict[str, Any]) -> None:
    empty = welsh_client.post("/me/sign-in/", {"prison_number": "", "pin": ""})
    assert empty.status_code == 400
    page = empty.content.decode()
    assert "<title>Gwall: Mewngofnodi – Onward</title>" in page
    assert "Mae problem wedi codi" in page
    assert "Rhowch eich rhif carchar" in page
    assert "Rhowch eich PIN" in page

    person = PersonFactory(unit=org["wing_a"])
    PinCredential.objects.create(user=person_account_ensure(person), pin_hash=make_password("4821"))
    wrong = welsh_client.post("/me/sign-in/", {"prison_number": person.prison_number, "pin": "1111"})
    assert "Nid yw’r rhif carchar neu’r PIN yn gywir." in wrong.content.decode()


@pytest.mark.django_db
def test_person_home_in_welsh(org: dict[str, Any], make_staff: Any, person_client: Any) -> None:
    key_worker = make_staff("key_worker", org["ngt"], first_name="Kim", last_name="Walker")
    person = PersonFactory(unit=org["wing_a"], first_name="Daniel")
    StaffAssignmentFactory(person=person, staff=key_worker, role=AssignmentRole.KEY_WORKER)
    client = person_client(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get("/me/").content.decode()
    assert "Helo, Daniel" in page
    assert "Does dim byd i chi ei wneud nawr." in page  # under "What to do now"
    assert "Pethau eraill" in page
    assert "Eich dyddiad nesaf" in page
    assert "Gweithiwr allweddol: <strong>Kim Walker</strong>" in page
    assert "Allgofnodi" in page


@pytest.mark.django_db
def test_page_not_found_in_welsh(welsh_client: Client) -> None:
    page = welsh_client.get("/no-such-page/")
    assert page.status_code == 404
    assert "Heb ddod o hyd i’r dudalen" in page.content.decode()


@pytest.fixture
def supervised(org: dict[str, Any], make_staff: Any, person_client: Any) -> dict[str, Any]:
    """A person on licence with a practitioner, signed in with the Welsh language cookie."""
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Pat", last_name="Smith")
    person = CommunityPersonFactory(unit=org["office_n"], first_name="Daniel")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    client = person_client(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return {"org": org, "person": person, "practitioner": practitioner, "client": client}


def _welsh_page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.content.decode()
    assert '<html lang="cy"' in page
    return page


@pytest.mark.django_db
def test_messages_inbox_in_welsh(supervised: dict[str, Any]) -> None:
    page = _welsh_page(supervised["client"], "/me/messages/")
    assert "gweithio gyda chi" in page  # who the conversation is with
    assert "Sgyrsiau" in page
    assert "Conversations" not in page
    assert "The staff working with you" not in page


@pytest.mark.django_db
def test_appointments_list_in_welsh(supervised: dict[str, Any]) -> None:
    AppointmentFactory(person=supervised["person"], staff=supervised["practitioner"])
    page = _welsh_page(supervised["client"], "/me/appointments/")
    assert "Eich apwyntiadau" in page
    assert "Goruchwyliaeth gyda’ch ymarferydd prawf" in page  # the appointment type, a model choice
    assert "Dewis sut rydyn ni’n eich atgoffa" in page
    assert "Your appointments" not in page
    assert "Supervision with your probation practitioner" not in page


@pytest.mark.django_db
def test_reminders_page_and_its_errors_in_welsh(supervised: dict[str, Any]) -> None:
    client = supervised["client"]
    page = _welsh_page(client, "/me/appointments/reminders/")
    assert "Sut rydyn ni’n eich atgoffa" in page
    assert "Neges destun" in page  # a reminder channel, a model choice
    assert "2 ddiwrnod cyn yr apwyntiad" in page
    assert "How we remind you" not in page
    assert "Text message" not in page

    refused = client.post("/me/appointments/reminders/", {"channel": "sms", "quiet_start": 22, "quiet_end": 7})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Dewiswch o leiaf un amser i gael eich atgoffa." in page
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in page
    assert "Choose at least one time to be reminded." not in page
    assert '<span class="govuk-visually-hidden">Error:</span>' not in page


@pytest.mark.django_db
def test_book_a_time_pages_in_welsh(supervised: dict[str, Any]) -> None:
    slot = SlotFactory(staff=supervised["practitioner"], office=supervised["org"]["office_n"])
    client = supervised["client"]
    times = _welsh_page(client, "/me/appointments/book/")
    assert "Dyma’r amseroedd sy’n rhydd gan eich gweithiwr." in times
    assert "These are the times your worker has free." not in times

    check = _welsh_page(client, f"/me/appointments/book/{slot.pk}/")
    assert "Gwirio’r amser" in check
    assert "Dewis yr amser hwn" in check
    assert "Book this time" not in check
    assert "When you book, you must go." not in check


@pytest.mark.django_db
def test_a_time_someone_else_took_is_refused_in_welsh(supervised: dict[str, Any]) -> None:
    slot = SlotFactory(staff=supervised["practitioner"], office=supervised["org"]["office_n"])
    other = CommunityPersonFactory(unit=supervised["org"]["office_n"])
    StaffAssignmentFactory(person=other, staff=supervised["practitioner"], role=AssignmentRole.PRACTITIONER)
    slot_book(actor=person_account_ensure(other), slot_id=slot.pk)
    response = supervised["client"].post(f"/me/appointments/book/{slot.pk}/", follow=True)
    page = response.content.decode()
    assert "Mae rhywun arall newydd gymryd yr amser hwnnw. Dewiswch un arall." in page
    assert "Someone else has just taken that time." not in page


@pytest.mark.django_db
def test_licence_page_in_welsh(supervised: dict[str, Any]) -> None:
    LicenceVersionFactory(person=supervised["person"])
    page = _welsh_page(supervised["client"], "/me/licence/")
    assert "Rheolau eich trwydded" in page
    assert "Rheol 1" in page
    assert "Beth mae hyn yn ei olygu" in page
    assert "These are the rules you must keep" not in page
    assert "What this means" not in page


@pytest.mark.django_db
def test_services_directory_in_welsh(supervised: dict[str, Any]) -> None:
    service = ServiceFactory(name="Chapel pantry")
    client = supervised["client"]
    search = _welsh_page(client, "/me/services/")
    assert "Dod o hyd i wasanaethau" in search
    assert "Banciau bwyd a phrydau bwyd" in search  # a service type, a model choice
    assert "Find services" not in search

    found = _welsh_page(client, "/me/services/?postcode=LS1+6DT")
    assert "1 lle yn agos at LS1 6DT" in found
    assert "place near" not in found

    detail = _welsh_page(client, f"/me/services/{service.pk}/")
    assert "Amseroedd agor" in detail
    assert "Dydd Llun" in detail
    assert "9yb tan 5yh" in detail
    assert "Opening times" not in detail
    assert "Monday" not in detail


@pytest.mark.django_db
def test_services_directory_postcode_error_in_welsh(supervised: dict[str, Any]) -> None:
    response = supervised["client"].get("/me/services/", {"postcode": "ZZ"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rhowch god post, fel LS6 1AA, neu’r hanner cyntaf, fel LS6" in page
    assert "Enter a postcode" not in page


@pytest.mark.django_db
def test_notifications_page_in_welsh(supervised: dict[str, Any]) -> None:
    page = _welsh_page(supervised["client"], "/me/notifications/")
    assert "Hysbysiadau ar y ffôn hwn" in page
    assert "Troi hysbysiadau ymlaen" in page
    assert "Notifications on this phone" not in page
    assert "Turn on notifications" not in page


# --- Learning and library -------------------------------------------------------------------------


@pytest.fixture
def course() -> Course:
    return demo_like_course()


@pytest.mark.django_db
def test_learning_home_and_joining_a_course_in_welsh(supervised: dict[str, Any], course: Course) -> None:
    client = supervised["client"]
    home = _welsh_page(client, "/me/learning/")
    assert "Dysgu" in home
    assert "Dydych chi ddim ar unrhyw gwrs eto." in home
    assert "Ymuno â’r cwrs hwn" in home
    assert "Courses you can join" not in home
    assert "Join this course" not in home

    joined = client.post(f"/me/learning/courses/{course.pk}/enrol/", follow=True).content.decode()
    assert "Rydych chi wedi ymuno â’r cwrs hwn." in joined
    assert "0 o 2 gwers wedi’u gwneud" in joined
    assert "You have joined this course" not in joined
    assert "lessons done" not in joined


@pytest.mark.django_db
def test_a_lesson_and_its_quiz_feedback_in_welsh(supervised: dict[str, Any], course: Course) -> None:
    client = supervised["client"]
    client.post(f"/me/learning/courses/{course.pk}/enrol/")
    lesson = Lesson.objects.filter(module__course=course).order_by("position").first()
    assert lesson is not None
    page = _welsh_page(client, f"/me/learning/lessons/{lesson.pk}/")
    assert "Cwis cyflym" in page
    assert "Dewiswch bob un sy’n gywir." in page
    assert "Gwirio fy atebion" in page
    assert 'data-label-play="Darllen yn uchel"' in page  # the reading help toolbar's words
    assert "Quick quiz" not in page
    assert "Check my answers" not in page
    assert "Read aloud" not in page

    wrong = {f"q{q.pk}": [q.options.filter(correct=False).first().pk] for q in lesson.questions.all()}
    marked = client.post(f"/me/learning/lessons/{lesson.pk}/", wrong).content.decode()
    assert "Ddim yn hollol" in marked
    assert "Cawsoch chi 0 allan o 2 yn gywir. Darllenwch y nodiadau isod" in marked
    assert "Not quite" not in marked
    assert "Read the notes below" not in marked

    missed = client.post(f"/me/learning/lessons/{lesson.pk}/", {})
    assert missed.status_code == 400
    assert "Atebwch bob cwestiwn." in missed.content.decode()
    assert "Answer every question" not in missed.content.decode()


@pytest.mark.django_db
def test_a_self_assessment_and_its_score_in_welsh(supervised: dict[str, Any]) -> None:
    coping = assessment_build("How am I coping?", ["Sleep", "Calm"], [("Not at all", 0), ("A lot", 3)])
    client = supervised["client"]
    url = f"/me/learning/self-assessments/{coping.pk}/"
    page = _welsh_page(client, url)
    assert "Atebwch y cwestiynau" in page
    assert "Dim sgorau eto." in page
    assert "Answer the questions" not in page
    assert "No scores yet." not in page

    answers = {f"q{q.pk}": q.options.get(score=3).pk for q in coping.questions.all()}
    scored = client.post(url, answers, follow=True).content.decode()
    assert "Diolch. Eich sgôr yw 6 allan o 6." in scored
    assert "Sgorau dros amser: How am I coping?" in scored
    assert "Your score is" not in scored
    assert "Scores over time" not in scored


@pytest.mark.django_db
def test_the_certificate_and_its_public_check_in_welsh(
    supervised: dict[str, Any], course: Course, welsh_client: Client
) -> None:
    certificate = Certificate.objects.create(person=supervised["person"], course=course, code=certificate_code_new())
    pdf = supervised["client"].get(f"/me/learning/courses/{course.pk}/certificate/")
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "Tystysgrif cwblhau" in text
    assert "Mae hyn yn dangos bod" in text
    assert "Cod gwirio:" in text
    assert "Certificate of completion" not in text
    assert "Verification code" not in text

    page = _welsh_page(welsh_client, "/certificates/verify/")
    assert "Gwirio tystysgrif" in page
    assert "Teipiwch y cod sydd ar waelod y dystysgrif." in page
    assert "Check a certificate" not in page

    real = _welsh_page(welsh_client, f"/certificates/verify/?code={certificate.code}")
    assert "Mae’r dystysgrif hon yn un go iawn" in real
    assert "Gorffennodd Daniel" in real
    assert "This certificate is real" not in real

    unknown = _welsh_page(welsh_client, "/certificates/verify/?code=NOSUCHCODE")
    assert "Allwn ni ddim dod o hyd i’r dystysgrif hon." in unknown
    assert "We cannot find this certificate" not in unknown


@pytest.fixture
def library_item(org: dict[str, Any], make_staff: Any) -> Item:
    editor = make_staff(Role.CONTENT_EDITOR, org["north"])
    topic = TopicFactory(slug="money", name="Money")
    return published_item(editor, None, "How to open a bank account", body="## What you need\n\n- ID", topics=(topic,))


@pytest.mark.django_db
def test_library_home_and_search_in_welsh(supervised: dict[str, Any], library_item: Item) -> None:
    client = supervised["client"]
    home = _welsh_page(client, "/me/library/")
    assert "Llyfrgell" in home
    assert "Pethau i’w darllen, eu gwylio a gwrando arnyn nhw." in home
    assert "Erthygl" in home  # the kind of item, a model choice
    assert "Chwilio’r llyfrgell" in home
    assert "Things to read" not in home
    assert "Article" not in home
    assert "Search the library" not in home

    found = _welsh_page(client, "/me/library/search/?q=bank")
    assert "1 canlyniad ar gyfer ‘bank’" in found
    assert "How to open a bank account" in found
    assert "result for" not in found

    nothing = _welsh_page(client, "/me/library/search/?q=zebra")
    assert "Heb ddod o hyd i ddim ar gyfer ‘zebra’" in nothing
    assert "Nothing found" not in nothing


@pytest.mark.django_db
def test_a_library_item_and_rating_it_in_welsh(supervised: dict[str, Any], library_item: Item) -> None:
    client = supervised["client"]
    url = f"/me/library/items/{library_item.pk}/"
    page = _welsh_page(client, url)
    assert "Dydy hwn ddim yn Gymraeg eto, felly mae yn Saesneg." in page
    assert "Oedd hwn o help?" in page
    assert "Cadw ar gyfer nes ymlaen" in page
    assert 'data-label-tools="Help i ddarllen"' in page
    assert "Did this help?" not in page
    assert "Save for later" not in page
    assert "Reading help" not in page

    refused = client.post(f"{url}rate/", {}, follow=True).content.decode()
    assert "Dewiswch ie neu na." in refused
    assert "Choose yes or no." not in refused
    rated = client.post(f"{url}rate/", {"helped": "yes"}, follow=True).content.decode()
    assert "Diolch am ddweud wrthym ni." in rated
    assert "Dywedoch chi fod hwn wedi helpu. Diolch." in rated
    assert "Thank you" not in rated


@pytest.mark.django_db
def test_the_offline_library_page_is_in_the_language_of_whoever_fetched_the_service_worker(
    welsh_client: Client,
) -> None:
    script = welsh_client.get("/sw.js").content.decode()
    assert '"heading": "Rydych chi all-lein"' in script
    assert '"lang": "cy"' in script
    assert "You are offline" not in script
    english = Client().get("/sw.js").content.decode()
    assert '"heading": "You are offline"' in english


# --- What we send a person is written in their language, whoever's action sends it ------------------


@pytest.fixture
def welsh_reader(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    """A person who chose Welsh, and their practitioner, who acts in English."""
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], preferred_language=Language.WELSH, email="")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    return {"person": person, "practitioner": practitioner}


def _sent_to(person: Any) -> list[str]:
    return [f"{m.subject} | {m.body}" for m in OutboxMessage.objects.filter(person=person).order_by("pk")]


@pytest.mark.django_db
def test_appointment_notices_reach_a_welsh_reader_in_welsh(welsh_reader: dict[str, Any]) -> None:
    person, practitioner = welsh_reader["person"], welsh_reader["practitioner"]
    starts = AppointmentFactory.build().starts_at
    details = AppointmentDetails(
        kind="supervision",
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=45),
        address="2 High Street",
        staff=practitioner,
    )
    with translation.override("en-gb"):
        appointment = appointment_book(actor=practitioner, person=person, details=details)
        appointment_cancel(actor=practitioner, appointment=appointment, reason="Office closed")
    booked, cancelled = _sent_to(person)
    assert booked.startswith("Apwyntiad newydd | Mae gennych chi apwyntiad newydd: Goruchwyliaeth gyda’ch ymarferydd")
    assert "2 High Street" in booked
    assert cancelled.startswith("Apwyntiad wedi’i ganslo | Mae eich apwyntiad wedi’i ganslo")
    assert not any("appointment" in text for text in (booked, cancelled))
    assert translation.get_language() != "cy"  # the staff member's language is left as it was


@pytest.mark.django_db
def test_licence_change_notice_reaches_a_welsh_reader_in_welsh(welsh_reader: dict[str, Any]) -> None:
    person = welsh_reader["person"]
    person_account_ensure(person)
    with translation.override("en-gb"):
        licence_version_issue(
            actor=welsh_reader["practitioner"],
            person=person,
            conditions=standard_conditions(),
        )
    assert _sent_to(person) == [
        "Mae rheolau eich trwydded wedi newid | Mae rheolau eich trwydded wedi newid. "
        "Darllenwch nhw, yna rhowch wybod i ni eich bod wedi’u darllen."
    ]


@pytest.mark.django_db
def test_checking_a_phone_is_in_welsh_for_a_welsh_reader(welsh_reader: dict[str, Any], person_client: Any) -> None:
    person = welsh_reader["person"]
    person.phone_verified_at = None
    person.save(update_fields=["phone_verified_at"])
    with translation.override("en-gb"):
        contact_code_send(actor=welsh_reader["practitioner"], person=person, channel="sms")
    [sent] = _sent_to(person)
    assert sent.startswith("Gwiriwch eich manylion cyswllt ar gyfer Onward | Eich cod Onward yw ")
    client = person_client(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    assert "Gwiriwch nhw nawr" in client.get("/me/").content.decode()
    page = client.get("/me/contact/").content.decode()
    assert "Gwiriwch eich ffôn a’ch e-bost" in page
    assert "Heb ei wirio" in page
    wrong = client.post("/me/contact/", {"channel": "sms", "action": "verify", "code": "abc"})
    assert "Dydy’r cod yna ddim yn gywir neu mae wedi dod i ben." in wrong.content.decode()


@pytest.mark.django_db
def test_checkin_invitation_reaches_a_welsh_reader_in_welsh(welsh_reader: dict[str, Any]) -> None:
    person = welsh_reader["person"]
    EnrolmentFactory(person=person, starts_on=timezone.localdate())
    with translation.override("en-gb"):
        assert checkins_create_due()["created"] == 1
    sent = _sent_to(person)
    assert sent
    assert all(text.startswith("Amser ar gyfer eich gwiriad | ") for text in sent), sent
    assert not any(" on " in text for text in sent)


@pytest.mark.django_db
def test_new_message_notice_reaches_a_welsh_reader_in_welsh(welsh_reader: dict[str, Any]) -> None:
    person, practitioner = welsh_reader["person"], welsh_reader["practitioner"]
    person_account_ensure(person)
    with translation.override("en-gb"):
        conversation = conversation_for_person(actor=practitioner, person=person)
        message_send(actor=practitioner, conversation=conversation, body="See you on Monday")
    sent = _sent_to(person)
    assert any(text.startswith("Mae gennych neges newydd | Agorwch eich negeseuon") for text in sent)  # in the app
    assert any("Mae gennych neges newydd ar Onward." in text for text in sent)  # by text message
    assert not any("You have a new message" in text for text in sent)


@pytest.mark.django_db
def test_api_messages_for_a_person_are_in_welsh(supervised: dict[str, Any]) -> None:
    """A phone that asks for Welsh (Accept-Language) gets the API's messages in Welsh."""
    token = device_token_create(actor=person_account_ensure(supervised["person"]), name="Fy ffôn").token
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "cy"}
    response = Client().get("/api/v1/me/licence", headers=headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Does gennych chi ddim rheolau trwydded yma eto."}


@pytest.mark.django_db
def test_the_plan_page_and_adding_a_to_do_in_welsh(supervised: dict[str, Any], make_staff: Any) -> None:
    from onward.resettlement.models import Need
    from onward.resettlement.services import action_add, assessment_record

    person = supervised["person"]
    assessment_record(actor=supervised["practitioner"], person=person, kind="review", need_codes=["no_bank_account"])
    action_add(actor=supervised["practitioner"], person=person, need=Need.objects.get(), text="Bring two letters")
    client = supervised["client"]
    page = _welsh_page(client, "/me/plan/")
    assert "Eich cynllun" in page
    assert "Pethau mae eraill yn eu gwneud i chi" in page
    assert "Agor cyfrif banc" in page  # the need in plain words
    assert "Heb ddechrau" in page  # its status
    assert "Things for you to do" not in page
    added = client.post("/me/plan/to-do/", {"text": "Ffonio fy chwaer", "due_on": ""}, follow=True)
    assert "Wedi’i ychwanegu at eich rhestr." in added.content.decode()
    refused = client.post("/me/plan/to-do/", {"text": "", "due_on": ""})
    assert refused.status_code == 400
    assert "Ysgrifennwch beth sydd angen ei wneud." in refused.content.decode()
    home = _welsh_page(client, "/me/")
    assert "Mae gennych chi 1 peth i’w wneud." in home


@pytest.mark.django_db
def test_documents_and_applications_in_welsh(supervised: dict[str, Any], settings: Any, tmp_path: Path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onward.resettlement.services import application_start, application_status_change

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    person, client = supervised["person"], supervised["client"]
    application = application_start(actor=supervised["practitioner"], person=person, kind="passport")
    application_status_change(actor=supervised["practitioner"], application=application, status="submitted")
    page = _welsh_page(client, "/me/documents/")
    assert "Eich dogfennau" in page
    assert "Cael pasbort" in page  # the application in plain words
    assert "Wedi’i anfon" in page  # its status
    assert "Your documents" not in page
    refused = client.post(
        "/me/documents/", {"kind": "letter", "file": SimpleUploadedFile("a.pdf", b"MZ" + b"\x00" * 50)}
    )
    assert refused.status_code == 400
    assert "Dim ond llun (JPEG neu PNG) neu PDF y gallwch ei ddefnyddio." in refused.content.decode()


@pytest.mark.django_db
def test_making_a_request_and_reading_its_history_in_welsh(org: dict[str, Any], person_client: Any) -> None:
    person = PersonFactory(unit=org["wing_a"], first_name="Daniel")
    client = person_client(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = _welsh_page(client, "/me/requests/")
    assert "Gwneud cais" in page
    assert "Ymweliadau" in page  # a kind of request, a model choice
    assert "Make a request" not in page
    refused = client.post("/me/requests/", {"kind": "visits", "text": ""})
    assert refused.status_code == 400
    assert "Ysgrifennwch beth rydych chi’n gofyn amdano." in refused.content.decode()
    sent = client.post("/me/requests/", {"kind": "visits", "text": "Ymweliad dydd Sadwrn"}, follow=True)
    body = sent.content.decode()
    assert "Mae eich cais wedi’i anfon." in body
    assert "Fe anfonoch chi’r cais" in body
    assert "Wedi’i hanfon" in body  # its state


@pytest.mark.django_db
def test_the_release_pack_in_welsh(supervised: dict[str, Any]) -> None:
    response = supervised["client"].get("/me/plan/release-pack.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Eich pecyn rhyddhau" in text
    assert "Mewngofnodi i Onward" in text
    assert "Your release pack" not in text


@pytest.mark.django_db
def test_early_release_dates_and_address_in_welsh(org: dict[str, Any], person_client: Any) -> None:
    from onward.opportunities.tests.factories import SentenceFactory

    person = PersonFactory(unit=org["wing_a"], first_name="Daniel")
    SentenceFactory(person=person, sentenced_on=timezone.localdate() - dt.timedelta(days=120), term_months=24)
    client = person_client(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = _welsh_page(client, "/me/early-release/")
    assert "Gadael yn gynnar" in page
    assert "Y dyddiad cynharaf yw" in page
    assert "Dywedwch wrthym ble gallech chi fyw" in page
    home = client.get("/me/").content.decode()
    assert "Gweld eich dyddiadau" in home
    refused = client.post("/me/early-release/", {"address": "", "postcode": "LS1 4AP"})
    assert refused.status_code == 400
    assert "Ysgrifennwch y cyfeiriad." in refused.content.decode()
    sent = client.post("/me/early-release/", {"address": "1 Park Row", "postcode": "ls14ap"}, follow=True)
    assert "Diolch. Bydd staff yn gwirio" in sent.content.decode()  # the apostrophe is escaped
