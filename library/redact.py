"""Take out what identifies a person before a question or a comment is stored, and fail closed.

Two steps:

1. **Redact** what has a recognisable shape: e-mail addresses (also written out, "jane at gmail dot
   com"), phone numbers (with ``phonenumbers``, a kept library, and a shape rule as a second net),
   dates, numbers given as an ID (MRN, member, patient, policy, account, claim, passport, SSN,
   username...), street addresses and PO boxes, links and handles, and names: introduced ("my name
   is", "Name:", "it's X here", "X here", "this is X"), signed ("- Elliot", "Thanks, Joe", "Signed,"),
   given with a title ("Ms. Hoang", "Professor Obi") or with a relation ("my husband Tomasz").
2. **Judge** what is left (``for_storage``): a capitalised word in the middle of a sentence that is
   not a word the clinic's library or a known vocabulary uses, or a long number, might still be a
   name or an ID. Then the detector is unsure, and the text is not stored at all: only its category.

Deliberately greedy: a question loses nothing that the library could answer when a date or a name
goes. All patterns are bounded, so the work is linear in the text, and the text is capped first.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

EMAIL = "[email]"
PHONE = "[phone]"
DATE = "[date]"
NAME = "[name]"
ID = "[id]"
ADDRESS = "[address]"
LINK = "[link]"

MAX_CHARS = 4_000
"""Stored texts are cut to this many characters before anything runs on them."""

_W = r"[^\W\d_]"  # a letter, in any script
_NAME_WORD = rf"(?:[A-ZÀ-ÖØ-ÞĀ-ſ]{_W}*(?:['’-]{_W}+)*|[A-Z]\.)"
_ANY_WORD = rf"{_W}+(?:['’-]{_W}+)*"

# Bounded repeats and a left edge: each try looks at most ~64 characters ahead, so the pattern's
# work is linear in the text (an unbounded local part made a long text without "@" quadratic).
_EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}", re.UNICODE)
_EMAIL_WRITTEN = re.compile(
    r"(?<![\w])[\w.+'-]{1,64}(?:\s+(?:underscore|dot|dash)\s+[\w'-]{1,30}){0,4}\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\s+at\s+|\s+AT\s+)\s*[\w-]{1,63}(?:\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\))\s*[\w-]{1,63}|\s+dot\s+[\w-]{1,63}|\.(?=\w)[\w-]{1,63}){1,4}",
    re.IGNORECASE,
)
_SPELLED_DIGITS = re.compile(
    r"\b(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)[\s,.-]+){6,}(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b",
    re.IGNORECASE,
)
"""A phone number read out: "five one two, five five five, zero one nine three"."""
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATES = [
    re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b"),  # 1985-03-02
    re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"),  # 03/02/1985, 2.3.85
    re.compile(rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}}\b", re.I),  # March 2nd, 1985
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+\d{{2,4}}\b", re.I),  # 2 March 1985
    re.compile(rf"\b(?:born|birthday|dob|d\.o\.b\.?|date of birth)\b[^.?!\n]{{0,20}}?\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}|(?:in\s+)?(?:19|20)\d{{2}}|\d{{1,2}}[-/.]\d{{1,2}})\b", re.I),
    re.compile(rf"\b(?:on|from|since|until|by|for|the|my|this|next|last)\s+(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS})\b", re.I),  # on Sept 5
]
_DATES += [
    re.compile(rf"\b(?:[12]?\d|3[01])(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?![a-z])", re.I),  # 19 June
    re.compile(rf"\b{_MONTHS}\s+(?:[12]?\d|3[01])(?:st|nd|rd|th)?\b(?!\s*(?:mg|ml|%|pounds|lbs|kg|minutes|hours|days|weeks|sessions|infusions))", re.I),  # June 19
    # a weekday with a day of the month, and a day of the month alone: "wednesday the 3rd", "the 21st or 28th"
    re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+(?:the\s+)?(?:[12]?\d|3[01])(?:st|nd|rd|th)?\b", re.I),
    re.compile(r"\b(?:the\s+)?(?:[12]?\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:session|infusion|treatment|time|dose|visit|week|day|month|year|one|spray|appointment|percentile|grade|floor|birthday|anniversary|century|place|attempt|try|round|cycle|course))", re.I),
]
_SHORT_DATE = re.compile(r"(?<![\d/.])\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])\b(?![/\d])(?!\s*(?:would|stars?|rating|score|pain|points?))(?<!\b10/10)")
"""3/14, 04/15: a calendar date, not 140/90 or 10/10 (and "9/10" only after "on", "since"...: see _calendar_date)."""
_ORDINAL_WORDS = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|"
    r"sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))"
)
_DATES += [
    # "the fourth of July, 1990", "July the 4th", "on the 25th": a day of the month, written any way
    re.compile(rf"\b(?:the\s+)?{_ORDINAL_WORDS}\s+of\s+{_MONTHS}(?:,?\s+(?:19|20)\d{{2}})?", re.I),
    re.compile(rf"\b{_MONTHS}\s+(?:the\s+)?(?:{_ORDINAL_WORDS}|\d{{1,2}}(?:st|nd|rd|th))(?:,?\s+(?:19|20)\d{{2}})?\b", re.I),
    re.compile(r"\b(?:on|not|by|before|after|until|till|since|from|is|for)\s+the\s+(?:[12]?\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:session|infusion|treatment|time|dose|visit|week|day|month|year|one|spray|appointment|percentile))", re.I),
]
_SPELLED_NAME = re.compile(r"\b[A-Za-z](?:-[A-Za-z]){3,}\b|\b[A-Z](?: [A-Z]){3,}\b|\b[A-Z](?:\.[A-Z]){3,}\b\.?")
"""A name spelled out: "K-A-T-R-I-N-A", "T O M A S"."""
_LABELLED_ID = re.compile(
    r"\b(?:mrn|med(?:ical)? record(?: number| no\.?| #)?|record (?:number|no\.?|#)|patient (?:id|number|no\.?|#)|patient\s*#|member(?:ship)? (?:id|number|no\.?|#)|"
    r"subscriber (?:id|number)|policy (?:number|no\.?|#|id)|group (?:number|no\.?|#)|insurance (?:id|number|no\.?)|medicare(?: number| no\.?| id| #)?|medicaid(?: number| no\.?| id| #)?|"
    r"account(?: number| no\.?| #)?|acct\.?|claim(?: number| no\.?| #)?|case(?: number| no\.?| #)|invoice(?: number| no\.?| #)?|ssn|social security(?: number)?|social|"
    r"passport(?: number| no\.?)?|(?:driver'?s )?licen[cs]e(?: number| no\.?)?|employee (?:id|number)|dod id|rems (?:id|number|enrol?lment(?: number)?)|"
    r"username|user ?name|user id|login|portal (?:id|login|username)|handle|id(?: number| no\.?)?|#|"
    r"(?:snapchat|snap|instagram|insta|ig|tiktok|twitter|x|facebook|fb|venmo|cash ?app|paypal|discord|telegram|whatsapp|signal|reddit|skype)(?: (?:handle|name|username|id|account))?)"
    r"\s*(?:is|was|:|#|-|=)?\s*(?P<id>[A-Za-z0-9][A-Za-z0-9._@-]{2,40})",
    re.IGNORECASE,
)
_PARTIAL_ID = re.compile(
    r"\b(?:(?:the\s+)?last\s+(?:four|4|five|5|three|3|two|2|six|6)(?:\s+digits)?(?:\s+(?:of|on|from|in))?(?:\s+(?:my|his|her|the|their))?(?:\s+\w+){0,3}?\s*(?:is|are|was|were|:|-)?|"
    r"(?:ends|ended|ending|finishes|finished)\s+(?:in|with))\s+(?P<id>\d[\d -]{0,10}\d|\d)\b",
    re.IGNORECASE,
)
"""The last digits of a number: "last four of my social are 6621", "the old one ended in 118"."""
_ACCOUNT_NAME = re.compile(r"\b(?:username|user ?name|login|handle|user id|screen ?name|gamertag)\b(?:\s+(?!is\b|was\b)\w+){0,4}?\s+(?:is|was|:)\s*(?P<id>[A-Za-z0-9][A-Za-z0-9._@-]{2,40})", re.IGNORECASE)
_CHART_ID = re.compile(r"\b(?:chart|file|folder|ticket|reference|ref\.?|confirmation|booking|order|rx|prescription)(?:\s+(?:number|no\.?|#|id|code))?\s*(?:is|was|:|#|-)?\s*(?P<id>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,20})\b", re.IGNORECASE)
_ID_SHAPE = re.compile(r"\b(?!(?i:phq|gad|pcl|madrs|hamd|ham-d|qids|bdi|covid|sars|ptsd|cyp\w*|b12|d3|omega)-?\d)(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]{1,6}(?:-[A-Za-z0-9]{1,8}){1,4}\b|\b(?=\w*\d)(?=\w*[A-Z])[A-Z0-9]{6,20}\b|\b\d{5,}\b|\b\d{3}-\d{2}-\d{4}\b")
"""Mixed letters and digits in groups, a long run of digits or capitals and digits: an ID's shape."""
_ADDRESS = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?!(?:hours?|hrs?|minutes?|mins?|days?|weeks?|months?|years?|miles?|mi|km|times?|sessions?|infusions?|mg|ml|people|of)\b)(?:[A-ZÀ-ÞĀ-ſ0-9][\w'’.-]*\s+){0,5}?"
    r"(?:st(?:reet)?|ave(?:nue)?|rd|road|blvd|boulevard|dr(?:ive)?|ln|lane|way|ct|court|pl(?:ace)?|pkwy|parkway|ter(?:race)?|cir(?:cle)?|hwy|highway|route|rte|sq(?:uare)?|trail|row|close|crescent|rue|calle|strasse|straße|via)\b\.?"
    r"(?:[,\s]+(?:apt|apartment|unit|suite|ste|lot|fl(?:oor)?|#)\.?\s*[\w-]{1,6})?"
    r"(?:,?\s+(?:[A-ZÀ-ÞĀ-ſ][\w'’.-]*\s*){1,4})?(?:,?\s*[A-Z]{2})?(?:\s+\d{5}(?:-\d{4})?|\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d)?",
    re.IGNORECASE,
)
_PO_BOX = re.compile(r"\b(?:p\.?\s?o\.?\s*box|post office box)\s*\d{1,8}\b", re.IGNORECASE)
_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_LINK = re.compile(r"\bhttps?://[^\s<>\"']{1,300}|\bwww\.[^\s<>\"']{1,300}|\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,3}\.(?:com|org|net|me|io|co|us|uk|ca|au|ly|app|link|page|bio)/[^\s<>\"']{1,300}|(?<![\w.])@[A-Za-z0-9_.]{2,40}\b")
# Seven or more digits, with the usual separators: +1 (555) 123-4567, 555 123 4567, 07700900123.
_PHONE = re.compile(r"(?<![\w.])(?:\+|00)?\d(?:[\s().-]{0,3}\d){6,14}(?:\s*(?:ext\.?|x|extension)\s*\d{1,6})?(?![\w])", re.IGNORECASE)

_RELATIONS = (
    r"(?:husband|wife|partner|boyfriend|girlfriend|fianc[ée]e?|son|daughter|kid|child|mom|mum|mother|dad|father|brother|sister|"
    r"grandma|grandpa|grandmother|grandfather|granddaughter|grandson|aunt|uncle|cousin|niece|nephew|friend|roommate|neighbou?r|"
    r"step(?:son|daughter|mom|dad|mother|father)|spouse|baby|boss|coworker|colleague|therapist|caregiver|carer|nurse|doctor|psychiatrist)"
)
_NAME_RUN = rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|(?:de|da|del|della|di|van|von|der|den|du|le|la|bin|ibn|al|el|ó|o'|mac|mc)))" "{0,4}"
_INTRODUCED = [
    # "My name is ana lopez", "Name: José", "name - Declan Ó Briain": the words after, whatever their case.
    re.compile(rf"(?P<intro>\b(?i:(?:my|our|his|her|their|the patient'?s|patient'?s?|child'?s|son'?s|daughter'?s) (?:full |first |last |maiden |legal |sur)?name(?:'s| is| was)?|^\s*name\s*[:–—-]|\bname\s*[:–—-]|(?:full |first |last |maiden |legal )name\s*[:–—-]?|under (?:my |the )?(?:maiden )?name,?))\s*(?P<name>{_ANY_WORD}(?:\s+(?!(?i:and|but|or|dob|born|phone|tel|email|mrn|is|was|here)\b){_ANY_WORD}){{0,4}})"),
    # "it's Tom here", "its jenna", "this is derek pham", "Ólafur here", "yo this is marcus"
    re.compile(rf"(?P<intro>(?:^|[.!?]\s+|\n)\W*(?i:(?:hi|hiya|heya|hey|hello|howdy|yo|good (?:morning|afternoon|evening))[,!.]?\s+)?(?i:it'?s(?: just)? me,?|its(?: just)? me,?|it'?s|its|this is|i'?m|i am|im|me)\s+(?i:ms\.?|mrs\.?|mr\.?|miss|dr\.?|professor)?\s*)(?P<name>{_ANY_WORD}(?:\s+{_NAME_WORD}){{0,3}})(?=(?:\s*\([^()]{{1,40}}\))?(?:\s*(?i:here|,|\.|!|\s+(?:and|from|dob|born|calling|writing|again|speaking))|\s*$))"),
    re.compile(rf"(?P<intro>(?:^|[.!?]\s+|\n)\W*(?i:(?:hi|hey|hello|good (?:morning|afternoon|evening))(?: there)?[,!.]?\s+)?)(?P<name>{_ANY_WORD}(?:\s+{_ANY_WORD})?)(?=\s+(?i:here)\b)"),
    re.compile(rf"(?P<intro>\b(?i:this is|it'?s|its)\s+)(?P<name>{_ANY_WORD}(?:\s+{_ANY_WORD}\.?)?)(?=\s*[.!,]|\s*$)"),
    re.compile(rf"(?P<intro>\b(?i:this is|call me|(?:i am|i'm|i’m|im) called|signed|regards,?|sincerely,?|thanks,?|thank you,?|cheers,?|best,?|love,?|from|yours,?|quick (?:one|question) from)\s+(?:(?i:mrs?\.?|ms\.?|miss|dr\.?|professor|prof\.?)\s+)?)(?P<name>{_NAME_RUN})"),
    # A signature: "- Elliot", "— Gregory T. Whitmore III" at the end or on a line of its own.
    re.compile(rf"(?P<intro>(?:^|\n|\s)[-–—~]+\s*)(?P<name>(?:[A-Z]\.\s*)?{_ANY_WORD}(?:\s+(?:{_NAME_WORD}|[IVX]{{1,4}})){{0,4}})\s*$"),
    re.compile(rf"(?P<intro>(?:^|\n))(?P<name>{_NAME_RUN})\s*$"),
    # A name given with a date of birth, in any case: "nguyen thi hoa, DOB 4/2/61", "Sam Lee born 1990"
    re.compile(rf"(?P<intro>(?:^|\n|[.!?:]\s+))(?P<name>{_ANY_WORD}(?:\s+{_ANY_WORD}){{0,3}})(?=,?\s+(?i:dob|d\.o\.b|date of birth|born|birthday)\b)"),
    # A title: "Ms. Hoang", "Professor Ikechukwu Obi"
    re.compile(rf"(?P<intro>\b(?:Mrs?\.?|Ms\.?|Miss|Mx\.?|Professor|Prof\.?)\s+)(?P<name>{_NAME_RUN})"),
    # "charlie here (charlotte on my chart)", "X on my chart", "X's boyfriend, X Y"
    re.compile(rf"(?P<intro>\()(?P<name>{_ANY_WORD}(?:\s+{_ANY_WORD})?)(?=\s+(?i:on my (?:chart|file|records?|insurance|card|id)|is my (?:legal|real|chart) name))"),
    re.compile(rf"(?P<intro>\b(?i:(?:i'?m|im|i am) (?:\w+'s )?(?:boyfriend|girlfriend|husband|wife|partner|mom|dad|mother|father|son|daughter|friend|sister|brother|carer|caregiver)),?\s+)(?P<name>{_ANY_WORD}(?:\s+{_ANY_WORD})?)(?=\s*,)"),
    re.compile(rf"(?P<intro>\b)(?P<name>{_W}+)(?='s (?:boyfriend|girlfriend|husband|wife|partner|mom|dad|mother|father|son|daughter|friend|sister|brother|carer|caregiver|appointment|infusion|session)\b)"),
]
_BEFORE_WORDS = [
    # "patient Joe Smith", "for Joe Smith", "to: Eleanor Brooks"
    re.compile(rf"(?P<intro>\b(?i:patient|client|to:|attn:?|for|from|c/o)\s+)(?P<name>{_NAME_WORD}\s+{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"),
]
"""Weak introductions: a name only when some word of it is no English word ("for Memorial Day" is not)."""
_BEFORE_A_WORD = [
    # Another form of a name just given: "[name] (surname Chen)", "[name] (louisa)", "[name], ahmad rahimi,"
    re.compile(rf"(?P<intro>\[name\](?:\s+(?i:here|again))?\s*\(\s*(?i:(?:sur|last |first |maiden |legal |nick|real )?name:?\s+|n[ée]e\s+|aka\s+|a\.k\.a\.?\s+|formerly\s+|goes by\s+|or\s+)?)(?P<name>{_ANY_WORD}(?:\s+{_ANY_WORD}){{0,2}})(?=\s*\))"),
    re.compile(rf"(?P<intro>\[name\],?\s+)(?P<name>{_ANY_WORD}(?:\s+{_ANY_WORD}){{0,2}})(?=\s*,)"),
    # A relation: "my husband Dae-jung Kim", "my wife, Anne-Marie", "my sister beatriz"; a title
    # in lower case, "dr. abernathy". The next word is a name unless it is an ordinary English
    # word ("my husband sits", "my son is", "Dr. Google"): see _is_ordinary_word.
    re.compile(rf"(?P<intro>\b(?i:(?:my|our|his|her|their) (?:late |little |big |older |younger |ex[- ]?)?{_RELATIONS}),?\s+(?i:(?:mrs?|ms|mx|miss|dr)\.?\s+)?)(?P<name>{_ANY_WORD}(?:\s+{_NAME_WORD}){{0,3}})"),
    re.compile(rf"(?P<intro>\b(?i:mrs?\.?|ms\.?|miss|dr\.?)\s+)(?P<name>{_ANY_WORD}(?:\s+{_NAME_WORD}){{0,2}})"),
]
_I_AM = re.compile(rf"\b(?P<intro>I am|I'm|I’m|Im)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})")
_LOWER_INTRO = re.compile(
    r"(?:^|(?<=[\s,.!?;:(]))(?:(?:hi+|hey+|hello|hiya|yo|ok|so)[\s,.!]+)?(?P<intro>i'?m|im|i am|it'?s|its|this is|my name'?s|my name is|name'?s|names)\s+(?:me[\s,]+)?"
    r"(?:(?:aunt|auntie|uncle|mom|mum|dad|grandma|grandpa|nana|papa|cousin|sister|brother|nurse|mr|mrs|ms|miss)\.?\s+)?"
    r"(?P<name>[a-zà-öø-ÿ][a-zà-öø-ÿ'’-]{1,30}(?:\s+[a-zà-öø-ÿ][a-zà-öø-ÿ'’-]{1,30})?)(?![\w'’])"
)
"""A self-introduction typed in lower case: "hiii im sarahh", "hey its jess lol", "this is aunt deb"."""
_AFTER_A_NAME = re.compile(r"\[name\]\s*\((?P<name>[^()\n\[\]]{2,60})\)")
"""Another form of a name just found, in brackets after it: "[name] (debra kowalski)"."""


def _lower_intro(m: re.Match[str]) -> str:
    words = m.group("name").split()
    if _is_ordinary_word(words[0]):
        return m.group(0)  # "im tired", "its fine", "this is scary"
    whole = len(words) == 2 and not _is_ordinary_word(words[1])
    rest = "" if whole else m.group("name")[len(words[0]) :]
    return m.group(0)[: m.start("name") - m.start()] + NAME + rest


def _bracketed_name(m: re.Match[str]) -> str:
    words = re.findall(_ANY_WORD, m.group("name"))
    if words and not all(_is_ordinary_word(w.lower()) for w in words):
        return f"{NAME} ({NAME})"
    return m.group(0)


_NOT_NAMES = {
    "a", "an", "the", "not", "so", "very", "really", "just", "still", "also", "always", "currently", "now",
    "on", "in", "at", "taking", "going", "getting", "having", "being", "feeling", "worried", "scared", "afraid",
    "anxious", "nervous", "pregnant", "breastfeeding", "curious", "wondering", "thinking", "interested",
    "considering", "planning", "trying", "looking", "asking", "new", "old", "over", "under", "about", "here",
    "ok", "okay", "fine", "sure", "sorry", "confused", "depressed", "bipolar", "diabetic", "allergic", "male",
    "female", "married", "single", "unsure", "ready", "tired", "sad", "happy", "glad", "told", "due",
    "booked", "scheduled", "prescribed", "diagnosed", "starting", "done", "finished", "struggling", "suicidal",
    "english", "american", "canadian", "british", "spanish", "i", "a patient", "your", "the", "calling", "writing",
    "back", "still", "home", "late", "early", "good", "great", "better", "worse", "sick", "well", "alone", "ill",
    "having", "fasting", "hungry", "up", "out", "off", "down", "in", "too", "it", "that", "this", "there", "what",
}
_DETERMINERS = frozenset("my our his her their your the a an i it this that these those".split())
"""Words that never begin a name: "My DOB is" is not a name before a date of birth."""
_CASUAL_WORDS = frozenset(
    """gonna wanna gotta kinda sorta drove booked texted emailed messaged googled freaked ok okay yeah
    keeps thinks says said wants asked told called worries worried insists reckons swears
    lol lmao haha hehe omg tbh idk pls plz thx ty btw fyi imo ngl rn""".split()
)
"""Words of chat that a library of NIH answers does not use, but a patient might after "my husband"."""
_FUNCTION_WORDS = {
    "and", "but", "or", "i", "im", "i'm", "i’m", "from", "with", "is", "am", "was", "my", "the", "a", "an",
    "what", "how", "can", "could", "do", "does", "please", "thanks", "thank", "to", "of", "in", "on", "so",
    "also", "if", "is", "are", "would", "will", "should", "who", "when", "why", "where", "which", "it", "dob",
    "born", "phone", "tel", "email", "mrn", "here", "new", "i've", "ive", "had", "has", "have", "got", "just",
}


def redact(text: str | None) -> str | None:
    """``text`` with what has an identifier's shape replaced by a placeholder."""
    if text is None:
        return None
    out = text[:MAX_CHARS]
    out = _LINK.sub(LINK, out)
    out = _EMAIL.sub(EMAIL, out)
    out = _EMAIL_WRITTEN.sub(EMAIL, out)
    for pattern in _DATES:
        out = pattern.sub(DATE, out)
    out = _SHORT_DATE.sub(_calendar_date, out)
    out = _SPELLED_NAME.sub(NAME, out)
    out = _LABELLED_ID.sub(_labelled_id, out)
    for pattern in (_PARTIAL_ID, _CHART_ID, _ACCOUNT_NAME):
        out = pattern.sub(_label_kept, out)
    out = _phones(out)
    out = _SPELLED_DIGITS.sub(PHONE, out)
    out = _PO_BOX.sub(ADDRESS, out)
    out = _ADDRESS.sub(ADDRESS, out)
    out = _ID_SHAPE.sub(_id_shape, out)
    out = _INTRODUCED[0].sub(_introduced_name, out)  # "my name is", "Name:": whatever follows
    for pattern in _INTRODUCED[1:]:  # looser: "this is scary" is not a name
        out = pattern.sub(_name_unless_a_word, out)
    for pattern in _BEFORE_A_WORD:
        out = pattern.sub(_name_unless_a_word, out)
    for pattern in _BEFORE_WORDS:
        out = pattern.sub(_name_unless_all_words, out)
    out = _I_AM.sub(_i_am_name, out)
    out = _LOWER_INTRO.sub(_lower_intro, out)
    out = _AFTER_A_NAME.sub(_bracketed_name, out)
    return _other_mentions(text[:MAX_CHARS], out)


def _other_mentions(original: str, redacted: str) -> str:
    """Words that were taken away as part of a name somewhere in the message are a name everywhere
    in it, in any case: "This is [name]. Sunny like the weather", "hi im [name]. river song"."""
    if NAME not in redacted:
        return redacted
    before = Counter(w.casefold() for w in re.findall(_ANY_WORD, original))
    after = Counter(w.casefold() for w in re.findall(_ANY_WORD, _PLACEHOLDER.sub(" ", redacted)))
    names = [w for w, n in before.items() if after[w] and after[w] < n and len(w) >= 2 and w not in _FUNCTION_WORDS and w not in _DETERMINERS]
    if not names:
        return redacted
    pattern = re.compile(r"(?<![\w'’\[])(?:" + "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True)) + r")(?![\w'’\]])", re.IGNORECASE)
    return pattern.sub(NAME, redacted)


def _calendar_date(m: re.Match[str]) -> str:
    """3/14 is a date; "9/10" after "about" or before "pain" is a score out of ten."""
    if m.group(0).endswith("/10"):
        before = m.string[max(0, m.start() - 12) : m.start()].lower().split()
        if not before or before[-1] not in ("on", "from", "since", "until", "by", "date", "dated", "appointment", "before", "after"):
            return m.group(0)
    return DATE


def _label_kept(m: re.Match[str]) -> str:
    """The label as written, the identifier after it replaced: "chart [id]", "ended in [id]"."""
    return m.group(0)[: m.start("id") - m.start()] + ID


def _labelled_id(m: re.Match[str]) -> str:
    value = m.group("id")
    if not any(ch.isdigit() for ch in value) and "." not in value and "_" not in value and "@" not in value and len(value) < 6:
        return m.group(0)  # "id is fine": a word, not an ID
    if value.lower() in _NOT_NAMES or value.lower() in ("number", "no", "is", "was"):
        return m.group(0)
    return m.group(0)[: m.start("id") - m.start(0)] + ID


def _id_shape(m: re.Match[str]) -> str:
    value = m.group(0)
    if re.fullmatch(r"\d{1,4}(?:-\d{1,4})?(?:mg|ml|kg)?", value, re.I) or re.fullmatch(r"(?:19|20)\d{2}", value):
        return value  # a year, a dose, a count
    return ID


def _phones(text: str) -> str:
    try:
        import phonenumbers
    except ImportError:  # the shape rule alone
        return _PHONE.sub(_phone, text)
    spans = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.POSSIBLE)]
    for start, end in reversed(spans):
        text = text[:start] + PHONE + text[end:]
    return _PHONE.sub(_phone, text)


def _phone(m: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in m.group(0))
    return PHONE if digits >= 7 else m.group(0)


def _introduced_name(m: re.Match[str]) -> str:
    name = m.group("name")
    words = name.split()
    first = words[0].lower().strip(",.;:!?") if words else ""
    if not words or first in _NOT_NAMES or first in _DETERMINERS or words[0].startswith("["):
        return m.group(0)
    kept = 1  # the first word after the introduction is the name, whatever its case
    while kept < len(words) and words[kept].lower().strip(",.;:!?") not in _FUNCTION_WORDS | _NOT_NAMES and not words[kept].startswith("["):
        kept += 1
    rest = " ".join(words[kept:])
    trailing = "".join(ch for ch in words[kept - 1] if ch in ",.;:!?") if not rest else ""
    start_of_name = m.start("name") - m.start(0)
    return f"{m.group(0)[:start_of_name]}{NAME}{trailing}{' ' + rest if rest else ''}"


@functools.cache
def _lexicon() -> frozenset[str]:
    """Ordinary English words: those written in lower case in text nobody here wrote (MedQuAD;
    built by scripts/build_lexicon.py). A missing file leaves the set empty: more is redacted."""
    try:
        lines = (Path(__file__).parent / "data" / "english_words.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(line.strip() for line in lines if line and not line.startswith("#"))


def _is_ordinary_word(word: str) -> bool:
    bare = word.strip(",.;:!?'’")
    lower = bare.lower()
    if not bare.islower():  # "my son Will": capitalised after a relation, a name unless "Dr. Google"
        return lower in _COMMON_CAPITALISED
    if lower in _FUNCTION_WORDS or lower in _NOT_NAMES or lower in _CASUAL_WORDS:
        return True
    return any(form in _lexicon() for form in _forms(lower))


def _forms(word: str) -> list[str]:
    """The word and the stems it may be an inflection of: "mentioned" -> "mention", "drives" -> "drive"."""
    forms = [word]
    for suffix, replacements in (("ied", ("y",)), ("ies", ("y",)), ("ed", ("", "e")), ("ing", ("", "e")), ("es", ("", "e")), ("s", ("",)), ("ly", ("",))):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem + r for r in replacements]
            if len(stem) > 2 and stem[-1] == stem[-2]:  # "stopped" -> "stop"
                forms.append(stem[:-1])
    return forms


def words_of(texts: Iterable[str]) -> frozenset[str]:
    """The lower-cased words of ``texts``: a library's vocabulary, for ``for_storage(known=...)``."""
    out: set[str] = set()
    for text in texts:
        out.update(w.lower() for w in re.findall(r"[^\W\d_][\w'’-]*", text))
    return frozenset(out)


def _name_unless_a_word(m: re.Match[str]) -> str:
    words = m.group("name").split()
    if not words or _is_ordinary_word(words[0]) or words[0].startswith("["):
        return m.group(0)
    return _introduced_name(m)


def _name_unless_all_words(m: re.Match[str]) -> str:
    words = [w.strip(",.;:!?'’").lower() for w in m.group("name").split()]
    if all(any(f in _lexicon() or f in _COMMON_CAPITALISED for f in _forms(w)) for w in words):
        return m.group(0)
    return _introduced_name(m)


def _i_am_name(m: re.Match[str]) -> str:
    words = m.group("name").split()
    kept = []
    for word in words:
        if word.lower().strip("'’") in _NOT_NAMES:
            break
        kept.append(word)
    if not kept:
        return m.group(0)
    rest = m.group("name")[len(" ".join(kept)) :]
    return f"{m.group('intro')} {NAME}{rest}"


# ------------------------------------------------------------------------------ failing closed

_PLACEHOLDER = re.compile(r"\[(?:email|phone|date|name|id|address|link)\]")
_CAPITALISED = re.compile(rf"(?<![\w'’])[A-ZÀ-ÖØ-ÞĀ-ſ]{_W}+(?:['’-]{_W}+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(]\s*|[-–—•*]\s+)$")
_COMMON_CAPITALISED = frozenset(
    """i i'm i've i'll i'd ok okay fda rems iv ecect ect tms ptsd ocd adhd bp er icu mri ct ekg ecg eeg
    usa us uk nhs cdc nih nimh va dr mr mrs ms monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec christmas easter thanksgiving covid medicare medicaid ppo hmo hsa fsa
    phq gad pcl madrs qids bdi iu mg ml
    gp np pa rn md phd dnp crna ssri ssris snri snris maoi maois nmda ampa bdnf gaba cbt dbt emdr kap iop php
    am pm hi hey hello thanks thank yes no please google facebook instagram youtube tiktok reddit zoom""".split()
)


@dataclass(frozen=True)
class Stored:
    """What may be kept of a text: the redacted text, or None when the detector is unsure."""

    text: str | None
    unsure: str = ""
    """Why the text was withheld (never the text itself)."""


_OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
"""A letter outside the Latin script (Cyrillic, Greek, Arabic, CJK...): names in it cannot be told
from words, so a message with one is withheld."""


def for_storage(text: str | None, known: Iterable[str] = ()) -> Stored:
    """The text as it may be stored, failing closed. ``known``: words the clinic's library uses
    (a capitalised one of those, "Spravato", is not a name)."""
    if text is None:
        return Stored(None)
    redacted = redact(text) or ""
    vocabulary = set(known)
    for m in _CAPITALISED.finditer(redacted):
        word = m.group(0)
        before = redacted[max(0, m.start() - 3) : m.start()]
        lower = word.lower().strip("'’")
        if any(f in _COMMON_CAPITALISED or f in vocabulary for f in _forms(lower)) or (word.isupper() and len(word) <= 3):
            continue  # "Spravato", "PHQ", "XL"
        if _SENTENCE_START.search(before) or m.start() == 0:
            # A sentence's first word is capitalised anyway: unsure only when it is no English word
            # at all ("Zainab had her infusion"), not "Honestly" or "Mentioned".
            if lower in _FUNCTION_WORDS or lower in _CASUAL_WORDS or any(f in _lexicon() for f in _forms(lower)):
                continue
        return Stored(None, "a capitalised word that may be a name")
    if _OTHER_SCRIPT.search(redacted):
        return Stored(None, "letters of a script whose names the redactor cannot recognise")
    if re.search(r"\d{5,}|@|\bat\b\s+\w+\s+\bdot\b", redacted):
        return Stored(None, "a number or an address that may identify someone")
    return Stored(redacted)


def without_identifiers(text: str) -> str:
    """``text`` with identifying details removed outright: what retrieval should search with.

    A name or a phone number is never what a patient asks about, but its words would count against
    the question when the assistant judges whether the library covers it.
    """
    return " ".join(_PLACEHOLDER.sub(" ", redact(text) or "").split())
