"""Eating disorders at a dangerous point: starving or fasting for days to lose weight, purging,
bingeing and vomiting, laxatives to lose weight, pro-anorexia content, wanting bones to show; for
the writer or a third person. Crisis answers for these add the clinic's eating-disorder help lines
(``eating_disorder_resources``). Fasting before a session, or nausea after one, is not this."""

from __future__ import annotations

from assistant.triage.rules import rule
from assistant.triage.rules.vocabulary import FIRST, THIRD

_WEIGHT = r"(?:lose (?:the |more |some )?weight|los(?:e|ing) \d+|weight loss|get(?:ting)? (?:thin|skinny|smaller)|be(?:ing)? (?:thin|skinny)|thinner|skinnier|fat|burn (?:it )?off|calories|so i (?:don'?t|won'?t) gain|gain(?:ing)? weight|my body|look (?:thin|skinny))"
_EATING_STOP = r"(?:stop(?:ped|ping)? (?:myself |herself |himself )?(?:from )?eating|not eat(?:ing)?|haven'?t eaten|hasn'?t eaten|didn'?t eat|don'?t eat|won'?t eat|barely eat\w*|hardly eat\w*|skip(?:ping|ped)? (?:all )?(?:my |her |his )?meals|(?:go|going|gone|went|last|lasting|survive) (?:(?:a|one|two|three|\d+|several|few|a few|a couple of) (?:whole |full |entire )?(?:days?|weeks?) )?without (?:eating|food)|fast(?:ing|ed)?|starv\w*|water fast\w*|dry fast\w*)"
_DAYS = r"(?:\d+|a|one|two|three|four|five|six|seven|several|few|couple of?) (?:whole )?(?:days?|weeks?)|all week|a week|days|for days|since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|last week)"

RULES = [
    rule("eating_disorder", "restricting_for_days", [
        rf"\b{_EATING_STOP}\b[^.?!\n]{{0,40}}\b(?:{_DAYS})\b[^.?!\n]{{0,60}}\b{_WEIGHT}",
        rf"\b{_EATING_STOP}\b[^.?!\n]{{0,60}}\b(?:so (?:i|that i|she|he) (?:can|could|will|would)? ?)?{_WEIGHT}",
        rf"\b{_WEIGHT}\b[^.?!\n]{{0,40}}\b(?:by|through|from|with) (?:not eating|starving|fasting|skipping meals|only drinking water)\b",
        r"\b(?:(?:only|just|under|less than|no more than|max(?:imum)? (?:of )?)\s*\d{2,3}|(?:two|three|four|five) hundred)\s*(?:cal|kcal|calories)\b",
    ], context=rf"{FIRST}|\bmy\b|\bme\b|{THIRD}|\bhow (?:do|can|to)\b|\bstop myself\b", unless=r"\b(?:before (?:my|the|an?) (?:infusion|session|appointment|surgery|procedure|blood (?:test|work)|scan|spravato)|fasting (?:rules|instructions|requirements)|npo)\b"),
    rule("eating_disorder", "purging", [
        r"\b(?:make|made|making|force|forced|forcing)\s+(?:myself|me|herself|himself|themselves)\s+(?:to\s+)?(?:throw up|vomit|puke|be sick|sick)\b",
        r"\bpurg(?:e|es|ed|ing)\b",
        r"\bbing(?:e|es|ed|eing|ing)\b[^.?!\n]{0,60}\b(?:vomit\w*|throw(?:ing)? (?:it )?(?:all )?(?:back )?up|threw up|puk\w*|purg\w*|laxative\w*|sick)\b",
        r"\b(?:laxatives?|diet pills|diuretics|ipecac)\b[^.?!\n]{0,40}\b(?:weight|thin|after (?:i|every|each) (?:eat|meal)|every (?:day|meal)|a day|so i)\b",
        r"\bfingers? down (?:my|her|his) throat\b",
        r"\b(?:throw|throwing|threw|vomit\w*|puk\w*|bring(?:ing)? (?:it|food) (?:back )?up)\s+(?:it |everything |food )?(?:all )?(?:up )?(?:after|every time (?:i|she|he) eat|whenever (?:i|she|he) eat)\s*(?:meals?|eating|dinner|lunch|breakfast|food|i eat|she eats|he eats|every meal)\b",
        r"\b(?:hide|hiding|hid|cover up|secret)\b[^.?!\n]{0,40}\b(?:throw(?:ing)? up|vomit\w*|purg\w*|not eating|skipping meals|binge\w*|laxatives)\b",
    ]),
    rule("eating_disorder", "dangerously_thin", [
        r"\b(?:rib ?cage|ribs|hip ?bones?|collar ?bones?|spine|shoulder blades|cheek ?bones|bones)\b[^.?!\n]{0,30}\b(?:show|showing|stick out|sticking out|poke out|visible|see (?:them|my)|count)\b",
        r"\bthigh gap\b|\bpro[- ]?(?:ana|mia)\b|\b(?:thin|bone|mean)spo\w*\b|\bana (?:tips|buddy|coach)\b",
        r"\b(?:as thin|as skinny|so thin|so skinny)\s+(?:as (?:possible|i can)|that)\b",
        r"\b(?:anorexi\w*|bulimi\w*)\b[^.?!\n]{0,40}\b(?:lifestyle|healthy|goal|tips|how to (?:become|be|get))\b",
        r"\b(?:lose|losing|drop|dropping)\s+\d+\s*(?:pounds|lbs?|kg|kilos)\s+(?:in|by|within)\s+(?:a|one|two|\d+)\s+(?:days?|weeks?)\b",
    ]),
]
