"""The catalogue of licence conditions: what each says, and what it means in plain words.

Written by us for Onward (not the statutory wording): each condition's words as a licence shows
them, and an explanation a person can follow at a reading age of about 9, in English and Welsh.
The Welsh is ours too and should be checked by a fluent speaker before it is relied on.

`{details}` in a wording is replaced by what staff type for that person (a place, a name, hours).
A licence keeps a copy of the words it was issued with, so editing this catalogue never changes a
licence someone has already been given.
"""

from typing import Any, NamedTuple


class CatalogueEntry(NamedTuple):
    code: str
    kind: str  # "standard" or "additional"
    wording: str
    explanation: str
    wording_cy: str
    explanation_cy: str
    details_label: str = ""  # what staff must add for this person; "" when nothing


CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry(
        "good_behaviour",
        "standard",
        "Behave well, and do nothing that goes against the purpose of this licence.",
        "Stay out of trouble. Your licence is there to keep people safe and to help you stay away "
        "from crime. Do not do anything that works against that.",
        "Ymddwyn yn dda, a pheidio â gwneud dim sy'n mynd yn groes i bwrpas y drwydded hon.",
        "Cadwch allan o drwbl. Mae eich trwydded yno i gadw pobl yn ddiogel ac i'ch helpu i gadw "
        "draw o droseddu. Peidiwch â gwneud dim sy'n gweithio yn erbyn hynny.",
    ),
    CatalogueEntry(
        "no_offence",
        "standard",
        "Do not commit any offence.",
        "Do not break the law. If you are charged with a crime, you could go back to prison.",
        "Peidio â chyflawni unrhyw drosedd.",
        "Peidiwch â thorri'r gyfraith. Os cewch eich cyhuddo o drosedd, gallech fynd yn ôl i'r carchar.",
    ),
    CatalogueEntry(
        "keep_in_touch",
        "standard",
        "Keep in touch with your probation practitioner as they tell you.",
        "Go to your appointments, and answer when your probation practitioner contacts you. If you "
        "cannot go, tell them before, not after.",
        "Cadw mewn cysylltiad â'ch ymarferydd prawf fel y mae'n dweud wrthych.",
        "Ewch i'ch apwyntiadau, ac atebwch pan fydd eich ymarferydd prawf yn cysylltu â chi. Os na "
        "allwch fynd, dywedwch wrthynt cyn hynny, nid wedyn.",
    ),
    CatalogueEntry(
        "home_visits",
        "standard",
        "Let your probation practitioner visit you at home as they tell you.",
        "Your probation practitioner may come to your home. Be there when they say, and let them in.",
        "Gadael i'ch ymarferydd prawf ymweld â chi gartref fel y mae'n dweud wrthych.",
        "Gall eich ymarferydd prawf ddod i'ch cartref. Byddwch yno pan fyddant yn dweud, a gadewch nhw i mewn.",
    ),
    CatalogueEntry(
        "approved_address",
        "standard",
        "Live at the address your probation practitioner has approved. Ask before you stay anywhere else for a night.",
        "Sleep at your approved address every night. If you want to stay somewhere else, even for one "
        "night, ask your probation practitioner first.",
        "Byw yn y cyfeiriad y mae eich ymarferydd prawf wedi'i gymeradwyo. Gofyn cyn aros yn rhywle arall am noson.",
        "Cysgwch yn eich cyfeiriad cymeradwy bob nos. Os ydych eisiau aros yn rhywle arall, hyd yn oed "
        "am un noson, gofynnwch i'ch ymarferydd prawf yn gyntaf.",
    ),
    CatalogueEntry(
        "approved_work",
        "standard",
        "Only do work your probation practitioner has approved. Tell them before you start or change a job.",
        "Before you start a job or change your job, ask your probation practitioner. This counts for "
        "unpaid work and volunteering too.",
        "Gwneud dim ond gwaith y mae eich ymarferydd prawf wedi'i gymeradwyo. Dweud wrthynt cyn dechrau "
        "neu newid swydd.",
        "Cyn i chi ddechrau swydd neu newid eich swydd, gofynnwch i'ch ymarferydd prawf. Mae hyn yn "
        "cyfrif ar gyfer gwaith di-dâl a gwirfoddoli hefyd.",
    ),
    CatalogueEntry(
        "no_travel_abroad",
        "standard",
        "Do not travel outside the United Kingdom, the Channel Islands or the Isle of Man without permission.",
        "Do not leave the country unless your probation practitioner has said yes first.",
        "Peidio â theithio y tu allan i'r Deyrnas Unedig, Ynysoedd y Sianel nac Ynys Manaw heb ganiatâd.",
        "Peidiwch â gadael y wlad oni bai bod eich ymarferydd prawf wedi dweud ie yn gyntaf.",
    ),
    CatalogueEntry(
        "tell_changes",
        "standard",
        "Tell your probation practitioner if you change your name, use another name, or change your "
        "phone number or email address.",
        "If you change your name, use a different name, or get a new phone number or email address, "
        "tell your probation practitioner straight away.",
        "Dweud wrth eich ymarferydd prawf os ydych yn newid eich enw, yn defnyddio enw arall, neu'n "
        "newid eich rhif ffôn neu eich cyfeiriad e-bost.",
        "Os ydych yn newid eich enw, yn defnyddio enw gwahanol, neu'n cael rhif ffôn neu gyfeiriad "
        "e-bost newydd, dywedwch wrth eich ymarferydd prawf ar unwaith.",
    ),
    CatalogueEntry(
        "curfew",
        "additional",
        "Stay at your curfew address during your curfew hours: {details}.",
        "You must be inside your home during these hours. Someone may check, by phone, by visiting, "
        "or by a check-in on your phone.",
        "Aros yn eich cyfeiriad cyrffyw yn ystod eich oriau cyrffyw: {details}.",
        "Rhaid i chi fod y tu mewn i'ch cartref yn ystod yr oriau hyn. Efallai y bydd rhywun yn "
        "gwirio, drwy ffonio, drwy ymweld, neu drwy gofrestru ar eich ffôn.",
        "Curfew hours and address",
    ),
    CatalogueEntry(
        "exclusion_zone",
        "additional",
        "Do not go into this area: {details}.",
        "You must not go into this area at any time, not even to pass through it. If you are not "
        "sure where it starts and ends, ask your probation practitioner for a map.",
        "Peidio â mynd i'r ardal hon: {details}.",
        "Rhaid i chi beidio â mynd i'r ardal hon ar unrhyw adeg, dim hyd yn oed i fynd drwyddi. Os "
        "nad ydych yn siŵr ble mae'n dechrau ac yn gorffen, gofynnwch i'ch ymarferydd prawf am fap.",
        "The area",
    ),
    CatalogueEntry(
        "no_contact",
        "additional",
        "Do not contact {details}, yourself or through anyone else.",
        "Do not call, text, message, write to or meet this person. Do not ask anyone to pass on a "
        "message. If they contact you, tell your probation practitioner.",
        "Peidio â chysylltu â {details}, eich hun na thrwy unrhyw un arall.",
        "Peidiwch â ffonio, tecstio, anfon neges, ysgrifennu at na chwrdd â'r person hwn. Peidiwch â "
        "gofyn i neb basio neges ymlaen. Os ydynt yn cysylltu â chi, dywedwch wrth eich ymarferydd prawf.",
        "Who they must not contact",
    ),
    CatalogueEntry(
        "drug_test",
        "additional",
        "Give a sample for a drug test when you are asked.",
        "When your probation practitioner asks, give a sample (usually spit or wee) so it can be tested for drugs.",
        "Rhoi sampl ar gyfer prawf cyffuriau pan ofynnir i chi.",
        "Pan fydd eich ymarferydd prawf yn gofyn, rhowch sampl (poer neu wrin fel arfer) fel y gellir "
        "ei brofi am gyffuriau.",
    ),
    CatalogueEntry(
        "attend_appointments",
        "additional",
        "Go to your appointments with {details}.",
        "These appointments are part of your licence. You must go to them. If you cannot go, tell your "
        "probation practitioner before the appointment.",
        "Mynd i'ch apwyntiadau gyda {details}.",
        "Mae'r apwyntiadau hyn yn rhan o'ch trwydded. Rhaid i chi fynd iddynt. Os na allwch fynd, "
        "dywedwch wrth eich ymarferydd prawf cyn yr apwyntiad.",
        "Who the appointments are with",
    ),
    CatalogueEntry(
        "alcohol_monitoring",
        "additional",
        "Do not drink alcohol, and wear an alcohol monitoring tag.",
        "You will wear a tag on your ankle that can tell if you drink alcohol. Do not drink any "
        "alcohol. Do not take the tag off or damage it.",
        "Peidio ag yfed alcohol, a gwisgo tag monitro alcohol.",
        "Byddwch yn gwisgo tag ar eich ffêr sy'n gallu dweud os ydych yn yfed alcohol. Peidiwch ag "
        "yfed unrhyw alcohol. Peidiwch â thynnu'r tag na'i ddifrodi.",
    ),
    CatalogueEntry(
        "internet_devices",
        "additional",
        "Only go online on phones, tablets or computers your probation practitioner knows about.",
        "Tell your probation practitioner about every device you use to go online. Do not delete your "
        "internet history.",
        "Mynd ar-lein dim ond ar ffonau, tabledi neu gyfrifiaduron y mae eich ymarferydd prawf yn gwybod amdanynt.",
        "Dywedwch wrth eich ymarferydd prawf am bob dyfais rydych yn ei defnyddio i fynd ar-lein. "
        "Peidiwch â dileu eich hanes rhyngrwyd.",
    ),
    CatalogueEntry(
        "approved_premises",
        "additional",
        "Live at {details} and keep to its rules.",
        "You will live at approved premises (a hostel). Follow its rules, and be back by its curfew time.",
        "Byw yn {details} a chadw at ei reolau.",
        "Byddwch yn byw mewn safle cymeradwy (hostel). Dilynwch ei reolau, a byddwch yn ôl erbyn ei amser cyrffyw.",
        "The approved premises",
    ),
)


def catalogue_ensure(model: Any = None) -> int:
    """Put the catalogue in the database (added or updated by code); returns how many entries.

    Called by the data migration (with its historical model), and by demo data and tests after a
    database flush.
    """
    if model is None:
        from onward.people.models import ConditionType as model
    for position, entry in enumerate(CATALOGUE):
        model.objects.update_or_create(
            code=entry.code,
            defaults={
                "kind": entry.kind,
                "wording": entry.wording,
                "explanation": entry.explanation,
                "wording_cy": entry.wording_cy,
                "explanation_cy": entry.explanation_cy,
                "details_label": entry.details_label,
                "position": position,
                "active": True,
            },
        )
    return len(CATALOGUE)
