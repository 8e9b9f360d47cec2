"""The demo area's services directory: invented services around the fictional town of Northgate.

Northgate's demo people live around 53.80, -1.55, so the entries use real postcodes there (for
their positions, from the offline postcode data) with invented names, streets and words. Entries go
in through the editors' service, so each is audited like any other.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from onward.directory.models import Category
from onward.directory.services import ServiceDetails, service_create, service_mark_checked

T = dt.time
WEEKDAYS = range(5)
EVERY_DAY = range(7)
SHOWN_AS_CHECKED_DAYS_AGO = [3, 12, 30, 45, 70, 95, 140, 200]  # a spread, so some are due a check


def _weekly(days: Any, *periods: tuple[dt.time, dt.time]) -> dict[int, list[tuple[dt.time, dt.time]]]:
    return {day: list(periods) for day in days}


# (name, category, postcode, street, phone, opening times, description, what to bring, Welsh description)
DEMO_SERVICES: list[tuple[str, str, str, str, str, dict[int, list[tuple[dt.time, dt.time]]], str, str, str]] = [
    (
        "Quarry Street Community Pantry",
        Category.FOOD,
        "LS1 3ED",
        "Unit 2, Quarry Street Arches",
        "0113 496 0101",
        {1: [(T(10), T(13))], 3: [(T(10), T(13))], 5: [(T(9, 30), T(12))]},
        "A food bank in the town centre. You get a parcel with about three days of food, and a hot drink "
        "while you wait. Volunteers can help you find other support.",
        "Nothing is needed. If you have a food bank voucher, bring it. Bring a bag if you can.",
        "Banc bwyd yng nghanol y dref. Rydych chi'n cael parsel gyda bwyd am tua thri diwrnod, a diod boeth "
        "tra byddwch chi'n aros.",
    ),
    (
        "Northgate Methodist Food Bank",
        Category.FOOD,
        "LS1 3AD",
        "Wesley Hall, Chapel Court",
        "0113 496 0102",
        {0: [(T(12), T(15))], 2: [(T(12), T(15))], 4: [(T(12), T(15))]},
        "Food parcels three afternoons a week, including food for people who cannot cook at home.",
        "A voucher from your probation officer, Jobcentre or doctor, if you have one. Proof of address is not needed.",
        "Parseli bwyd dri phrynhawn yr wythnos, gan gynnwys bwyd i bobl na allant goginio gartref.",
    ),
    (
        "Holbeck Family Larder",
        Category.FOOD,
        "LS11 6TD",
        "The Old Library, Marsh Row",
        "0113 496 0103",
        {1: [(T(16), T(19))], 5: [(T(10), T(13))]},
        "A members' larder: pay £4 a week and choose £20 of food. Fresh fruit and vegetables every week.",
        "Proof of address for joining (a letter with your name on it).",
        "",
    ),
    (
        "Eastside Community Kitchen",
        Category.FOOD,
        "LS9 7PY",
        "St Luke's Hall, Foundry Walk",
        "0113 496 0104",
        _weekly(EVERY_DAY, (T(17), T(19))),
        "A free hot meal every evening. Everyone is welcome; you do not need to book.",
        "",
        "Pryd poeth am ddim bob nos. Mae croeso i bawb.",
    ),
    (
        "Armley Road Food Bank",
        Category.FOOD,
        "LS12 2UD",
        "Back of the Co-operative Hall, Tanner Lane",
        "0113 496 0105",
        {2: [(T(10), T(12, 30))], 5: [(T(10), T(12, 30))]},
        "Emergency food parcels. Toiletries and nappies are also available.",
        "A referral voucher if you have one. You can also ask for one when you arrive.",
        "",
    ),
    (
        "Northgate Housing Advice Centre",
        Category.HOUSING,
        "LS1 9TS",
        "3rd floor, Mercer House, Exchange Square",
        "0113 496 0201",
        _weekly(WEEKDAYS, (T(9), T(17))),
        "Free advice if you have nowhere to live, may lose your home, or are leaving prison. They can help "
        "you apply to the council for housing.",
        "ID if you have it, your release licence, and any letters about your housing.",
        "Cyngor am ddim os nad oes gennych chi rywle i fyw, neu os ydych chi'n gadael y carchar.",
    ),
    (
        "St Anne's Night Shelter",
        Category.HOUSING,
        "LS7 2JF",
        "St Anne's Yard, Hollin Road",
        "0113 496 0202",
        _weekly(EVERY_DAY, (T(20), T(8))),
        "Beds for the night and breakfast, for men and women over 18. Arrive by 10pm to be sure of a bed.",
        "Nothing. Any medicine you take.",
        "",
    ),
    (
        "Open Door Day Centre",
        Category.HOUSING,
        "LS2 7EW",
        "14 Foundry Lane",
        "0113 496 0203",
        _weekly(WEEKDAYS, (T(8), T(14))),
        "Showers, laundry, breakfast and a place to get post if you have no address.",
        "",
        "",
    ),
    (
        "Northgate Money Advice",
        Category.DEBT,
        "LS1 3AD",
        "Room 5, Chapel Court Offices",
        "0113 496 0301",
        {0: [(T(9, 30), T(16, 30))], 1: [(T(9, 30), T(16, 30))], 3: [(T(9, 30), T(19))]},
        "Free help with debts, benefits, bank accounts and budgeting. They can talk to the people you owe for you.",
        "Any letters about money you owe, and your bank card if you have one.",
        "Help am ddim gyda dyledion, budd-daliadau a chyfrifon banc.",
    ),
    (
        "Credit Union Northgate",
        Category.DEBT,
        "LS10 1NZ",
        "2 Weavers Row",
        "0113 496 0302",
        _weekly(WEEKDAYS, (T(10), T(15))),
        "Open a savings account or get a small loan at a fair rate. "
        "A basic bank account is possible without a fixed address.",
        "Photo ID if you have it.",
        "",
    ),
    (
        "Forward Steps Drug and Alcohol Service",
        Category.DRUGS_ALCOHOL,
        "LS2 8BQ",
        "Unit 6, Canal Wharf",
        "0113 496 0401",
        {**_weekly(WEEKDAYS, (T(9), T(17))), 3: [(T(9), T(20))]},
        "Support to cut down or stop drugs or alcohol, including prescriptions, groups and one-to-one help. "
        "Drop in without an appointment on weekday mornings.",
        "Any medicine you take.",
        "Cymorth i leihau neu roi'r gorau i gyffuriau neu alcohol.",
    ),
    (
        "Needle Exchange and Naloxone, Eastside Pharmacy",
        Category.DRUGS_ALCOHOL,
        "LS9 7PH",
        "41 Foundry Walk",
        "0113 496 0402",
        {**_weekly(WEEKDAYS, (T(8), T(22))), 5: [(T(9), T(18))], 6: [(T(10), T(16))]},
        "Clean needles and naloxone kits (which can reverse an overdose). Free and confidential.",
        "",
        "",
    ),
    (
        "Northgate Recovery Café",
        Category.DRUGS_ALCOHOL,
        "LS6 1GH",
        "The Corner House, Brook Street",
        "0113 496 0403",
        {4: [(T(18), T(23))], 5: [(T(18), T(1))]},
        "A café run by people in recovery, open on Friday and Saturday evenings. Meetings, music and no alcohol.",
        "",
        "",
    ),
    (
        "Town Centre Walk-in Health Centre",
        Category.HEALTH,
        "LS1 3AU",
        "Ground floor, Market Buildings",
        "0113 496 0501",
        _weekly(EVERY_DAY, (T(7), T(22))),
        "See a nurse or doctor without an appointment. They can also help you register with a GP.",
        "Any medicine you take, and your NHS number if you know it.",
        "Gweld nyrs neu feddyg heb apwyntiad.",
    ),
    (
        "Westside Mental Health Drop-in",
        Category.HEALTH,
        "LS12 6NY",
        "Westside Community Centre, Mill Road",
        "0113 496 0502",
        {1: [(T(13), T(16))], 3: [(T(13), T(16))]},
        "Talk to someone about how you feel, in a calm space. No appointment or referral needed.",
        "",
        "",
    ),
    (
        "Northgate Dental Access Clinic",
        Category.HEALTH,
        "LS11 6AJ",
        "Suite 2, Riverside Clinic",
        "0113 496 0503",
        _weekly(WEEKDAYS, (T(8, 30), T(12, 30))),
        "Urgent dental care for people without a dentist. Ring at 8:30am for a same-day appointment.",
        "",
        "",
    ),
    (
        "Northgate Job Club",
        Category.WORK,
        "LS1 3ED",
        "Central Library, Quarry Street",
        "0113 496 0601",
        {0: [(T(10), T(12))], 2: [(T(10), T(12))]},
        "Help with CVs, job searching and applications, with computers to use. Many employers here take on "
        "people with convictions.",
        "Your CV if you have one, and an email address if you have one.",
        "Help gyda CV, chwilio am waith a cheisiadau.",
    ),
    (
        "Second Chance Construction Training",
        Category.WORK,
        "LS10 1PL",
        "Yard 4, Weavers Row",
        "0113 496 0602",
        _weekly(WEEKDAYS, (T(8), T(16))),
        "Free construction skills courses with a CSCS card at the end, and help to find work on building sites.",
        "Photo ID and your National Insurance number.",
        "",
    ),
    (
        "Northgate Jobcentre",
        Category.WORK,
        "LS2 7EW",
        "Crown House, Foundry Lane",
        "0800 496 0603",
        _weekly(WEEKDAYS, (T(9), T(17))),
        "Claim Universal Credit and get help to look for work.",
        "Photo ID, your bank details and your release licence.",
        "",
    ),
    (
        "St Mary's Church Drop-in",
        Category.FAITH,
        "LS8 4DN",
        "St Mary's Church Hall, Vicarage Road",
        "0113 496 0701",
        {2: [(T(10), T(13))], 6: [(T(12), T(14))]},
        "Tea, toast and a friendly chat. The chaplain can talk with people of any faith or none.",
        "",
        "",
    ),
    (
        "Northgate Central Mosque Community Support",
        Category.FAITH,
        "LS6 1DB",
        "Community rooms, Brook Street",
        "0113 496 0702",
        {4: [(T(14), T(17))], 6: [(T(11), T(14))]},
        "Advice, a hot meal on Sundays and mentoring for people coming out of prison.",
        "",
        "",
    ),
    (
        "Families First Northgate",
        Category.FAMILY,
        "LS7 2JH",
        "Sunrise Children's Centre, Hollin Road",
        "0113 496 0801",
        _weekly(WEEKDAYS, (T(9), T(16))),
        "Support for parents and families, including help to rebuild contact with your children.",
        "",
        "Cymorth i rieni a theuluoedd.",
    ),
    (
        "Prison Families Helpline (Northgate office)",
        Category.FAMILY,
        "LS1 9TS",
        "Mercer House, Exchange Square",
        "0800 496 0802",
        {**_weekly(WEEKDAYS, (T(9), T(20))), 5: [(T(10), T(15))], 6: [(T(10), T(15))]},
        "For families of someone in prison or just released: visits, money and what to expect.",
        "",
        "",
    ),
]


def demo_directory_seed(editor: Any) -> int:
    """Create the demo directory as the demo editor. Returns how many entries were made."""
    today = timezone.localdate()
    christmas = dt.date(today.year if today <= dt.date(today.year, 12, 25) else today.year + 1, 12, 25)
    for index, (name, category, postcode, street, phone, weekly, description, bring, welsh) in enumerate(DEMO_SERVICES):
        details = ServiceDetails(
            name=name,
            category=category,
            description=description,
            description_cy=welsh,
            what_to_bring=bring,
            address=f"{street}, Northgate",
            postcode=postcode,
            phone=phone,
            weekly=weekly,
            # Everything in the demo closes on Christmas Day except the night shelter.
            exceptions={} if category == Category.HOUSING and "Shelter" in name else {christmas: ([], "Christmas Day")},
        )
        service = service_create(actor=editor, details=details)
        days_ago = SHOWN_AS_CHECKED_DAYS_AGO[index % len(SHOWN_AS_CHECKED_DAYS_AGO)]
        service_mark_checked(actor=editor, service=service, on=today - dt.timedelta(days=days_ago))
    return len(DEMO_SERVICES)
