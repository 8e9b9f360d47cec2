"""The parts of a person's staff record that apps above `people` add (sign-in, check-ins, ...).

An app registers a section in its own `record.py` with `@record_section(name, order=...)`; see
`onward/people/sections.py`.
"""

from onward.people.sections import PageSection, PageSections

RecordSection = PageSection
RECORD = PageSections()
record_section = RECORD.section
record_sections = RECORD.shown
