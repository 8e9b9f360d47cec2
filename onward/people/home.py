"""The parts of a person's home page (/me/) that apps above `people` add (their inbox, ...).

An app registers a section in its own `home.py` with `@home_section(name, order=...)`; see
`onward/people/sections.py`.
"""

from onward.people.sections import PageSection, PageSections

HomeSection = PageSection
HOME = PageSections()
home_section = HOME.section
home_sections = HOME.shown
