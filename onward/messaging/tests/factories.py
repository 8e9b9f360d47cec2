import factory

from onward.messaging.models import (
    ApprovedContact,
    AuthorKind,
    Conversation,
    ConversationKind,
    Draft,
    Message,
    MessageState,
    ScreeningPolicy,
    Term,
    TermKind,
    WordList,
)
from onward.organisations.tests.factories import PrisonFactory
from onward.people.tests.factories import PersonFactory


class ConversationFactory(factory.django.DjangoModelFactory[Conversation]):
    class Meta:
        model = Conversation

    person = factory.SubFactory(PersonFactory)
    kind = ConversationKind.STAFF


class ApprovedContactFactory(factory.django.DjangoModelFactory[ApprovedContact]):
    class Meta:
        model = ApprovedContact

    person = factory.SubFactory(PersonFactory)
    name = factory.Faker("name", locale="en_GB")
    relationship = "Sister"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class ContactConversationFactory(ConversationFactory):
    kind = ConversationKind.CONTACT
    contact = factory.SubFactory(ApprovedContactFactory, person=factory.SelfAttribute("..person"))


class MessageFactory(factory.django.DjangoModelFactory[Message]):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    author_kind = AuthorKind.STAFF
    author_user = factory.SubFactory("onward.accounts.tests.factories.StaffFactory")
    body = factory.Faker("sentence")
    state = MessageState.DELIVERED


class WordListFactory(factory.django.DjangoModelFactory[WordList]):
    class Meta:
        model = WordList

    unit = factory.SubFactory(PrisonFactory)
    policy = ScreeningPolicy.HOLD


class TermFactory(factory.django.DjangoModelFactory[Term]):
    class Meta:
        model = Term

    word_list = factory.SubFactory(WordListFactory)
    kind = TermKind.WORD
    text = factory.Sequence(lambda n: f"term{n}")


class DraftFactory(factory.django.DjangoModelFactory[Draft]):
    class Meta:
        model = Draft

    conversation = factory.SubFactory(ConversationFactory)
    author_user = factory.SubFactory("onward.accounts.tests.factories.StaffFactory")
    body = factory.Faker("sentence")
