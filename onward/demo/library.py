"""Demo library content, written for Onward: topics and a few articles people in prison and on licence
need. Published through the services, so custody items carry a second editor's approval."""

from typing import Any

from onward.library import services
from onward.library.models import Audience, Topic
from onward.organisations.models import OrgUnit

TOPICS = [
    (
        "money-and-id",
        "Money and ID",
        "Arian ac adnabod",
        "Bank accounts, ID and benefits.",
        "Cyfrifon banc, ID a budd-daliadau.",
    ),
    (
        "release-and-licence",
        "Release and licence",
        "Rhyddhau a thrwydded",
        "Getting ready to leave, and the rules after.",
        "Paratoi i adael, a'r rheolau wedyn.",
    ),
    (
        "life-in-prison",
        "Life in prison",
        "Bywyd yn y carchar",
        "Day-to-day things inside.",
        "Pethau bob dydd y tu mewn.",
    ),
]

ID_AFTER_RELEASE = """Many things are easier with ID: opening a bank account, claiming benefits, renting a
room, starting a job.

## Start before you leave

Ask your prison offender manager or the resettlement team about ID. Many prisons can help you order a birth
certificate before you are released.

## What counts as ID

- a passport or a photo driving licence
- a birth certificate, with something that shows your address
- a letter from the prison or from your probation practitioner, for some banks and for benefits

## If you have no ID at all

Start with your birth certificate. You can order one from the General Register Office (England and Wales) if
you know where you were born. Then use it to get other ID.

> Keep your ID somewhere safe, and keep a copy of each document."""

BANK_ACCOUNT = """A bank account lets you get paid, get benefits and pay bills.

## What you need

- some ID (read "How to get ID after release")
- proof of where you live, or a letter from probation or the prison

## Basic bank accounts

Most big banks have a **basic bank account**. It has no overdraft and it is free. The bank cannot refuse you
just because you have been in prison.

## Steps

1. Choose a bank with a branch near you.
2. Ask for a basic bank account.
3. Take your ID and your letter.
4. You get a card in the post, usually within 2 weeks.

If a bank says no, ask them why in writing, and tell your probation practitioner."""

BANK_ACCOUNT_CY = """Mae cyfrif banc yn gadael i chi gael eich talu, cael budd-daliadau a thalu biliau.

## Beth sydd ei angen arnoch chi

- rhywfaint o ID
- prawf o ble rydych chi'n byw, neu lythyr gan y gwasanaeth prawf neu'r carchar

## Cyfrifon banc sylfaenol

Mae gan y rhan fwyaf o fanciau mawr **gyfrif banc sylfaenol**. Does dim gorddrafft ac mae am ddim. Ni all y
banc eich gwrthod dim ond am eich bod wedi bod yn y carchar.

## Camau

1. Dewiswch fanc gyda changen yn agos atoch chi.
2. Gofynnwch am gyfrif banc sylfaenol.
3. Ewch â'ch ID a'ch llythyr.
4. Byddwch yn cael cerdyn yn y post, fel arfer o fewn 2 wythnos."""

HDC_CURFEW = """Home detention curfew (HDC) means you leave prison early and live at an approved address, with a curfew.

## What the curfew means

- You must be at your address during your curfew hours, every day. Your licence says the hours.
- You wear a tag. It tells the monitoring company if you are not home during your curfew.
- Outside your curfew hours you can go out, but you must keep all your licence rules.

## If something goes wrong

If you will be late because of something you cannot help, like a bus that does not come, **phone the
monitoring company straight away**. The number is in your paperwork.

Breaking your curfew can mean you are recalled to prison.

## Questions

Ask your probation practitioner about anything you are not sure of."""

FIRST_WEEK = """The first days after release are busy. This list helps you keep track.

- Go to your first probation appointment. The time and place are on your licence.
- Tell the Jobcentre you have left prison and ask about Universal Credit.
- Register with a doctor (GP).
- Check you have your medicine.
- Save important phone numbers in your phone.

If you have nowhere to stay tonight, contact your local council's housing team as soon as you can."""

TABLET = """Your in-cell tablet lets you send messages to your key worker, read the library and see your timetable.

## Keep it working

- Charge it every night.
- Do not share your PIN with anyone.
- If it stops working, tell your wing officer.

Your tablet signs you out after 10 minutes without use, so no one else can read your messages."""


def library_seed(editor: Any, approver: Any, prison: OrgUnit) -> None:
    topics = {}
    for position, (slug, name, name_cy, description, description_cy) in enumerate(TOPICS):
        topics[slug] = Topic.objects.create(
            slug=slug,
            name=name,
            name_cy=name_cy,
            description=description,
            description_cy=description_cy,
            position=position,
        )
    articles = [
        (
            "How to get ID after release",
            "What counts as ID, and how to get it if you have none.",
            ID_AFTER_RELEASE,
            Audience.BOTH,
            (),
            "money-and-id",
            None,
        ),
        (
            "How to open a bank account",
            "Basic bank accounts are free, and you can have one.",
            BANK_ACCOUNT,
            Audience.BOTH,
            (),
            "money-and-id",
            services.TextIn(
                title="Sut i agor cyfrif banc",
                summary="Mae cyfrifon banc sylfaenol am ddim, a gallwch gael un.",
                body=BANK_ACCOUNT_CY,
            ),
        ),
        (
            "What a home detention curfew (HDC) means",
            "The curfew, the tag, and what to do if you will be late.",
            HDC_CURFEW,
            Audience.BOTH,
            (),
            "release-and-licence",
            None,
        ),
        (
            "Your first week out: a checklist",
            "Things to do in your first days after release.",
            FIRST_WEEK,
            Audience.COMMUNITY,
            (),
            "release-and-licence",
            None,
        ),
        (
            "Looking after your in-cell tablet",
            "Charging, your PIN, and what to do if it breaks.",
            TABLET,
            Audience.CUSTODY,
            (prison,),
            "life-in-prison",
            None,
        ),
    ]
    for title, summary, body, audience, prisons, topic, welsh in articles:
        texts = {"en-gb": services.TextIn(title=title, summary=summary, body=body)}
        if welsh is not None:
            texts["cy"] = welsh
        draft = services.ItemDraft(
            texts=texts,
            targeting=services.Targeting(audience=audience, all_prisons=not prisons, prisons=prisons),
            topics=(topics[topic],),
        )
        item = services.item_create(actor=editor, draft=draft)
        if audience != Audience.COMMUNITY:
            item = services.item_submit(actor=editor, item=item)
            item = services.item_approve(actor=approver, item=item)
        services.item_publish(actor=editor, item=item)
